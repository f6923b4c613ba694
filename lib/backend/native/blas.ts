/**
 * @internal Matrix products through CBLAS `dgemm`. Row-major throughout (CblasRowMajor), and a
 * transposed operand is passed as stored with CblasTrans, so nothing is copied.
 *
 * @module
 */
import type { Blas } from "./library.ts";

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
// No small-product cutoff: a Deno FFI call with buffer arguments costs about 0.1 µs, and dgemm
// beat the TypeScript loops from 2×2 on in a quick test (0.09 µs against 0.5 µs).

/**
 * `C[m×n] = op(A) · op(B)` written into `c` (`m·n` entries, contents ignored). Views (subarrays)
 * are passed as they are: Deno hands the library the view's own address.
 */
export function nativeGemm(
  blas: Blas,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0);
    return;
  }
  blas.cblas_dgemm(
    ROW_MAJOR,
    ta ? TRANS : NO_TRANS,
    tb ? TRANS : NO_TRANS,
    m,
    n,
    k,
    1,
    a,
    ta ? m : k,
    b,
    tb ? k : n,
    0,
    c,
    n,
  );
}
