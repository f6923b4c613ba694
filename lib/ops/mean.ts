import { fmtShape, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { reductionArgs } from "./shape.ts";
import { div } from "./div.ts";
import type { Operand } from "./operand.ts";
import { sum } from "./sum.ts";

/**
 * Arithmetic mean over `axis` (all axes when omitted), like `numpy.mean`.
 *
 * Averaging over an empty axis throws a `ValueError` naming the shape, as {@linkcode max} does:
 * the mean of nothing is 0/0, which NumPy returns as `NaN` with a warning that a notebook or a
 * training loop easily misses. Reduce over non-empty axes, or divide a `sum` by a count of
 * your own if an empty batch should count as 0.
 *
 * @example
 * ```ts
 * import { mean, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * assertEquals(mean(A).item(), 2.5);
 * assertEquals(mean(A, 0).toArray(), [2, 3]);
 * ```
 *
 * @example An empty axis throws rather than giving NaN
 * ```ts
 * import { mean, zeros } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => mean(zeros([0])), Error, "mean: cannot average a tensor of shape [0]");
 * ```
 */
export function mean(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  const { t, axes, keepdims } = reductionArgs("mean", a, axis, opts);
  const count = axes.reduce((p, k) => p * t.shape[k], 1);
  if (count === 0) {
    throw new ValueError(
      `mean: cannot average a tensor of shape ${fmtShape(t.shape)} over axes ` +
        `[${axes.join(", ")}]: an empty axis has no mean (0/0 would be NaN); reduce over ` +
        `non-empty axes only, or divide sum(x) by a count of your own`,
    );
  }
  return div(sum(t, axes, { keepdims }), count);
}
