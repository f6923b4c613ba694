import type { Tensor } from "../tensor.ts";
import { reductionArgs } from "./shape.ts";
import { div } from "./div.ts";
import type { Operand } from "./operand.ts";
import { sum } from "./sum.ts";

/**
 * Arithmetic mean over `axis` (all axes when omitted), like `numpy.mean`. The mean of an empty
 * tensor is `NaN`, as in NumPy.
 *
 * @example
 * ```ts
 * import { mean, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * assert.equal(mean(A).item(), 2.5);
 * assert.deepEqual(mean(A, 0).toArray(), [2, 3]);
 * ```
 */
export function mean(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  const { t, axes, keepdims } = reductionArgs("mean", a, axis, opts);
  const count = axes.reduce((p, k) => p * t.shape[k], 1);
  return div(sum(t, axes, { keepdims }), count);
}
