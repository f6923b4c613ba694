/**
 * @internal The {@link LinalgKernels} contract on Fortran LAPACK through Deno's FFI (no LAPACKE:
 * the plain `d…_` symbols, every argument by pointer). LAPACK is column-major, and a row-major
 * `n×k` buffer read column-major is the `k×n` transpose, so most routines run on the caller's
 * layout as it is: LU factors `Aᵀ` and solves with the transposed flag, Cholesky and `syevd`
 * read the other triangle, and `gesdd` of `Aᵀ` hands back `Vᵀ` and `U` of `A` already
 * row-major. Right-hand sides (`B` with several columns), the eigenvectors and QR are
 * transposed once, an `O(n²)` copy beside the `O(n³)` factorization.
 *
 * @module
 */
import type { LinalgKernels, LuFactorization } from "../linalg_kernels.ts";
import type { Lapack } from "./library.ts";
import { ValueError } from "../../errors.ts";

const ch = (c: string) => Uint8Array.of(c.charCodeAt(0));
const int = (v: number) => Int32Array.of(v);
/** The hidden length of a character argument. */
const ONE = 1n;

/** The `[cols, rows]` transpose of the row-major `rows×cols` buffer `src`. */
function transposed(src: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const si = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = src[si + j];
  }
  return out;
}

/** The optimal `lwork` from a workspace query's first `work` entry. */
function lworkOf(work: Float64Array): number {
  return Math.max(1, Math.ceil(work[0]));
}

/**
 * OpenBLAS's threaded `getrf` (taken from `m·n ≥ 10000` with 2 or more threads) keeps per-thread
 * job tables on the stack, `MAX_THREADS² × 128` bytes per recursion level: 2.2 MB at n = 100 and
 * 3.2 MB from n = 400 with Debian's MAX_THREADS=64, measured. `deno test` runs each test module
 * on a thread with a 2 MiB stack (a Worker gets 4 MiB), and a 512 KiB frame jumps over the guard
 * page into the stack of the thread mapped below, so the overflow corrupted another thread
 * silently and segfaulted now and then. On one thread `getrf` needs about 100 KB.
 */
function singleThreaded<T>(lp: Lapack, f: () => T): T {
  const before = lp.openblas_get_num_threads?.() ?? 1;
  if (before <= 1) return f();
  lp.openblas_set_num_threads!(1);
  try {
    return f();
  } finally {
    lp.openblas_set_num_threads!(before);
  }
}

/** The native LAPACK kernels over the opened symbols. */
export function lapackKernels(lp: Lapack): LinalgKernels {
  return {
    name: "lapack",
    lu: (a, n) => lu(lp, a, n),
    cholesky(a, n) {
      if (n === 0) return { l: new Float64Array(0), failedAt: -1 };
      // Row-major lower triangle = the column-major upper triangle of the same buffer, and
      // potrf("U") leaves Uᵀ U = A with U column-major: read row-major, that is L = Uᵀ.
      const l = a.slice(), info = int(0);
      lp.dpotrf_(ch("U"), int(n), l, int(n), info, ONE);
      // potrf leaves the other triangle as it was.
      for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, i * n + n);
      return { l, failedAt: info[0] > 0 ? info[0] - 1 : -1 };
    },
    solveTriangular(a, n, b, k, lower, trans) {
      if (n === 0 || k === 0) return { x: new Float64Array(n * k), zeroPivot: -1 };
      // The buffer read column-major is Aᵀ, upper when A is lower; op(A) = (Aᵀ)ᵀ flips the flag.
      const x = k === 1 ? b.slice() : transposed(b, n, k), info = int(0);
      lp.dtrtrs_(
        ch(lower ? "U" : "L"),
        ch(trans ? "N" : "T"),
        ch("N"),
        int(n),
        int(k),
        a,
        int(n),
        x,
        int(n),
        info,
        ONE,
        ONE,
        ONE,
      );
      return {
        x: k === 1 ? x : transposed(x, k, n),
        zeroPivot: info[0] > 0 ? info[0] - 1 : -1,
      };
    },
    eigh(a, n) {
      if (n === 0) return { w: new Float64Array(0), v: new Float64Array(0) };
      const v = a.slice(), w = new Float64Array(n), info = int(0);
      const work = new Float64Array(1), iwork = new Int32Array(1);
      // Row-major lower triangle = column-major upper.
      const call = (lwork: number, liwork: number) =>
        lp.dsyevd_(
          ch("V"),
          ch("U"),
          int(n),
          v,
          int(n),
          w,
          lwork < 0 ? work : new Float64Array(lwork),
          int(lwork),
          liwork < 0 ? iwork : new Int32Array(liwork),
          int(liwork),
          info,
          ONE,
          ONE,
        );
      call(-1, -1);
      call(lworkOf(work), Math.max(1, iwork[0]));
      if (info[0] !== 0) {
        throw new ValueError(
          `eigh: LAPACK dsyevd did not converge (info ${info[0]}); is the matrix finite?`,
        );
      }
      // Eigenvectors come back as column-major columns, i.e. as the rows of the buffer.
      return { w, v: transposed(v, n, n) };
    },
    svd(a, m, n) {
      const r = Math.min(m, n);
      if (r === 0) {
        return { u: new Float64Array(0), s: new Float64Array(0), vt: new Float64Array(0) };
      }
      // The buffer is M = Aᵀ (n×m column-major). M = U' S V'ᵀ gives A = V' S U'ᵀ, and U' (n×r)
      // and V'ᵀ (r×m) column-major, read row-major, are A's Vᵀ (r×n) and U (m×r).
      const work0 = a.slice(), s = new Float64Array(r), vt = new Float64Array(r * n);
      const u = new Float64Array(m * r), iwork = new Int32Array(8 * r), info = int(0);
      const work = new Float64Array(1);
      const call = (lwork: number) =>
        lp.dgesdd_(
          ch("S"),
          int(n),
          int(m),
          work0,
          int(n),
          s,
          vt,
          int(n),
          u,
          int(r),
          lwork < 0 ? work : new Float64Array(lwork),
          int(lwork),
          iwork,
          info,
          ONE,
        );
      call(-1);
      call(lworkOf(work));
      if (info[0] !== 0) {
        throw new ValueError(
          info[0] === -4
            ? "svd: the matrix has NaN entries (LAPACK dgesdd refuses them)"
            : `svd: LAPACK dgesdd did not converge (info ${info[0]}); is the matrix finite?`,
        );
      }
      return { u, s, vt };
    },
    qr(a, m, n) {
      const r = Math.min(m, n);
      if (r === 0) return { q: new Float64Array(m * r), r: new Float64Array(r * n) };
      // QR of A is not a factorization of the buffer's Aᵀ: A goes in column-major.
      const f = transposed(a, m, n), tau = new Float64Array(r), info = int(0);
      const work = new Float64Array(1);
      lp.dgeqrf_(int(m), int(n), f, int(m), tau, work, int(-1), info);
      let lwork = lworkOf(work);
      lp.dgeqrf_(int(m), int(n), f, int(m), tau, new Float64Array(lwork), int(lwork), info);
      const R = new Float64Array(r * n);
      for (let i = 0; i < r; i++) {
        for (let j = i; j < n; j++) R[i * n + j] = f[j * m + i];
      }
      // orgqr overwrites the first r columns (column-major: the first m·r entries) with Q.
      lp.dorgqr_(int(m), int(r), int(r), f, int(m), tau, work, int(-1), info);
      lwork = lworkOf(work);
      lp.dorgqr_(int(m), int(r), int(r), f, int(m), tau, new Float64Array(lwork), int(lwork), info);
      return { q: transposed(f.subarray(0, m * r), r, m), r: R };
    },
  };
}

/**
 * LU of A through `getrf` on the buffer as it is, which LAPACK reads as `Aᵀ = P L U`; the
 * determinant is the same, `A X = B` is `getrs` with "T", `Aᵀ X = B` with "N", the inverse of
 * `Aᵀ` read row-major is `A⁻¹`, and `κ₁(A) = κ∞(Aᵀ)`.
 */
function lu(lp: Lapack, a: Float64Array, n: number): LuFactorization {
  const f = a.slice(), ipiv = new Int32Array(Math.max(1, n)), info = int(0);
  if (n > 0) singleThreaded(lp, () => lp.dgetrf_(int(n), int(n), f, int(n), ipiv, info));
  const zeroPivot = info[0] > 0 ? info[0] - 1 : -1;
  let sign = 1, logAbsDet = 0, det = 1;
  for (let i = 0; i < n; i++) {
    const d = f[i * n + i];
    if (d < 0) sign = -sign;
    if (ipiv[i] !== i + 1) sign = -sign, det = -det;
    det *= d;
    logAbsDet += Math.log(Math.abs(d));
  }
  if (zeroPivot >= 0) {
    sign = 0;
    logAbsDet = -Infinity;
    det = 0;
  }
  return {
    n,
    zeroPivot,
    sign,
    logAbsDet,
    det,
    rcond() {
      if (n === 0) return Infinity;
      if (zeroPivot >= 0) return 0;
      const anorm = Float64Array.of(
        lp.dlange_(ch("I"), int(n), int(n), a, int(n), new Float64Array(n), ONE),
      );
      const rc = new Float64Array(1), info2 = int(0);
      lp.dgecon_(
        ch("I"),
        int(n),
        f,
        int(n),
        anorm,
        rc,
        new Float64Array(4 * n),
        new Int32Array(n),
        info2,
        ONE,
      );
      return rc[0];
    },
    solve(b, k, trans = false) {
      if (n === 0 || k === 0) return new Float64Array(n * k);
      const x = k === 1 ? b.slice() : transposed(b, n, k), info2 = int(0);
      lp.dgetrs_(ch(trans ? "N" : "T"), int(n), int(k), f, int(n), ipiv, x, int(n), info2, ONE);
      return k === 1 ? x : transposed(x, k, n);
    },
    inverse() {
      if (n === 0) return new Float64Array(0);
      const inv = f.slice(), work = new Float64Array(1), info2 = int(0);
      lp.dgetri_(int(n), inv, int(n), ipiv, work, int(-1), info2);
      const lwork = lworkOf(work);
      lp.dgetri_(int(n), inv, int(n), ipiv, new Float64Array(lwork), int(lwork), info2);
      return inv;
    },
  };
}
