import { fmtShape, fmtValue, ShapeError, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { broadcastTo } from "../ops/sum.ts";
import { eye } from "../creation.ts";
import { matmul } from "../ops/matmul.ts";
import { inv } from "./inv.ts";
import { finiteInput } from "./common.ts";
import { asTensor, type Operand } from "../ops/operand.ts";

/**
 * `Aᵏ` for an integer `k`, like `numpy.linalg.matrix_power`, for a square matrix or a stack
 * `[..., n, n]`: `k = 0` gives the identity, `k > 0` repeated squaring (about `2 log₂ k`
 * products), `k < 0` the power of `inv(A)`. Made of `matmul` (and `inv`), so every derivative
 * comes from theirs: `d(A²) = dA A + A dA`.
 *
 * @example
 * ```ts
 * import { grad, matrixPower, sum, tensor, trace } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 1], [0, 1]]);
 * assertEquals(matrixPower(A, 5).toArray(), [[1, 5], [0, 1]]);
 * assertEquals(matrixPower(A, 0).toArray(), [[1, 0], [0, 1]]);
 * assertEquals(matrixPower(A, -2).toArray(), [[1, -2], [0, 1]]);
 * // ∂ tr(A³) / ∂A = 3 (A²)ᵀ
 * assertEquals(grad((X) => trace(matrixPower(X, 3)), A).toArray(), [[3, 0], [6, 3]]);
 * ```
 */
export function matrixPower(A: Operand, k: number): Tensor {
  const t = asTensor("matrixPower", A, "A");
  if (t.rank < 2 || t.shape[t.rank - 1] !== t.shape[t.rank - 2]) {
    throw new ShapeError(
      `matrixPower: A must be a square matrix [n, n] or a stack of them [..., n, n], got shape ` +
        `${fmtShape(t.shape)}`,
    );
  }
  if (!Number.isInteger(k)) {
    throw new ValueError(
      `matrixPower: exponent k must be an integer, got ${fmtValue(k)}; for fractional powers ` +
        `of a symmetric matrix use eigh`,
    );
  }
  const n = t.shape[t.rank - 1];
  if (k === 0) return broadcastTo(eye(n), t.shape);
  let base = k < 0 ? inv(finiteInput("matrixPower (k < 0)", t, "A")) : t;
  let e = Math.abs(k);
  let out: Tensor | null = null;
  while (true) {
    if (e & 1) out = out === null ? base : matmul(out, base);
    e = Math.floor(e / 2);
    if (e === 0) break;
    base = matmul(base, base);
  }
  return out!;
}
