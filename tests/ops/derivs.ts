/**
 * Derivative checks shared by the op-family tests: the library's own checker, first derivatives
 * in both modes at tight tolerances, then second derivatives (`checkGrad({ order: 2 })`:
 * rev-over-rev and fwd-over-rev against central differences of the gradient, of a random
 * weighting of `f` when `f` is not scalar).
 */
import { assertGrad, type Tensor } from "matcalc";

// deno-lint-ignore no-explicit-any
type Fn = (...xs: any[]) => Tensor;

/** `f`'s rules in both modes, then its second derivatives, at `x`. */
export function checkOrders(
  f: Fn,
  x: Tensor,
  opts: { rtol?: number; atol?: number } = {},
): void {
  assertGrad(f, x, { rtol: opts.rtol ?? 1e-6, atol: opts.atol ?? 1e-7 });
  assertGrad(f, x, { order: 2, rtol: 1e-5, atol: 1e-6 });
}
