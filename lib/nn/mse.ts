import { fmtShape, ShapeError, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { mean } from "../ops/mean.ts";
import { square } from "../ops/unary.ts";
import { sub } from "../ops/sub.ts";
import { asTensor, type Operand } from "../ops/operand.ts";

/**
 * Mean squared error `mean((pred − target)²)` over all elements, a scalar. The shapes must be
 * equal: broadcasting `[n]` against `[n, 1]` would silently average an `n×n` table. Empty
 * tensors throw a `ValueError` (their mean would be 0/0 = NaN).
 *
 * @example
 * ```ts
 * import { mse, tensor } from "matcalc";
 * import { assertStrictEquals } from "@std/assert";
 *
 * assertStrictEquals(mse(tensor([1, 2, 3]), tensor([1, 2, 5])).item(), 4 / 3);
 * ```
 */
export function mse(pred: Operand, target: Operand): Tensor {
  const p = asTensor("mse", pred, "pred"), t = asTensor("mse", target, "target");
  if (p.rank !== t.rank || p.shape.some((d, k) => d !== t.shape[k])) {
    throw new ShapeError(
      `mse: cannot compare pred of shape ${fmtShape(p.shape)} with target of shape ` +
        `${fmtShape(t.shape)}: the shapes must be equal (reshape one of them)`,
    );
  }
  if (p.size === 0) {
    throw new ValueError(
      `mse: pred and target of shape ${fmtShape(p.shape)} are empty: the mean of no squared ` +
        `errors is 0/0, which would be NaN; check the data (an empty batch?)`,
    );
  }
  return mean(square(sub(p, t)));
}
