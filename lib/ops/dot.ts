import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { matmul } from "./matmul.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { tensordot } from "./tensordot.ts";

/**
 * Dot product, like `numpy.dot`: vector · vector is a scalar, matrices and vectors multiply as
 * in {@linkcode matmul}, a scalar operand scales the other, and for higher ranks it sums over the
 * last axis of `a` and the second-to-last axis of `b` (the last, if `b` is a vector).
 *
 * @example
 * ```ts
 * import { dot, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(), 32);
 * assertEquals(dot(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(), [3, 7]);
 * assertEquals(dot(2, tensor([1, 2])).toArray(), [2, 4]);
 * ```
 */
export function dot(a: Operand, b: Operand): Tensor {
  const A = asTensor("dot", a), B = asTensor("dot", b);
  if (A.rank === 0 || B.rank === 0) return mul(A, B);
  const ka = A.rank - 1, kb = B.rank === 1 ? 0 : B.rank - 2;
  if (A.shape[ka] !== B.shape[kb]) {
    throw new ShapeError(
      `dot: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: the last axis of a ` +
        `(${A.shape[ka]}) must match ${B.rank === 1 ? "the length of b" : "axis -2 of b"} ` +
        `(${B.shape[kb]})`,
    );
  }
  if (A.rank <= 2 && B.rank <= 2) return matmul(A, B);
  return tensordot(A, B, [[ka], [kb]]);
}
