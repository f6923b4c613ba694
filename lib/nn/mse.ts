import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { mean } from "../ops/mean.ts";
import { square } from "../ops/unary.ts";
import { sub } from "../ops/sub.ts";
import { asTensor, type Operand } from "../ops/operand.ts";

/**
 * Mean squared error `mean((pred − target)²)` over all elements, a scalar. The shapes must be
 * equal: broadcasting `[n]` against `[n, 1]` would silently average an `n×n` table.
 *
 * @example
 * ```ts
 * import { mse, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.equal(mse(tensor([1, 2, 3]), tensor([1, 2, 5])).item(), 4 / 3);
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
  return mean(square(sub(p, t)));
}
