import type { Tensor } from "../tensor.ts";
import { exp } from "../ops/unary.ts";
import { sub } from "../ops/sub.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { logsumexp, shiftFor } from "./logsumexp.ts";
import { div } from "../ops/div.ts";
import { sum } from "../ops/sum.ts";
import { normalizeAxes } from "../ops/axes.ts";

/**
 * `softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)` along `axis` (default the last), computed as
 * `exp(x − logsumexp(x))` so logits of ±1000 give exact probabilities instead of `NaN`.
 * Its Jacobian is `diag(s) − s sᵀ`.
 *
 * @example
 * ```ts
 * import { softmax, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(softmax(tensor([0, 0])).toArray(), [0.5, 0.5]);
 * assert.deepEqual(softmax(tensor([[1000, -1000]])).toArray(), [[1, 0]]);
 * ```
 */
export function softmax(x: Operand, axis = -1): Tensor {
  const t = asTensor("softmax", x);
  const axes = normalizeAxes("softmax", axis, t.shape);
  // exp(x − m) / Σ exp(x − m) rather than exp(logSoftmax): exact for equal logits (½, not
  // 0.5000000000000275), and the shift m needs no derivative because softmax ignores it.
  const e = exp(sub(t, shiftFor(t, axes)));
  return div(e, sum(e, axes, { keepdims: true }));
}

/**
 * `log softmax(x) = x − logsumexp(x)` along `axis` (default the last): the log-probabilities a
 * cross-entropy loss needs, finite even where `softmax` underflows to 0.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(logSoftmax(tensor([1000, 0])).toArray(), [0, -1000]);
 * ```
 */
export function logSoftmax(x: Operand, axis = -1): Tensor {
  const t = asTensor("logSoftmax", x);
  normalizeAxes("logSoftmax", axis, t.shape);
  return sub(t, logsumexp(t, axis, { keepdims: true }));
}
