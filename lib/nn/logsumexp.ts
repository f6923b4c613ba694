import { raw, Tensor } from "../tensor.ts";
import { add } from "../ops/add.ts";
import { exp, log } from "../ops/unary.ts";
import { max } from "../ops/max.ts";
import { reshape } from "../ops/reshape.ts";
import { sub } from "../ops/sub.ts";
import { sum } from "../ops/sum.ts";
import { keptShape, reducedShape, reductionArgs } from "../ops/shape.ts";
import type { Operand } from "../ops/operand.ts";
import { stopGradient } from "../ad/engine.ts";
import { zeros } from "../creation.ts";

/**
 * @internal The max over `axes` with kept dims, as a constant for autodiff and with non-finite
 * values replaced by 0: `log Σ exp(x)` = `m + log Σ exp(x − m)` for *any* constant `m`, so
 * the derivative is exact without differentiating the max, and `−∞`/`∞` rows do not turn into
 * `∞ − ∞ = NaN`.
 */
export function shiftFor(x: Tensor, axes: readonly number[]): Tensor {
  // Over an empty axis there is no max; any shift works, and Σ over nothing gives log 0 = −∞
  // (as scipy's logsumexp), and softmax an empty result.
  if (axes.some((k) => x.shape[k] === 0)) {
    return zeros(keptShape(x.shape, axes));
  }
  const m = stopGradient(max(x, axes, { keepdims: true }));
  const M = raw(m);
  if (M.every(Number.isFinite)) return m;
  return new Tensor(M.map((v) => (Number.isFinite(v) ? v : 0)), m.shape);
}

/**
 * `log Σ exp(x)` over `axis` (all axes when omitted), like `scipy.special.logsumexp`, computed
 * stably as `m + log Σ exp(x − m)` with `m = max(x)`: finite for logits of ±1000, where the
 * naive form overflows to `Infinity`. Its gradient is {@linkcode softmax}.
 *
 * @example Stable for large logits
 * ```ts
 * import { logsumexp, tensor } from "matcalc";
 * import { assertEquals, assertStrictEquals } from "@std/assert";
 *
 * assertStrictEquals(logsumexp(tensor([1000, 1000])).item(), 1000 + Math.log(2));
 * assertEquals(logsumexp(tensor([[0, 0], [-1000, 0]]), 1).toArray(), [Math.log(2), 0]);
 * ```
 */
export function logsumexp(
  x: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  const { t, axes, keepdims } = reductionArgs("logsumexp", x, axis, opts);
  const m = shiftFor(t, axes);
  const r = add(log(sum(exp(sub(t, m)), axes, { keepdims: true })), m);
  return keepdims ? r : reshape(r, reducedShape(t.shape, axes, false));
}
