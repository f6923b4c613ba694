/**
 * @internal The autodiff engine: trace a function once, then sweep the recorded graph backward
 * (reverse mode, VJP rules) or forward (forward mode, JVP rules).
 *
 * Nested transforms (`hessian = jacfwd(jacrev(f))`) work because rules are written with matcalc
 * ops: while an outer transform is active, the inner sweep records its own ops, so the outer one
 * can differentiate through them. The outermost sweep records nothing and results are detached,
 * so a training loop never grows a graph across steps.
 */
import { raw, Tensor } from "../tensor.ts";
import { describeValue, ValueError } from "../errors.ts";
import { bind, Node, type Primitive } from "./node.ts";
import { tracerState } from "./state.ts";
import { add } from "../ops/add.ts";
import { sumTo } from "../ops/sum.ts";
import { sameShape } from "../ops/shape.ts";
import { zeros } from "../creation.ts";

const inputPrim: Primitive = {
  name: "input",
  forward: ([x]) => new Tensor(raw(x), x.shape),
  vjp: (g) => [g],
  jvp: ([t]) => t,
};

/** A traced stand-in for `x`; linked to `x` when `x` is itself traced by an outer transform. */
function variable(x: Tensor): Tensor {
  const v = new Tensor(raw(x), x.shape);
  v._node = new Node(inputPrim, x._node !== undefined ? [x] : [], undefined);
  return v;
}

/**
 * Returns a copy of `x` that autodiff treats as a constant: no derivative flows through it.
 * Use it to read values inside a differentiated function on purpose.
 *
 * @example Reading a value inside `grad` without breaking the tracer
 * ```ts
 * import { grad, mul, stopGradient, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * // d/dx (c · x) with c a frozen copy of x: the derivative is c, not 2x.
 * const g = grad((x) => sum(mul(stopGradient(x), x)), tensor([3]));
 * assertEquals(g.toArray(), [3]);
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  checkTensor("stopGradient", x, "x");
  return new Tensor(raw(x), x.shape);
}

/** @internal A function traced at some inputs, ready to be swept. */
export interface Trace {
  readonly vars: Tensor[];
  readonly out: Tensor;
  /** Whether sweeps must record their ops for an enclosing transform. */
  readonly nested: boolean;
  /** The traced tensors in order, once a sweep has needed them: see {@linkcode orderOf}. */
  order?: Tensor[];
}

/**
 * @internal Runs `f` on traced copies of `xs`. `transform` names the public function for error
 * messages.
 */
export function trace(
  transform: string,
  f: (...xs: Tensor[]) => unknown,
  xs: Tensor[],
): Trace {
  checkFunction(transform, f);
  xs.forEach((x, i) => checkTensor(transform, x, xs.length === 1 ? "x" : `argument ${i}`));
  checkArity(transform, f, xs.length);
  const nested = tracerState.transformDepth > 0;
  const saved = { ...tracerState };
  tracerState.transformDepth++;
  tracerState.userDepth++;
  tracerState.record = true;
  tracerState.transform = transform;
  let out: unknown;
  try {
    const vars = xs.map(variable);
    out = callWithArityHint(transform, f, vars);
    if (!(out instanceof Tensor)) {
      throw new ValueError(
        `${transform}: the function must return a Tensor, got ${describeValue(out)}; ` +
          `wrap numbers with tensor(…) or return a matcalc op's result`,
      );
    }
    return { vars, out, nested };
  } finally {
    Object.assign(tracerState, saved);
  }
}

/** @internal Throws a ValueError unless `f` is a function (before anything calls it). */
export function checkFunction(transform: string, f: unknown): void {
  if (typeof f !== "function") {
    throw new ValueError(
      `${transform}: f must be a function of tensors, got ${describeValue(f)}; ` +
        `call it as ${transform}(f, x), e.g. ${transform}((x) => sum(square(x)), x)`,
    );
  }
}

/**
 * @internal Refuses a function that declares fewer parameters than the inputs given, which would
 * silently get a zero derivative for the inputs it never sees. More declared parameters than
 * inputs is not refused: `f.length` counts optional ones (`sum(x, axis?)`, `loss(W, step?)`), so
 * only {@linkcode callWithArityHint} mentions it, if the call fails.
 */
export function checkArity(transform: string, f: { length: number }, given: number): void {
  // length 0 is `(...xs) => …`, which takes any number.
  if (f.length > 0 && f.length < given) {
    throw new ValueError(
      `${transform}: f takes ${f.length} argument${f.length === 1 ? "" : "s"} but ${given} ` +
        `inputs were given, so the derivative for the others would silently be zero; give f ` +
        `one parameter per input, e.g. ${transform}((W, b) => …, [W, b]) (JavaScript does not ` +
        `count a parameter with a default value, (W, b = 0) => …, nor any after it)`,
    );
  }
}

/**
 * @internal Calls `f(...args)`. When that throws and `f` declares more parameters than `args`,
 * the error gets a hint: the missing arguments were `undefined`, the likely cause (`grad(f, W)`
 * for an `f(W, b)` instead of `grad(f, [W, b])`).
 */
export function callWithArityHint<R>(
  transform: string,
  f: (...xs: Tensor[]) => R,
  args: Tensor[],
): R {
  try {
    return f(...args);
  } catch (e) {
    if (f.length > args.length && e instanceof Error && !e.message.includes(ARITY_HINT)) {
      const hint = ` (${transform}: ${ARITY_HINT} ${f.length} parameters but ` +
        `${args.length} input${args.length === 1 ? " was" : "s were"} given, so the others ` +
        `were undefined; if it takes several tensors, pass them as an array, e.g. ` +
        `${transform}(f, [W, b]))`;
      // The stack text starts with the message; V8 writes it on first read, so read it first.
      const before = e.message, stack = e.stack;
      e.message += hint;
      if (typeof stack === "string") e.stack = stack.replace(before, e.message);
    }
    throw e;
  }
}

const ARITY_HINT = "f declares";

/**
 * @internal Reverse sweep: the cotangents of `tr.vars` given the output cotangent `g`
 * (null where the output does not depend on a variable).
 */
export function backward(tr: Trace, g: Tensor): (Tensor | null)[] {
  return reverseSweep(
    tr,
    g,
    (node, gt, t) => node.prim.vjp(gt, node.inputs, t, node.params),
    (c, x) => (sameShape(c.shape, x.shape) ? c : sumTo(c, x.shape)),
  );
}

/**
 * @internal The reverse sweep both {@linkcode backward} and the batched Jacobian's sweep run:
 * `pull` gives a node's input cotangents from its output's, `fit` shapes one for its input
 * (null: it contributes nothing), and contributions to one input are added.
 */
export function reverseSweep(
  tr: Trace,
  g: Tensor,
  pull: (node: Node, gt: Tensor, t: Tensor) => readonly (Tensor | null | undefined)[],
  fit: (c: Tensor, x: Tensor) => Tensor | null,
): (Tensor | null)[] {
  return sweep(tr, () => {
    const ct = new Map<Tensor, Tensor>([[tr.out, g]]);
    const order = orderOf(tr);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const gt = ct.get(t);
      if (gt === undefined || tr.vars.includes(t)) continue;
      const node = t._node!;
      const cts = pull(node, gt, t);
      node.inputs.forEach((x, i) => {
        const pulled = cts[i];
        if (pulled === null || pulled === undefined || x._node === undefined) return;
        const c = fit(pulled, x);
        if (c === null) return;
        const prev = ct.get(x);
        ct.set(x, prev === undefined ? c : add(prev, c));
      });
    }
    return tr.vars.map((v) => ct.get(v) ?? null);
  });
}

/** @internal Forward sweep: the tangent of `tr.out` given one tangent per variable. */
export function forward(tr: Trace, tangents: readonly Tensor[]): Tensor | null {
  return sweep(tr, () => {
    const tan = new Map<Tensor, Tensor>();
    tr.vars.forEach((v, i) => tan.set(v, tangents[i]));
    for (const t of orderOf(tr)) {
      if (tan.has(t)) continue;
      const node = t._node!;
      if (!node.inputs.some((x) => tan.has(x))) continue;
      const ins = node.inputs.map((x) => tan.get(x) ?? zeros(x.shape));
      tan.set(t, node.prim.jvp(ins, node.inputs, t, node.params));
    }
    return tan.get(tr.out) ?? null;
  });
}

/** @internal Runs `body` as a sweep over `tr` (recording only for an enclosing transform). */
export function sweep<T>(tr: Trace, body: () => T): T {
  const saved = { ...tracerState };
  // Record only when an enclosing transform will differentiate through this sweep.
  tracerState.record = tr.nested || tracerState.transformDepth > 0;
  tracerState.userDepth = 0;
  try {
    return body();
  } finally {
    Object.assign(tracerState, saved);
  }
}

/**
 * @internal The traced tensors of `tr`, inputs before outputs. A trace's graph never changes, and
 * `jacobian` sweeps one trace once per row or column, so the order is kept on the trace (a field,
 * not a WeakMap: a WeakMap entry per `grad` call cost an eighth of a small gradient's time).
 */
export function orderOf(tr: Trace): Tensor[] {
  return tr.order ??= topoOrder(tr.out, tr.vars);
}

/** Traced tensors between the variables and `out`, inputs before outputs. */
function topoOrder(out: Tensor, vars: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  if (out._node === undefined) return order;
  const seen = new Set<Tensor>();
  const stop = new Set(vars);
  // Iterative DFS: deep graphs (long training loops inside grad) must not overflow the stack.
  const stack: [Tensor, number][] = [[out, 0]];
  seen.add(out);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = stop.has(t) ? [] : t._node!.inputs;
    if (i < inputs.length) {
      top[1]++;
      const x = inputs[i];
      if (x._node !== undefined && !seen.has(x)) {
        seen.add(x);
        stack.push([x, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/** @internal Runs one public transform call, from tracing to its last sweep, as one session. */
export function session<T>(body: () => T): T {
  if (tracerState.session++ === 0) tracerState.epoch++;
  try {
    return body();
  } finally {
    tracerState.session--;
  }
}

/** @internal Drops the graph from a result unless an enclosing transform still needs it. */
export function finish(t: Tensor): Tensor {
  if (tracerState.transformDepth > 0 || t._node === undefined) return t;
  return new Tensor(raw(t), t.shape);
}

/**
 * @internal Results as the caller gets them: any whose buffer is another result's or an
 * argument's is copied. `.data` is writable, and `grad` of `a + b` would otherwise hand back
 * one buffer as both gradients, so writing one would change the other.
 */
export function unaliased(outs: Tensor[], args: readonly Tensor[]): Tensor[] {
  if (tracerState.transformDepth > 0) return outs;
  const seen = new Set<Float64Array>(args.map(raw));
  return outs.map((t) => {
    const b = raw(t);
    if (!seen.has(b)) {
      seen.add(b);
      return t;
    }
    return new Tensor(b.slice(), t.shape);
  });
}

/** @internal `bind` re-exported for transforms that build tensors from pieces. */
export { bind };

/** @internal Throws unless `x` is a Tensor, naming the transform and the argument. */
export function checkTensor(op: string, x: unknown, what: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new ValueError(
      `${op}: ${what} must be a Tensor, got ${describeValue(x)}; build one with tensor(…)`,
    );
  }
}
