/**
 * @internal The contract between matcalc's linear algebra (`lib/linalg/`) and a compute backend:
 * the factorizations it needs, on row-major float64 buffers. Two implementations exist: plain
 * TypeScript (`lib/backend/ts/linalg.ts`, always there) and LAPACK through Deno's FFI
 * (`lib/backend/native/lapack.ts`, when a native library loads). The differentiable ops never see
 * which one ran; the tests run both and compare them.
 *
 * Conventions for every method:
 * - Matrices are dense, row-major `Float64Array`s; `n×k` means `n` rows of `k`.
 * - Inputs are never modified; every result is a fresh buffer the caller owns.
 * - Failure that depends on the values (a zero pivot, a minor that is not positive) is reported in
 *   the result (`zeroPivot`, `failedAt`), never thrown, so the op can name its own function and
 *   shapes in the error it raises.
 *
 * @module
 */

/** An LU factorization with partial pivoting of a square matrix `A` (LAPACK `getrf`). */
export interface LuFactorization {
  /** The order of `A`. */
  readonly n: number;
  /** The index (0-based) of the first exactly zero pivot, or -1 when `A` is nonsingular. */
  readonly zeroPivot: number;
  /** The sign of `det A` (0 when a pivot is zero). */
  readonly sign: number;
  /** `log |det A|` (`-Infinity` when a pivot is zero). */
  readonly logAbsDet: number;
  /**
   * Optional: `det A` as the product of the pivots (may overflow to ±Infinity or underflow to
   * 0), as `numpy.linalg.det` computes it. When absent, `det` uses `sign · exp(logAbsDet)`, which
   * is off by an ulp or so for small integer matrices (det [[5]] = 4.999999999999999).
   */
  readonly det?: number;
  /** The reciprocal condition number of `A` in the 1-norm, estimated (LAPACK `gecon`). */
  rcond(): number;
  /** `X` with `A X = B` (`Aᵀ X = B` when `trans`), for `B` row-major `n×k` (LAPACK `getrs`). */
  solve(b: Float64Array, k: number, trans?: boolean): Float64Array;
  /** `A⁻¹`, row-major `n×n` (LAPACK `getri`). Only call when `zeroPivot` is -1. */
  inverse(): Float64Array;
}

/** The factorizations and solvers behind `lib/linalg/`. */
export interface LinalgKernels {
  /** `"typescript"` or `"lapack"`, for messages and tests. */
  readonly name: string;
  /** LU with partial pivoting of the `n×n` matrix `a`. */
  lu(a: Float64Array, n: number): LuFactorization;
  /**
   * Cholesky: lower-triangular `l` (row-major `n×n`, zeros above the diagonal) with `A = L Lᵀ`,
   * reading only the lower triangle of `a` (LAPACK `potrf` with uplo = "L" in row-major terms).
   * `failedAt` is -1 on success, otherwise the 0-based `i` such that the leading minor of order
   * `i + 1` is not positive definite (then `l` is unspecified).
   */
  cholesky(a: Float64Array, n: number): { l: Float64Array; failedAt: number };
  /**
   * `X` with `op(A) X = B`, `A` triangular `n×n` (only its `lower` or upper triangle is read),
   * `op(A)` being `Aᵀ` when `trans`, `B` row-major `n×k` (LAPACK `trtrs`). `zeroPivot` is the
   * first zero diagonal entry or -1 (then `x` is unspecified).
   */
  solveTriangular(
    a: Float64Array,
    n: number,
    b: Float64Array,
    k: number,
    lower: boolean,
    trans: boolean,
  ): { x: Float64Array; zeroPivot: number };
  /**
   * Symmetric eigendecomposition reading the lower triangle of `a` (LAPACK `syevd`):
   * eigenvalues `w` ascending, eigenvectors as the columns of `v` (row-major `n×n`), so
   * `A = V diag(w) Vᵀ`.
   */
  eigh(a: Float64Array, n: number): { w: Float64Array; v: Float64Array };
  /**
   * Reduced SVD of the `m×n` matrix `a` (LAPACK `gesdd`), `r = min(m, n)`: `u` is `m×r`, `s`
   * (descending, ≥ 0) has `r` entries, `vt` is `r×n`, and `A = U diag(s) Vᵀ`.
   */
  svd(
    a: Float64Array,
    m: number,
    n: number,
  ): { u: Float64Array; s: Float64Array; vt: Float64Array };
  /**
   * Reduced QR of the `m×n` matrix `a` (LAPACK `geqrf` + `orgqr`), `r = min(m, n)`: `q` is `m×r`
   * with orthonormal columns, `r` is `r×n` upper triangular, `A = Q R`. Signs follow LAPACK
   * (Householder): the diagonal of `R` may be negative.
   */
  qr(a: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array };
}
