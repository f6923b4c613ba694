/**
 * `log1p`, `expm1` and `softplus`: logarithms and exponentials that keep their digits where the
 * plain formulas cancel (`log(1 + 1e-17)` is 0, `log1p(1e-17)` is 1e-17) or overflow
 * (`log(1 + e¹⁰⁰⁰)` is Infinity, `softplus(1000)` is 1000).
 */
import { bind } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { add } from "./add.ts";
import { div } from "./div.ts";
import { asTensor, type Operand } from "./operand.ts";
import { sigmoid, unaryPrim } from "./unary.ts";

const log1pPrim = unaryPrim("log1p", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.log1p(A[i]);
}, (x) => div(1, add(1, x)));
// expm1' = eˣ = expm1(x) + 1, from the output.
const expm1Prim = unaryPrim("expm1", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.expm1(A[i]);
}, (_x, y) => add(y, 1));
// log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)): the exponential never overflows, and for x ≪ 0 the
// result keeps its digits (softplus(−40) ≈ 4.2e-18, not 0). Its slope is the sigmoid, which is
// itself exact on both sides and differentiable.
const softplusPrim = unaryPrim("softplus", (A, out) => {
  for (let i = 0; i < A.length; i++) {
    const x = A[i];
    out[i] = (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}, (x) => sigmoid(x));

/**
 * Elementwise `log(1 + x)`, accurate for small `x`, like `numpy.log1p`. Domain `x ≥ −1`:
 * `log1p(−1)` is `-Infinity`, below it `NaN` (IEEE, as {@linkcode log}).
 *
 * @example Small arguments keep their digits
 * ```ts
 * import { grad, log1p, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(log1p(tensor([0, 1e-17, -1])).toArray(), [0, 1e-17, -Infinity]);
 * assertAlmostEquals(grad((x) => sum(log1p(x)), tensor([1])).item(), 0.5);
 * ```
 */
export function log1p(x: Operand): Tensor {
  return bind(log1pPrim, [asTensor("log1p", x)], undefined);
}

/**
 * Elementwise `eˣ − 1`, accurate for small `x`, like `numpy.expm1`.
 *
 * @example
 * ```ts
 * import { expm1, grad, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(expm1(tensor([0, 1e-17, -Infinity])).toArray(), [0, 1e-17, -1]);
 * assertAlmostEquals(grad((x) => sum(expm1(x)), tensor([1])).item(), Math.E);
 * ```
 */
export function expm1(x: Operand): Tensor {
  return bind(expm1Prim, [asTensor("expm1", x)], undefined);
}

/**
 * Elementwise `softplus(x) = log(1 + eˣ)`, a smooth `relu`, like `jax.nn.softplus` and
 * `torch.nn.functional.softplus` (NumPy writes `numpy.logaddexp(0, x)`). Stable for large `|x|`:
 * `softplus(1000)` is 1000, `softplus(−1000)` is 0 and `softplus(−40)` keeps its digits.
 * Its derivative is {@linkcode sigmoid}.
 *
 * @example
 * ```ts
 * import { grad, softplus, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(softplus(tensor([1000, -1000])).toArray(), [1000, 0]);
 * assertAlmostEquals(softplus(0).item(), Math.LN2);
 * assertAlmostEquals(softplus(-40).item() / Math.exp(-40), 1, 1e-15);
 * assertEquals(grad((x) => sum(softplus(x)), tensor([0])).toArray(), [0.5]);
 * ```
 */
export function softplus(x: Operand): Tensor {
  return bind(softplusPrim, [asTensor("softplus", x)], undefined);
}
