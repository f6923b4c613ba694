/**
 * @internal Which linear algebra kernels the ops in `lib/linalg/` call: LAPACK when the native
 * backend is active, else the plain TypeScript ones.
 *
 * @module
 */
import type { LinalgKernels } from "../backend/linalg_kernels.ts";
import { nativeLinalg } from "../backend/backend.ts";
import { tsLinalg } from "../backend/ts/linalg.ts";

/** @internal The kernels the linear algebra ops run on. */
export function kernels(): LinalgKernels {
  return override ?? nativeLinalg() ?? tsLinalg;
}

let override: LinalgKernels | null = null;

/**
 * @internal Makes the ops run on `k` (or, with `null`, on the default again) and returns the
 * previous choice: tests run every op on each implementation, benchmarks time them side by side.
 */
export function useKernels(k: LinalgKernels | null): LinalgKernels | null {
  const saved = override;
  override = k;
  return saved;
}

/** @internal Every implementation available here, for tests that compare them. */
export function allKernels(): LinalgKernels[] {
  const native = nativeLinalg();
  return native === null ? [tsLinalg] : [tsLinalg, native];
}
