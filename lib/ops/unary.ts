/**
 * Elementwise math, one row per primitive: the function, and its derivative written with matcalc
 * ops (so second derivatives work). Both rules multiply by the same local derivative `d(x, y)`
 * where `y = f(x)`.
 */
import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { tracerState } from "../ad/state.ts";
import { raw, Tensor } from "../tensor.ts";
import { div } from "./div.ts";
import { mul } from "./mul.ts";
import { sub } from "./sub.ts";
import { neg } from "./neg.ts";
import { where } from "./where.ts";
import { asTensor, type Operand } from "./operand.ts";
import { zeros } from "../creation.ts";

/**
 * @internal `loop(A, out)` writes `f(A[i])` to every `out[i]`. Each op spells its own loop (rather than one
 * shared loop calling `f`) so that V8 inlines `f`: a shared loop sees many callbacks and makes a
 * call per element.
 */
export function unaryPrim(
  name: string,
  loop: (A: Float64Array, out: Float64Array) => void,
  d: (x: Tensor, y: Tensor) => Tensor,
  kind: "slope" | "mask" | "flat" = "slope",
  fusedVjp?: (G: Float64Array, X: Float64Array, Y: Float64Array, out: Float64Array) => void,
): Primitive {
  // A 0/1 mask (relu) selects rather than multiplies, and a flat op (sign, step) passes zeros:
  // an incoming Infinity (from sqrt at 0, say) times a zero slope would be NaN where the
  // derivative is plainly 0, as PyTorch and JAX also give.
  const chain = (t: Tensor, x: Tensor, y: Tensor): Tensor =>
    kind === "flat" ? zerosLike(x) : kind === "mask" ? where(d(x, y), t, 0) : mul(t, d(x, y));
  return {
    name,
    forward: ([a]) => {
      const A = raw(a), out = allocate(name, a.shape);
      loop(A, out);
      return new Tensor(out, a.shape);
    },
    vjp: (g, [x], y) => {
      // The outermost sweep (nothing records) needs numbers, not a differentiable rule: one
      // loop doing the rule's arithmetic in the rule's order (the same bits, one result
      // instead of three). A stack of cotangents (a batched sweep) takes the rule.
      if (fusedVjp !== undefined && !tracerState.record && g.size === y.size) {
        const out = allocate(name, g.shape);
        fusedVjp(raw(g), raw(x), raw(y), out);
        return [new Tensor(out, g.shape)];
      }
      return [chain(g, x, y)];
    },
    jvp: ([dx], [x], y) => chain(dx, x, y),
  };
}

const zerosLike = (x: Tensor): Tensor => zeros(x.shape);

const expPrim = unaryPrim("exp", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.exp(A[i]);
}, (_x, y) => y);
const logPrim = unaryPrim("log", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.log(A[i]);
}, (x) => div(1, x));
const tanhPrim = unaryPrim(
  "tanh",
  (A, out) => {
    for (let i = 0; i < A.length; i++) out[i] = Math.tanh(A[i]);
  },
  (_x, y) => sub(1, mul(y, y)),
  "slope",
  (G, _X, Y, out) => {
    for (let i = 0; i < G.length; i++) out[i] = G[i] * (1 - Y[i] * Y[i]);
  },
);
const sqrtPrim = unaryPrim("sqrt", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.sqrt(A[i]);
}, (_x, y) => div(0.5, y));
const absPrim = unaryPrim("abs", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.abs(A[i]);
}, (x) => sign(x));
const signPrim = unaryPrim(
  "sign",
  (A, out) => {
    for (let i = 0; i < A.length; i++) out[i] = Math.sign(A[i]);
  },
  zerosLike,
  "flat",
);
// relu'(0) is taken as 0, as in PyTorch and JAX.
const reluPrim = unaryPrim(
  "relu",
  (A, out) => {
    for (let i = 0; i < A.length; i++) out[i] = A[i] > 0 ? A[i] : 0;
  },
  (x) => step(x),
  "mask",
);
const stepPrim = unaryPrim(
  "step",
  (A, out) => {
    for (let i = 0; i < A.length; i++) out[i] = A[i] > 0 ? 1 : 0;
  },
  zerosLike,
  "flat",
);

/**
 * Elementwise `eˣ`.
 *
 * @example
 * ```ts
 * import { exp, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(exp(tensor([0])).toArray(), [1]);
 * ```
 */
export function exp(x: Operand): Tensor {
  return bind(expPrim, [asTensor("exp", x)], undefined);
}

/**
 * Elementwise natural logarithm (`log(0)` is `-Infinity`, negative inputs give `NaN`, as in
 * IEEE arithmetic).
 *
 * @example
 * ```ts
 * import { log, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(log(tensor([1])).toArray(), [0]);
 * ```
 */
export function log(x: Operand): Tensor {
  return bind(logPrim, [asTensor("log", x)], undefined);
}

/**
 * Elementwise hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { tanh, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(tanh(tensor([0])).toArray(), [0]);
 * ```
 */
export function tanh(x: Operand): Tensor {
  return bind(tanhPrim, [asTensor("tanh", x)], undefined);
}

/**
 * Elementwise square root.
 *
 * @example
 * ```ts
 * import { sqrt, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sqrt(tensor([4, 9])).toArray(), [2, 3]);
 * ```
 */
export function sqrt(x: Operand): Tensor {
  return bind(sqrtPrim, [asTensor("sqrt", x)], undefined);
}

/**
 * Elementwise absolute value; its derivative at 0 is taken as 0.
 *
 * @example
 * ```ts
 * import { abs, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(abs(tensor([-2, 3])).toArray(), [2, 3]);
 * ```
 */
export function abs(x: Operand): Tensor {
  return bind(absPrim, [asTensor("abs", x)], undefined);
}

/**
 * Elementwise sign: -1, 0 or 1.
 *
 * @example
 * ```ts
 * import { sign, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sign(tensor([-2, 0, 3])).toArray(), [-1, 0, 1]);
 * ```
 */
export function sign(x: Operand): Tensor {
  return bind(signPrim, [asTensor("sign", x)], undefined);
}

/**
 * Rectified linear unit `max(x, 0)`; its derivative at 0 is taken as 0.
 *
 * @example
 * ```ts
 * import { relu, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(relu(tensor([-1, 0, 2])).toArray(), [0, 0, 2]);
 * ```
 */
export function relu(x: Operand): Tensor {
  return bind(reluPrim, [asTensor("relu", x)], undefined);
}

/**
 * Heaviside step: 1 where `x > 0`, else 0 (the derivative of {@linkcode relu}).
 *
 * @example
 * ```ts
 * import { step, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(step(tensor([-1, 0, 2])).toArray(), [0, 0, 1]);
 * ```
 */
export function step(x: Operand): Tensor {
  return bind(stepPrim, [asTensor("step", x)], undefined);
}

/**
 * Elementwise `x²`.
 *
 * @example
 * ```ts
 * import { square, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(square(tensor([-3, 2])).toArray(), [9, 4]);
 * ```
 */
export function square(x: Operand): Tensor {
  const t = asTensor("square", x);
  return mul(t, t);
}

// Two branches so that e^(±x) never overflows and a small result keeps its digits: through
// (1 + tanh(x/2)) / 2, sigmoid(-38) was 77 % off and sigmoid(-40) exactly 0, so the
// log(sigmoid(z)) of a binary cross-entropy was -Infinity. The slope σ(x)·σ(-x) is as accurate.
const sigmoidPrim = unaryPrim("sigmoid", (A, out) => {
  for (let i = 0; i < A.length; i++) {
    const x = A[i];
    if (x >= 0) out[i] = 1 / (1 + Math.exp(-x));
    else {
      const e = Math.exp(x);
      out[i] = e / (1 + e);
    }
  }
}, (x, y) => mul(y, sigmoid(neg(x))));

/**
 * The logistic sigmoid `1 / (1 + e⁻ˣ)`, to full float64 precision on both sides: no overflow for
 * large `|x|`, and `sigmoid(-40)` ≈ 4.2e-18 rather than 0.
 *
 * @example
 * ```ts
 * import { sigmoid, tensor } from "matcalc";
 * import { assert, assertEquals } from "@std/assert";
 *
 * assertEquals(sigmoid(tensor([0, 1000, -1000])).toArray(), [0.5, 1, 0]);
 * assert(Math.abs(sigmoid(tensor(-40)).item() / Math.exp(-40) - 1) < 1e-15);
 * ```
 */
export function sigmoid(x: Operand): Tensor {
  return bind(sigmoidPrim, [asTensor("sigmoid", x)], undefined);
}
