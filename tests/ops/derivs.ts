/**
 * Derivative checks shared by the op-family tests: both modes against central differences
 * (`assertGrad`), and the second derivative two ways (forward-over-reverse `hessian`,
 * reverse-over-reverse `jacrev` of `grad`) against central differences of `grad`, until
 * `checkGrad(f, x, { order: 2 })` exists.
 */
import {
  assertAllClose,
  assertGrad,
  grad,
  hessian,
  jacrev,
  mul,
  numericalJacobian,
  randn,
  sum,
  type Tensor,
} from "matcalc";

// deno-lint-ignore no-explicit-any
type Fn = (...xs: any[]) => Tensor;

/** `f`'s rules in both modes, then the Hessian of a random weighting of `f` at `x`. */
export function checkOrders(
  f: Fn,
  x: Tensor,
  opts: { seed?: number; rtol?: number; atol?: number } = {},
): void {
  assertGrad(f, x, { rtol: opts.rtol ?? 1e-6, atol: opts.atol ?? 1e-7 });
  const w = randn(f(x).shape, { seed: opts.seed ?? 7 });
  const scalar = (v: Tensor) => sum(mul(w, f(v)));
  const numeric = numericalJacobian((v) => grad(scalar, v), x);
  const tol = { rtol: 1e-5, atol: 1e-6 };
  assertAllClose(hessian(scalar, x), numeric, tol);
  assertAllClose(jacrev((v) => grad(scalar, v), x), numeric, tol);
}
