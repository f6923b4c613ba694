/**
 * @internal Which linear algebra kernels the ops in `lib/linalg/` call: the plain TypeScript
 * ones until a native (LAPACK) backend is merged and loads.
 *
 * @module
 */
import type { LinalgKernels } from "../backend/linalg_kernels.ts";
import { tsLinalg } from "../backend/ts/linalg.ts";

/** @internal The kernels the linear algebra ops run on. */
export function kernels(): LinalgKernels {
  return tsLinalg;
}

/** @internal Every implementation available here, for tests that compare them. */
export function allKernels(): LinalgKernels[] {
  return [tsLinalg];
}
