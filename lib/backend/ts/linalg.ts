/**
 * @internal Plain TypeScript implementations of {@linkcode LinalgKernels}: LU with partial
 * pivoting (+ Hager–Higham 1-norm condition estimate, as LAPACK `gecon`), Cholesky, triangular
 * solves, Householder tridiagonalization + implicit QL for symmetric eigenproblems (./eigh.ts),
 * one-sided (Hestenes) Jacobi for the SVD and Householder QR. They are always available; LAPACK
 * replaces them when a native library loads.
 *
 * The SVD uses one-sided Jacobi because it is short, easy to verify and accurate to high
 * relative precision; it is slower than bidiagonalization (≈ 10 sweeps of 2mn²), which only
 * matters for n in the hundreds, where the LAPACK path is meant to be used.
 *
 * @module
 */
import type { LinalgKernels, LuFactorization } from "../linalg_kernels.ts";
import { eighTridiagonalQl } from "./eigh.ts";

const EPS = 2 ** -52;

/** Row-major LU with partial pivoting: `P A = L U`, unit-lower `L` and `U` packed in `lu`. */
class TsLu implements LuFactorization {
  readonly zeroPivot: number;
  readonly sign: number;
  readonly logAbsDet: number;
  readonly det: number;
  readonly #lu: Float64Array;
  readonly #perm: Int32Array;
  readonly #norm1: number;
  #rcond: number | undefined;

  constructor(a: Float64Array, readonly n: number) {
    const lu = Float64Array.from(a);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    let norm1 = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
      if (s > norm1 || s !== s) norm1 = s;
    }
    let sign = 1, logAbsDet = 0, zeroPivot = -1, det = 1;
    for (let k = 0; k < n; k++) {
      let p = k, best = Math.abs(lu[k * n + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(lu[i * n + k]);
        if (v > best) best = v, p = i;
      }
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = lu[k * n + j];
          lu[k * n + j] = lu[p * n + j];
          lu[p * n + j] = t;
        }
        const t = perm[k];
        perm[k] = perm[p];
        perm[p] = t;
        sign = -sign;
      }
      const piv = lu[k * n + k];
      if (piv === 0) {
        if (zeroPivot < 0) zeroPivot = k;
        continue;
      }
      if (piv < 0) sign = -sign;
      det *= piv;
      logAbsDet += Math.log(Math.abs(piv));
      for (let i = k + 1; i < n; i++) {
        const f = (lu[i * n + k] /= piv);
        if (f === 0) continue;
        const ri = i * n, rk = k * n;
        for (let j = k + 1; j < n; j++) lu[ri + j] -= f * lu[rk + j];
      }
    }
    this.#lu = lu;
    this.#perm = perm;
    this.#norm1 = norm1;
    this.zeroPivot = zeroPivot;
    this.sign = zeroPivot >= 0 ? 0 : sign;
    this.logAbsDet = zeroPivot >= 0 ? -Infinity : logAbsDet;
    // The row swaps' sign; the pivots' signs are already in the product.
    this.det = zeroPivot >= 0 ? 0 : swapSign(perm) * det;
  }

  rcond(): number {
    if (this.#rcond === undefined) {
      this.#rcond = this.zeroPivot >= 0 || this.n === 0 ? (this.n === 0 ? 1 : 0) : this.#estimate();
    }
    return this.#rcond;
  }

  /**
   * Hager's estimator of ‖A⁻¹‖₁ with Higham's refinements (LAPACK `dlacn2`): a few solves with
   * `A` and `Aᵀ` instead of the n solves an exact inverse would take.
   */
  #estimate(): number {
    const n = this.n;
    if (this.#norm1 === 0) return 0;
    let x = new Float64Array(n).fill(1 / n);
    let est = 0;
    let lastJ = -1;
    for (let iter = 0; iter < 5; iter++) {
      const y = this.solve(x, 1);
      let norm = 0;
      for (let i = 0; i < n; i++) norm += Math.abs(y[i]);
      if (!Number.isFinite(norm)) return 0;
      if (iter > 0 && norm <= est) break;
      est = norm;
      const s = new Float64Array(n);
      for (let i = 0; i < n; i++) s[i] = y[i] >= 0 ? 1 : -1;
      const z = this.solve(s, 1, true);
      let j = 0;
      for (let i = 1; i < n; i++) if (Math.abs(z[i]) > Math.abs(z[j])) j = i;
      if (j === lastJ) break;
      lastJ = j;
      x = new Float64Array(n);
      x[j] = 1;
    }
    // Higham's alternative vector guards against the estimator's known failure cases.
    const alt = new Float64Array(n);
    for (let i = 0; i < n; i++) alt[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / Math.max(1, n - 1));
    const y = this.solve(alt, 1);
    let altNorm = 0;
    for (let i = 0; i < n; i++) altNorm += Math.abs(y[i]);
    altNorm = (2 * altNorm) / (3 * n);
    if (!Number.isFinite(altNorm)) return 0;
    est = Math.max(est, altNorm);
    return 1 / (this.#norm1 * est);
  }

  solve(b: Float64Array, k: number, trans = false): Float64Array {
    const n = this.n, lu = this.#lu, perm = this.#perm;
    const x = new Float64Array(n * k);
    if (!trans) {
      // P A = L U: A x = b ⇔ L U x = P b.
      for (let i = 0; i < n; i++) x.set(b.subarray(perm[i] * k, perm[i] * k + k), i * k);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < i; p++) {
          const f = lu[i * n + p];
          if (f !== 0) { for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c]; }
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        for (let p = i + 1; p < n; p++) {
          const f = lu[i * n + p];
          if (f !== 0) { for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c]; }
        }
        const d = lu[i * n + i];
        for (let c = 0; c < k; c++) x[i * k + c] /= d;
      }
      return x;
    }
    // Aᵀ x = b ⇔ Uᵀ Lᵀ P x = b: solve Uᵀ w = b, Lᵀ z = w, then x = Pᵀ z.
    const w = Float64Array.from(b);
    for (let i = 0; i < n; i++) {
      const d = lu[i * n + i];
      for (let c = 0; c < k; c++) w[i * k + c] /= d;
      for (let r = i + 1; r < n; r++) {
        const f = lu[i * n + r];
        if (f !== 0) { for (let c = 0; c < k; c++) w[r * k + c] -= f * w[i * k + c]; }
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      for (let r = 0; r < i; r++) {
        const f = lu[i * n + r];
        if (f !== 0) { for (let c = 0; c < k; c++) w[r * k + c] -= f * w[i * k + c]; }
      }
    }
    for (let i = 0; i < n; i++) x.set(w.subarray(i * k, i * k + k), perm[i] * k);
    return x;
  }

  inverse(): Float64Array {
    const n = this.n;
    const id = new Float64Array(n * n);
    for (let i = 0; i < n; i++) id[i * n + i] = 1;
    return this.solve(id, n);
  }
}

/** The sign of a permutation, by counting its cycles. */
function swapSign(perm: Int32Array): number {
  const seen = new Uint8Array(perm.length);
  let sign = 1;
  for (let i = 0; i < perm.length; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = perm[j]) seen[j] = 1, len++;
    if (len % 2 === 0) sign = -sign;
  }
  return sign;
}

function cholesky(a: Float64Array, n: number): { l: Float64Array; failedAt: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
    if (!(d > 0)) return { l, failedAt: j };
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / ljj;
    }
  }
  return { l, failedAt: -1 };
}

function solveTriangular(
  a: Float64Array,
  n: number,
  b: Float64Array,
  k: number,
  lower: boolean,
  trans: boolean,
): { x: Float64Array; zeroPivot: number } {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) if (a[i * n + i] === 0) return { x, zeroPivot: i };
  // op(A) is lower triangular when exactly one of lower/trans holds; entry (i, p) of op(A).
  const opLower = lower !== trans;
  const at = trans
    ? (i: number, p: number) => a[p * n + i]
    : (i: number, p: number) => a[i * n + p];
  if (opLower) {
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < i; p++) {
        const f = at(i, p);
        if (f !== 0) { for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c]; }
      }
      const d = a[i * n + i];
      for (let c = 0; c < k; c++) x[i * k + c] /= d;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      for (let p = i + 1; p < n; p++) {
        const f = at(i, p);
        if (f !== 0) { for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c]; }
      }
      const d = a[i * n + i];
      for (let c = 0; c < k; c++) x[i * k + c] /= d;
    }
  }
  return { x, zeroPivot: -1 };
}

/**
 * One-sided Jacobi (Hestenes) on a tall matrix stored by columns: `cols` holds the `n` columns
 * (each of length `m`) contiguously. Rotates column pairs until all are orthogonal; the rotations
 * accumulate in `vcols` (the columns of V).
 */
function hestenes(cols: Float64Array, m: number, n: number): Float64Array {
  const vcols = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vcols[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const op = p * m, oq = q * m;
        for (let k = 0; k < m; k++) {
          const x = cols[op + k], y = cols[oq + k];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let k = 0; k < m; k++) {
          const x = cols[op + k], y = cols[oq + k];
          cols[op + k] = c * x - s * y;
          cols[oq + k] = s * x + c * y;
        }
        const vp = p * n, vq = q * n;
        for (let k = 0; k < n; k++) {
          const x = vcols[vp + k], y = vcols[vq + k];
          vcols[vp + k] = c * x - s * y;
          vcols[vq + k] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  return vcols;
}

/**
 * Fills the columns of `u` (m×r, by columns) whose flag is unset with unit vectors orthogonal to
 * all the others, by Gram–Schmidt (twice, for orthogonality to working precision) on the
 * coordinate axes: the left singular vectors of zero singular values.
 */
function completeBasis(u: Float64Array, m: number, r: number, ok: boolean[]): void {
  let axis = 0;
  for (let j = 0; j < r; j++) {
    if (ok[j]) continue;
    for (; axis < m; axis++) {
      const x = new Float64Array(m);
      x[axis] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < r; i++) {
          if (!ok[i]) continue;
          let d = 0;
          for (let k = 0; k < m; k++) d += u[i * m + k] * x[k];
          for (let k = 0; k < m; k++) x[k] -= d * u[i * m + k];
        }
      }
      let norm = 0;
      for (let k = 0; k < m; k++) norm += x[k] * x[k];
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let k = 0; k < m; k++) u[j * m + k] = x[k] / norm;
        ok[j] = true;
        axis++;
        break;
      }
    }
  }
}

function svd(
  a: Float64Array,
  m: number,
  n: number,
): { u: Float64Array; s: Float64Array; vt: Float64Array } {
  // Work on the tall orientation: for a wide A, the SVD of Aᵀ with U and V swapped.
  const wide = m < n;
  const rows = wide ? n : m, r = wide ? m : n;
  // Columns of the tall matrix B (rows×r), stored contiguously: B = A (tall) or Aᵀ (wide).
  const cols = new Float64Array(rows * r);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (wide) cols[i * rows + j] = a[i * n + j];
      else cols[j * rows + i] = a[i * n + j];
    }
  }
  const vcols = hestenes(cols, rows, r);
  const norms = new Float64Array(r);
  let smax = 0;
  for (let j = 0; j < r; j++) {
    let t = 0;
    for (let k = 0; k < rows; k++) t += cols[j * rows + k] ** 2;
    norms[j] = Math.sqrt(t);
    smax = Math.max(smax, norms[j]);
  }
  const order = Array.from({ length: r }, (_, i) => i).sort((i, j) => norms[j] - norms[i]);
  const ucols = new Float64Array(rows * r);
  const ok: boolean[] = [];
  const s = new Float64Array(r);
  order.forEach((src, dst) => {
    s[dst] = norms[src];
    const good = norms[src] > 0 && norms[src] > smax * EPS * rows;
    ok.push(good);
    if (good) {
      for (let k = 0; k < rows; k++) ucols[dst * rows + k] = cols[src * rows + k] / norms[src];
    }
  });
  completeBasis(ucols, rows, r, ok);
  // B = Ub S Vbᵀ. Tall: U = Ub, V = Vb. Wide (B = Aᵀ): A = Vb S Ubᵀ, so U = Vb and Vᵀ = Ubᵀ.
  const u = new Float64Array(m * r), vt = new Float64Array(r * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < r; k++) {
      const vk = vcols[src * r + k];
      if (wide) u[k * r + dst] = vk;
      else vt[dst * n + k] = vk;
    }
    for (let k = 0; k < rows; k++) {
      const uk = ucols[dst * rows + k];
      if (wide) vt[dst * n + k] = uk;
      else u[k * r + dst] = uk;
    }
  });
  return { u, s, vt };
}

/** Householder QR with LAPACK's sign convention (`R[k, k] = −sign(a_kk) ‖x‖`, H = I when x's tail is 0). */
function qr(a: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array } {
  const r = Math.min(m, n);
  const A = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let k = 0; k < r; k++) {
    let tail = 0;
    for (let i = k + 1; i < m; i++) tail += A[i * n + k] ** 2;
    const alpha = A[k * n + k];
    const v = new Float64Array(m - k);
    if (tail === 0) {
      vs.push(v);
      taus.push(0);
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + tail);
    // H = I − τ v vᵀ with v[0] = 1, as dlarfg.
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    v[0] = 1;
    for (let i = k + 1; i < m; i++) v[i - k] = A[i * n + k] * scale;
    A[k * n + k] = beta;
    for (let i = k + 1; i < m; i++) A[i * n + k] = 0;
    for (let j = k + 1; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i - k] * A[i * n + j];
      d *= tau;
      for (let i = k; i < m; i++) A[i * n + j] -= d * v[i - k];
    }
    vs.push(v);
    taus.push(tau);
  }
  const R = new Float64Array(r * n);
  for (let i = 0; i < r; i++) for (let j = i; j < n; j++) R[i * n + j] = A[i * n + j];
  // Q = H₀ H₁ … H_{r−1} I[:, :r], applied from the last reflector back (as dorgqr).
  const Q = new Float64Array(m * r);
  for (let i = 0; i < r; i++) Q[i * r + i] = 1;
  for (let k = r - 1; k >= 0; k--) {
    const v = vs[k], tau = taus[k];
    if (tau === 0) continue;
    for (let j = 0; j < r; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i - k] * Q[i * r + j];
      d *= tau;
      for (let i = k; i < m; i++) Q[i * r + j] -= d * v[i - k];
    }
  }
  return { q: Q, r: R };
}

/** The plain TypeScript linear algebra kernels. */
export const tsLinalg: LinalgKernels = {
  name: "typescript",
  lu: (a, n) => new TsLu(a, n),
  cholesky,
  solveTriangular,
  eigh: eighTridiagonalQl,
  svd,
  qr,
};
