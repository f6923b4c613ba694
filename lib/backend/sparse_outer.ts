/**
 * @internal The outer product `a bᵀ` (a product with inner dimension 1) when most of `a` is zero,
 * as it is when a dense Jacobian pulls back one-hot cotangents: `∂(W x)/∂W` is the outer
 * product of the stacked one-hots with `x`, and all but one row in `m` of it is zero. Writing
 * only the nonzero rows into a fresh (zeroed) buffer skips the full write of the dense result.
 *
 * @module
 */
import { allocate } from "../alloc.ts";

/** At most this fraction of `a` may be nonzero for the sparse path to pay off. */
const DENSITY = 1 / 4;
/** Below this many entries the dense product is as cheap as the scan. */
const MIN_SIZE = 4096;

/**
 * `C[m×n] = a bᵀ` for vectors `a` (`m`) and `b` (`n`), or `null` when `a` is too dense (or the
 * result too small) for skipping zero rows to pay. The bits are the dense product's: the BLAS
 * and the WebAssembly kernel accumulate onto `+0`, so a skipped row is `+0` and a written entry
 * is `0 + a[i]·b[j]`; and no row is skipped unless every `b[j]` is finite, since `0 · Infinity`
 * is NaN and must stay so.
 *
 * @example
 * ```ts
 * import { sparseOuter } from "./sparse_outer.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const a = new Float64Array(4096);
 * a[3] = 2;
 * const c = sparseOuter(a, Float64Array.of(1, -1), 4096, 2)!;
 * assertEquals([c[6], c[7], c[8]], [2, -2, 0]);
 * assertEquals(sparseOuter(a.fill(1), Float64Array.of(1, -1), 4096, 2), null);
 * ```
 */
export function sparseOuter(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
): Float64Array | null {
  if (m * n < MIN_SIZE) return null;
  const limit = Math.floor(m * DENSITY);
  let nonzero = 0;
  for (let i = 0; i < m; i++) {
    // NaN !== 0, so a NaN row is computed like any other.
    if (a[i] !== 0 && ++nonzero > limit) return null;
  }
  for (let j = 0; j < n; j++) if (!Number.isFinite(b[j])) return null;
  const c = allocate("matmul", [m, n]);
  for (let i = 0; i < m; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    const row = i * n;
    for (let j = 0; j < n; j++) c[row + j] = 0 + ai * b[j];
  }
  return c;
}
