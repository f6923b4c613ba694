import { checkResultSize } from "../alloc.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { matmul } from "./matmul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

/**
 * Outer product of two vectors: `outer(a, b)[i, j] = a[i] · b[j]`, i.e. `a bᵀ`.
 * It is what the chain rule for `y = W x` gives: `∂L/∂W = outer(∂L/∂y, x)`.
 *
 * @example
 * ```ts
 * import { outer, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray(), [[3, 4, 5], [6, 8, 10]]);
 * console.log(outer(tensor([1, 2]), tensor([3, 4, 5])));
 * // Tensor([[ 3,  4,  5],
 * //         [ 6,  8, 10]], shape=[2, 3])
 * ```
 */
export function outer(a: Operand, b: Operand): Tensor {
  const A = asTensor("outer", a), B = asTensor("outer", b);
  if (A.rank !== 1 || B.rank !== 1) {
    throw new ShapeError(
      `outer: cannot take the outer product of ${fmtShape(A.shape)} and ${fmtShape(B.shape)}: ` +
        `both operands must be vectors (rank 1); reshape them, or use tensordot(a, b, 0)`,
    );
  }
  checkResultSize("outer", [A.size, B.size]);
  // A product with inner dimension 1: the backend writes it in one pass (OpenBLAS on all
  // threads), and its derivatives are the matrix·vector products of matmul's rules.
  return matmul(reshape(A, [A.size, 1]), reshape(B, [1, B.size]));
}
