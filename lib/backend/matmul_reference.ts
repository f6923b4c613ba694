import { allocate } from "../alloc.ts";

/**
 * @internal Reference float64 matrix product `C[m×n] = A[m×k] · B[k×n]`, row-major: the
 * readable definition every fast path is tested against, and the path for tiny products.
 * The i-k-j loop order streams rows of B and C so the inner loop is contiguous.
 */
export function matmulReference(
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const C = allocate("matmul", [m, n]);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}
