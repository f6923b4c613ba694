import { allocate } from "../alloc.ts";
import { raw, Tensor } from "../tensor.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { tracerState } from "../ad/state.ts";
import { exp } from "../ops/unary.ts";
import { sub } from "../ops/sub.ts";
import { add } from "../ops/add.ts";
import { mul } from "../ops/mul.ts";
import { neg } from "../ops/neg.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { logsumexp, shiftFor } from "./logsumexp.ts";
import { div } from "../ops/div.ts";
import { sum } from "../ops/sum.ts";
import { normalizeAxes, sizeOf } from "../ops/shape.ts";

/**
 * `softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)` along `axis` (default the last), computed as
 * `exp(x − logsumexp(x))` so logits of ±1000 give exact probabilities instead of `NaN`.
 * Its Jacobian is `diag(s) − s sᵀ`.
 *
 * @example
 * ```ts
 * import { softmax, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(softmax(tensor([0, 0])).toArray(), [0.5, 0.5]);
 * assertEquals(softmax(tensor([[1000, -1000]])).toArray(), [[1, 0]]);
 * ```
 */
export function softmax(x: Operand, axis = -1): Tensor {
  const t = asTensor("softmax", x);
  const axes = normalizeAxes("softmax", axis, t.shape);
  // exp(x − m) / Σ exp(x − m) rather than exp(logSoftmax): exact for equal logits (½, not
  // 0.5000000000000275), and the shift m needs no derivative because softmax ignores it.
  const e = exp(sub(t, shiftFor(t, axes)));
  return div(e, sum(e, axes, { keepdims: true }));
}

/**
 * `log softmax(x) = x − logsumexp(x)` along `axis` (default the last): the log-probabilities a
 * cross-entropy loss needs, finite even where `softmax` underflows to 0.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(logSoftmax(tensor([1000, 0])).toArray(), [0, -1000]);
 * ```
 */
export function logSoftmax(x: Operand, axis = -1): Tensor {
  const t = asTensor("logSoftmax", x);
  const [k] = normalizeAxes("logSoftmax", axis, t.shape);
  // Empty tensors take the composite, whose result is empty too.
  if (t.size === 0) return sub(t, logsumexp(t, axis, { keepdims: true }));
  return bind(logSoftmaxPrim, [t], k);
}

/**
 * `x − logsumexp(x)` along one axis as a single primitive: training loops call it every step,
 * and the composite costs about ten passes and buffers where this costs one. The forward does
 * the composite's arithmetic in the composite's order (same bits), and the rules are the
 * composite's derivative written out, with the same shift `m` (a constant):
 * `dx = g − Σg · e / S` with `e = exp(x − m)`, `S = Σe`.
 */
const logSoftmaxPrim: Primitive<number> = {
  name: "logSoftmax",
  forward: ([a], axis) => {
    const A = raw(a), out = allocate("logSoftmax", a.shape);
    const [pre, mid, post] = around(a, axis);
    for (let p = 0; p < pre; p++) {
      for (let q = 0; q < post; q++) {
        const base = p * mid * post + q;
        const m = shiftAt(A, base, mid, post);
        let S = 0;
        for (let j = 0; j < mid; j++) S += Math.exp(A[base + j * post] - m);
        // (x − m) − log S: m + log S would round log S away when |m| is huge (1e308).
        const logS = Math.log(S);
        for (let j = 0; j < mid; j++) out[base + j * post] = A[base + j * post] - m - logS;
      }
    }
    return new Tensor(out, a.shape);
  },
  vjp: (g, [x], _out, axis) => {
    // The outermost sweep (nothing records) needs numbers, not a differentiable rule: one loop
    // doing the rule's arithmetic in the rule's order.
    if (!tracerState.record) return [new Tensor(logSoftmaxVjp(raw(g), x, axis), x.shape)];
    const { e, S } = shifted(x, axis);
    const gS = mul(sum(neg(g), axis, { keepdims: true }), div(1, S));
    return [add(g, mul(gS, e))];
  },
  jvp: ([dx], [x], _out, axis) => {
    const { e, S } = shifted(x, axis);
    return sub(dx, mul(sum(mul(dx, e), axis, { keepdims: true }), div(1, S)));
  },
};

/** The shape of `a` as `[pre, mid, post]` around `axis`. */
function around(a: Tensor, axis: number): [number, number, number] {
  const mid = a.shape[axis];
  const post = sizeOf(a.shape.slice(axis + 1));
  return [a.size / (mid * post), mid, post];
}

/**
 * @internal `m` as `shiftFor` gives it: the max as `max` computes it (NaN wins), 0 if not finite.
 */
export function shiftAt(A: Float64Array, base: number, mid: number, post: number): number {
  let m = A[base];
  for (let j = 1; j < mid; j++) {
    const v = A[base + j * post];
    if ((v !== v || v > m) && m === m) m = v;
  }
  return Number.isFinite(m) ? m : 0;
}

/** The VJP rule `g + (Σ(−g) · (1/S)) · e` on buffers, in the op-based rule's order. */
function logSoftmaxVjp(G: Float64Array, x: Tensor, axis: number): Float64Array {
  const A = raw(x), out = new Float64Array(A.length);
  const [pre, mid, post] = around(x, axis);
  for (let p = 0; p < pre; p++) {
    for (let q = 0; q < post; q++) {
      const base = p * mid * post + q;
      const m = shiftAt(A, base, mid, post);
      let S = 0, gs = 0;
      for (let j = 0; j < mid; j++) {
        const i = base + j * post;
        out[i] = Math.exp(A[i] - m);
        S += out[i];
        gs += -G[i];
      }
      const c = gs * (1 / S);
      for (let j = 0; j < mid; j++) {
        const i = base + j * post;
        out[i] = G[i] + c * out[i];
      }
    }
  }
  return out;
}

/** `e = exp(x − m)` and `S = Σ e` along `axis` (kept), with the constant shift of `logsumexp`. */
function shifted(x: Tensor, axis: number): { e: Tensor; S: Tensor } {
  const e = exp(sub(x, shiftFor(x, [axis])));
  return { e, S: sum(e, axis, { keepdims: true }) };
}
