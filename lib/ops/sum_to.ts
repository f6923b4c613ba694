import { fmtShape, ShapeError } from "../errors.ts";
import { checkShape, type Tensor } from "../tensor.ts";
import { asTensor } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { sum } from "./sum.ts";

/**
 * Sums `a` down to `shape`, undoing a broadcast: the adjoint of {@linkcode broadcastTo}.
 * Reverse mode uses it to give each operand of a broadcasting op a gradient of its own shape.
 *
 * @example
 * ```ts
 * import { sumTo, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(sumTo(tensor([[1, 2], [3, 4]]), [2]).toArray(), [4, 6]);
 * assert.deepEqual(sumTo(tensor([[1, 2], [3, 4]]), [2, 1]).toArray(), [[3], [7]]);
 * ```
 */
export function sumTo(a: Tensor, shape: readonly number[]): Tensor {
  a = asTensor("sumTo", a, "a");
  checkShape("sumTo", shape);
  const off = a.rank - shape.length;
  if (off < 0 || shape.some((d, k) => d !== 1 && d !== a.shape[k + off])) {
    throw new ShapeError(
      `sumTo: cannot sum ${fmtShape(a.shape)} down to ${fmtShape(shape)}: the target must be ` +
        `a broadcast source of the tensor's shape`,
    );
  }
  const axes: number[] = [];
  for (let k = 0; k < a.rank; k++) {
    if (k < off || (shape[k - off] === 1 && a.shape[k] !== 1)) axes.push(k);
  }
  if (axes.length === 0) return a.rank === shape.length ? a : reshape(a, shape);
  return reshape(sum(a, axes), shape);
}
