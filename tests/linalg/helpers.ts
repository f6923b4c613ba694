/**
 * Shared checks for the linear algebra tests: every rule against central differences in both
 * modes, and at order 2 twice over: the Hessian of a random scalar projection of f against
 * differences of its gradient (relative error, as numpy's tests state it), then the library's
 * own `assertGrad({ order: 2 })`.
 */
import { assert } from "@std/assert";
import {
  assertGrad,
  grad,
  hessian,
  jacfwd,
  jacrev,
  mul,
  numericalJacobian,
  randn,
  sum,
  type Tensor,
} from "../../lib/mod.ts";
import { allKernels, useKernels } from "../../lib/linalg/kernels.ts";

/** Registers the test once per available kernel implementation (TypeScript, and LAPACK when loaded). */
export function forEachKernel(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void> | void,
): void {
  for (const k of allKernels()) {
    Deno.test(`${name} [${k.name}]`, async (t) => {
      const saved = useKernels(k);
      try {
        await fn(t);
      } finally {
        useKernels(saved);
      }
    });
  }
}

/** The largest |a − b| relative to max(1, |b|), over two tensors of the same shape. */
export function relErr(a: Tensor, b: Tensor): number {
  assert(a.shape.join() === b.shape.join(), `shapes ${a.shape} vs ${b.shape}`);
  let err = 0;
  const x = a.data, y = b.data;
  for (let i = 0; i < x.length; i++) {
    err = Math.max(err, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
  }
  return err;
}

/**
 * Checks `f` at `x`: jacrev and jacfwd against central differences, and the Hessian of
 * `sum(w ⊙ f(x))` (random `w`) against central differences of its gradient.
 */
export function checkRules(
  name: string,
  f: (x: Tensor) => Tensor,
  x: Tensor,
  { tol = 1e-6, order2 = true } = {},
): void {
  const num = numericalJacobian(f, x);
  const rev = jacrev(f, x), fwd = jacfwd(f, x);
  assert(relErr(rev, num) < tol, `${name}: jacrev vs differences ${relErr(rev, num)}`);
  assert(relErr(fwd, num) < tol, `${name}: jacfwd vs differences ${relErr(fwd, num)}`);
  if (!order2) return;
  const w = randn(f(x).shape, { seed: 42 });
  const s = (x: Tensor) => sum(mul(w, f(x)));
  const h = hessian(s, x);
  const hn = numericalJacobian((x) => grad(s, x), x);
  assert(relErr(h, hn) < tol * 10, `${name}: hessian vs differences of grad ${relErr(h, hn)}`);
  // And the shared checker: rev-over-rev and fwd-over-rev against differences of the gradient.
  assertGrad(f, x, { order: 2 });
}
