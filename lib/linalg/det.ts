import { bind, type Primitive } from "../ad/node.ts";
import { raw, Tensor } from "../tensor.ts";
import { mul } from "../ops/mul.ts";
import { sum } from "../ops/sum.ts";
import type { Operand } from "../ops/operand.ts";
import { batched, squareInput } from "./common.ts";
import { cofactor } from "./cofactor.ts";
import { kernels } from "./kernels.ts";

/**
 * `det A` of one matrix. Jacobi's formula `d det A = ⟨cof A, dA⟩`, with the cofactor matrix as
 * its own primitive rather than `det(A) A⁻ᵀ`: both anchors (JAX's `_det_jvp`, PyTorch's
 * `linalg_det_backward`) special-case singular input for the same reason; we follow PyTorch in
 * going through an SVD there, which gives the exact cofactor at any rank (u uᵀ-like at corank 1,
 * 0 at corank ≥ 2) rather than JAX's `det·solve` plus a rank-deficient fix-up.
 */
const detPrim: Primitive = {
  name: "det",
  forward: ([a]) => {
    const lu = kernels().lu(raw(a), a.shape[0]);
    return new Tensor(Float64Array.of(lu.det ?? lu.sign * Math.exp(lu.logAbsDet)), []);
  },
  vjp: (g, [a]) => [mul(g, cofactor(a))],
  jvp: ([da], [a]) => sum(mul(cofactor(a), da)),
};

/**
 * The determinant of a square matrix, like `numpy.linalg.det` (from an LU factorization with
 * partial pivoting); a stack `[..., n, n]` gives one determinant per matrix. For large or small
 * determinants prefer {@linkcode slogdet}, which does not overflow.
 *
 * Derivative (Jacobi's formula): `∂ det A / ∂A = cof(A)`, the cofactor matrix, which is
 * `det(A) A⁻ᵀ` when `A` is invertible. At a singular matrix it is still the cofactor matrix,
 * finite and exact (computed from an SVD when the LU's condition estimate is below 1e-8):
 * `u uᵀ`-like at corank 1 and 0 at corank ≥ 2, never `0 · ∞`. The second derivative at a
 * singular matrix raises a `ValueError` (not implemented).
 *
 * @example det, and its gradient at a singular matrix (the cofactor matrix)
 * ```ts
 * import { assertAllClose, det, grad, tensor } from "matcalc";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * assertAlmostEquals(det(tensor([[1, 2], [3, 4]])).item(), -2, 1e-14);
 * assertAllClose(grad(det, tensor([[1, 2], [3, 4]])), [[4, -3], [-2, 1]]);
 * // Singular, corank 1: the gradient is u uᵀ with u = (27, −45, −60).
 * const S = tensor([[50, -30, 45], [-30, 90, -81], [45, -81, 81]]);
 * const u = [27, -45, -60];
 * assertAllClose(grad(det, S), u.map((a) => u.map((b) => a * b)), { atol: 1e-9 });
 * ```
 */
export function det(A: Operand): Tensor {
  const a = squareInput("det", A, true);
  return batched(a, (m) => bind(detPrim, [m], undefined));
}
