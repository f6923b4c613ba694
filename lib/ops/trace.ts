import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { eye } from "../creation.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { sum } from "./sum.ts";

/**
 * Sum of the diagonal of a matrix, `tr(A) = Σᵢ Aᵢᵢ`, like `numpy.trace` (rectangular matrices
 * sum their leading diagonal). The Frobenius pairing the notebooks use is `tr(Gᵀ ΔW)`.
 *
 * @example `tr(Gᵀ ΔW)` equals the sum of the elementwise product
 * ```ts
 * import { matmul, mul, sum, tensor, trace, transpose } from "matcalc";
 * import { assertEquals, assertStrictEquals } from "@std/assert";
 *
 * const G = tensor([[1, 2], [3, 4]]), dW = tensor([[0, 1], [1, 0]]);
 * assertEquals(trace(tensor([[1, 2], [3, 4]])).item(), 5);
 * assertStrictEquals(trace(matmul(transpose(G), dW)).item(), sum(mul(G, dW)).item());
 * ```
 */
export function trace(a: Operand): Tensor {
  const t = asTensor("trace", a);
  if (t.rank !== 2) {
    throw new ShapeError(
      `trace: cannot take the trace of a tensor of shape ${fmtShape(t.shape)}: it needs a ` +
        `matrix (rank 2); use einsum for traces over other axes`,
    );
  }
  // Masking with the identity keeps trace a composite, so it needs no derivative rule of its own.
  return sum(mul(t, eye(t.shape[0], t.shape[1])));
}
