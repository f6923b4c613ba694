/**
 * `sinh` and `cosh` (`tanh` is in unary.ts). Each one's derivative is the other, traced, so the
 * Hessian is right.
 */
import { bind } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "./operand.ts";
import { unaryPrim } from "./unary.ts";

const sinhPrim = unaryPrim("sinh", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.sinh(A[i]);
}, (x) => cosh(x));
const coshPrim = unaryPrim("cosh", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.cosh(A[i]);
}, (x) => sinh(x));

/**
 * Elementwise hyperbolic sine `(eˣ − e⁻ˣ) / 2`, like `numpy.sinh` (exact for tiny `x`, where
 * the formula would cancel; `±Infinity` past `|x| ≈ 710`).
 *
 * @example `sinh' = cosh`
 * ```ts
 * import { grad, sinh, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(sinh(tensor([0, 1e-20])).toArray(), [0, 1e-20]);
 * assertAlmostEquals(sinh(1).item(), (Math.E - 1 / Math.E) / 2);
 * assertAlmostEquals(grad((x) => sum(sinh(x)), tensor([0])).item(), 1);
 * ```
 */
export function sinh(x: Operand): Tensor {
  return bind(sinhPrim, [asTensor("sinh", x)], undefined);
}

/**
 * Elementwise hyperbolic cosine `(eˣ + e⁻ˣ) / 2`, like `numpy.cosh`.
 *
 * @example `cosh' = sinh`
 * ```ts
 * import { cosh, grad, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(cosh(tensor([0])).toArray(), [1]);
 * assertAlmostEquals(grad((x) => sum(cosh(x)), tensor([1])).item(), (Math.E - 1 / Math.E) / 2);
 * ```
 */
export function cosh(x: Operand): Tensor {
  return bind(coshPrim, [asTensor("cosh", x)], undefined);
}
