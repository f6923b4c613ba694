/**
 * @internal Matrix products through CBLAS `dgemm`. Row-major throughout (CblasRowMajor), and a
 * transposed operand is passed as stored with CblasTrans, so nothing is copied.
 *
 * @module
 */
import { matmulKernel } from "../wasm/matmul_kernel.ts";
import type { Blas } from "./library.ts";

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
/**
 * Below this many multiply-adds the TypeScript loops win (an FFI call and OpenBLAS's dispatch
 * cost about as much as a 10×10×10 product).
 */
export const NATIVE_MIN_WORK = 1000;

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
  if (m * k * n < NATIVE_MIN_WORK) {
    c.set(matmulKernel(a, b, m, k, n, ta, tb));
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
