/**
 * The matrix exponential `e^A = Σ Aᵏ/k!`, by scaling and squaring with the degree-13 Padé
 * approximant (Higham, "The scaling and squaring method for the matrix exponential revisited",
 * SIAM J. Matrix Anal. Appl. 26(4), 2005, Algorithm 2.3 with m = 13 only), as `scipy.linalg.expm`.
 *
 * Its derivative is the Fréchet derivative `L(A, E) = ∫₀¹ e^(sA) E e^((1−s)A) ds`, computed by
 * the block identity `e^[[A, E], [0, A]] = [[e^A, L(A, E)], [0, e^A]]` (Higham, "Functions of
 * Matrices", 2008, §3.2): the JVP is `L(A, dA)` and the VJP is `L(Aᵀ, G)` (the adjoint of
 * `E ↦ L(A, E)` in the Frobenius inner product, since `(e^A)ᵀ = e^(Aᵀ)`). Both are written with
 * `expm` itself, traced, so the second derivative is right.
 *
 * @module
 */
import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { transpose } from "../ops/transpose.ts";
import { frechet } from "./frechet.ts";

// Higham (2005), Table 2.3 and eq. (2.11).
const THETA13 = 5.371920351148152;
const B13 = [
  64764752532480000,
  32382376266240000,
  7771770303897600,
  1187353796428800,
  129060195264000,
  10559470521600,
  670442572800,
  33522128640,
  1323241920,
  40840800,
  960960,
  16380,
  182,
  1,
];

function matmulRaw(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/** `X` with `P X = Q`, by LU with partial pivoting (P is well conditioned for Padé 13). */
function solveRaw(p: Float64Array, q: Float64Array, n: number): Float64Array {
  const a = p.slice(), x = q.slice();
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[piv * n + k])) piv = i;
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        [a[k * n + j], a[piv * n + j]] = [a[piv * n + j], a[k * n + j]];
        [x[k * n + j], x[piv * n + j]] = [x[piv * n + j], x[k * n + j]];
      }
    }
    const d = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      for (let j = 0; j < n; j++) x[i * n + j] -= f * x[k * n + j];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const d = a[k * n + k];
    for (let j = 0; j < n; j++) {
      let s = x[k * n + j];
      for (let i = k + 1; i < n; i++) s -= a[k * n + i] * x[i * n + j];
      x[k * n + j] = s / d;
    }
  }
  return x;
}

/** `e^A` for a row-major `n×n` buffer. */
export function expmRaw(A: Float64Array, n: number): Float64Array {
  let norm1 = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(A[i * n + j]);
    norm1 = Math.max(norm1, s);
  }
  if (!Number.isFinite(norm1)) return new Float64Array(n * n).fill(NaN);
  // Scale so that ‖A / 2ˢ‖₁ ≤ θ₁₃, where the Padé error is below the unit roundoff.
  const s = norm1 > THETA13 ? Math.max(0, Math.ceil(Math.log2(norm1 / THETA13))) : 0;
  const a = A.map((v) => v / 2 ** s);
  const a2 = matmulRaw(a, a, n), a4 = matmulRaw(a2, a2, n), a6 = matmulRaw(a4, a2, n);
  const b = B13, u0 = new Float64Array(n * n), v0 = new Float64Array(n * n);
  const w1 = new Float64Array(n * n), z1 = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    w1[i] = b[13] * a6[i] + b[11] * a4[i] + b[9] * a2[i];
    z1[i] = b[12] * a6[i] + b[10] * a4[i] + b[8] * a2[i];
    u0[i] = b[7] * a6[i] + b[5] * a4[i] + b[3] * a2[i];
    v0[i] = b[6] * a6[i] + b[4] * a4[i] + b[2] * a2[i];
  }
  for (let i = 0; i < n; i++) {
    u0[i * n + i] += b[1];
    v0[i * n + i] += b[0];
  }
  const w = matmulRaw(a6, w1, n), z = matmulRaw(a6, z1, n);
  for (let i = 0; i < n * n; i++) {
    w[i] += u0[i];
    z[i] += v0[i];
  }
  const u = matmulRaw(a, w, n);
  // r₁₃ = (V − U)⁻¹ (V + U)
  const p = new Float64Array(n * n), q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    p[i] = z[i] - u[i];
    q[i] = z[i] + u[i];
  }
  let r = solveRaw(p, q, n);
  for (let k = 0; k < s; k++) r = matmulRaw(r, r, n);
  return r;
}

const expmPrim: Primitive = {
  name: "expm",
  forward: ([a]) => new Tensor(expmRaw(raw(a), a.shape[0]), a.shape),
  vjp: (g, [a]) => [frechet(expm, transpose(a), g)],
  jvp: ([da], [a]) => frechet(expm, a, da),
};

/**
 * The matrix exponential `e^A = I + A + A²/2! + …` of a square matrix, like
 * `scipy.linalg.expm` (scaling and squaring with a degree-13 Padé approximant, Higham 2005).
 * Not the elementwise {@linkcode exp}.
 *
 * Derivatives: the Fréchet derivative by the block identity, both modes and every order (see
 * {@linkcode frechet}).
 *
 * @example A rotation generator, and `d/dt e^(tA) = A e^(tA)`
 * ```ts
 * import { assertAllClose, expm, jvp, matmul, mul, tensor } from "matcalc";
 *
 * const t = 0.3, A = tensor([[0, -1], [1, 0]]);
 * assertAllClose(expm(mul(t, A)), [[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]]);
 * const [, d] = jvp((s) => expm(mul(s, A)), [tensor(t)], [tensor(1)]);
 * assertAllClose(d, matmul(A, expm(mul(t, A))));
 * ```
 */
export function expm(A: Operand): Tensor {
  const t = asTensor("expm", A, "A");
  if (t.rank !== 2 || t.shape[0] !== t.shape[1]) {
    throw new ShapeError(`expm: A must be a square matrix [n, n], got shape ${fmtShape(t.shape)}`);
  }
  return bind(expmPrim, [t], undefined);
}
