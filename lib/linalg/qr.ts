import { bind, type Primitive } from "../ad/node.ts";
import { ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { add } from "../ops/add.ts";
import { matmul } from "../ops/matmul.ts";
import { sub } from "../ops/sub.ts";
import type { Operand } from "../ops/operand.ts";
import { matrixInput, mT, tri } from "./common.ts";
import { kernels } from "./kernels.ts";
import { inspectRecord } from "./result.ts";
import { triSolve2d } from "./solve_triangular.ts";

/** One factorization shared by the two primitives of a `qr` call (see eigh.ts for why). */
interface QrParams {
  q: Float64Array;
  r: Float64Array;
  m: number;
  n: number;
}

const qOf = (a: Tensor, p: QrParams) => bind(qPrim, [a], p);
const rOf = (a: Tensor, p: QrParams) => bind(rPrim, [a], p);

/**
 * JAX's `qr_jvp_rule` (j-towns.github.io/papers/qr-derivative.pdf), for m ≥ n only (JAX raises
 * for m < n as well; PyTorch handles it by splitting A, not done here): with
 * `C = Qᵀ dA R⁻¹` and `Ω = tril(C, −1) − tril(C, −1)ᵀ`, `dQ = Q (Ω − C) + dA R⁻¹` and
 * `dR = (C − Ω) R`. The VJPs are their transposes. R must be invertible (A of full column rank).
 */
function context(op: string, a: Tensor, p: QrParams) {
  if (p.m < p.n) {
    throw new ValueError(
      `qr: the derivative is implemented for tall or square A (m ≥ n), got [${p.m}, ${p.n}]; ` +
        `differentiate qr of the transpose, or of A's first ${p.m} columns, instead`,
    );
  }
  for (let i = 0; i < p.n; i++) {
    if (Math.abs(p.r[i * p.n + i]) <= 1e-14 * Math.max(1, Math.abs(p.r[0]))) {
      throw new ValueError(
        `${op}: the derivative of qr needs A of full column rank, but R[${i}, ${i}] is ` +
          `${p.r[i * p.n + i]}: the columns of the [${p.m}, ${p.n}] input are linearly dependent`,
      );
    }
  }
  return { q: qOf(a, p), r: rOf(a, p) };
}
const upper = { lower: false, op: "qr" };
/** `X R⁻¹` for upper-triangular `R`: `(R⁻ᵀ Xᵀ)ᵀ`. */
const rightInv = (x: Tensor, r: Tensor) => mT(triSolve2d(r, mT(x), { ...upper, trans: true }));
/** `X R⁻ᵀ`: `(R⁻¹ Xᵀ)ᵀ`. */
const rightInvT = (x: Tensor, r: Tensor) => mT(triSolve2d(r, mT(x), { ...upper, trans: false }));
/** `tril(M − Mᵀ, −1)`: the part of a cotangent that Ω passes back to C. */
const omegaBar = (mm: Tensor) => tri(sub(mm, mT(mm)), -1, true);

function tangents(da: Tensor, q: Tensor, r: Tensor) {
  const dar = rightInv(da, r);
  const c = matmul(mT(q), dar);
  const l = tri(c, -1, true);
  const omega = sub(l, mT(l));
  return { dar, c, omega };
}

const qPrim: Primitive<QrParams> = {
  name: "qr.Q",
  forward: (_i, { q, m, n }) => new Tensor(Float64Array.from(q), [m, Math.min(m, n)]),
  vjp: (g, [a], _q, p) => {
    const { q, r } = context("qr", a, p);
    const nq = matmul(mT(q), g);
    const cbar = sub(omegaBar(nq), nq);
    return [add(matmul(q, rightInvT(cbar, r)), rightInvT(g, r))];
  },
  jvp: ([da], [a], _q, p) => {
    const { q, r } = context("qr", a, p);
    const { dar, c, omega } = tangents(da, q, r);
    return add(matmul(q, sub(omega, c)), dar);
  },
};

const rPrim: Primitive<QrParams> = {
  name: "qr.R",
  forward: (_i, { r, m, n }) => new Tensor(Float64Array.from(r), [Math.min(m, n), n]),
  vjp: (g, [a], _r, p) => {
    const { q, r } = context("qr", a, p);
    const mm = matmul(g, mT(r));
    const cbar = sub(mm, omegaBar(mm));
    return [matmul(q, rightInvT(cbar, r))];
  },
  jvp: ([da], [a], _r, p) => {
    const { q, r } = context("qr", a, p);
    const { c, omega } = tangents(da, q, r);
    return matmul(sub(c, omega), r);
  },
};

/**
 * What {@linkcode qr} returns: `A = Q R`. Prints as `QrResult { Q: …, R: … }` and destructures
 * like NumPy's named tuple.
 */
export class QrResult {
  /** Orthonormal columns: `[m, r]`, `r = min(m, n)`. */
  readonly Q: Tensor;
  /** Upper triangular: `[r, n]`. */
  readonly R: Tensor;
  /** Pairs the two results. */
  constructor(Q: Tensor, R: Tensor) {
    this.Q = Q;
    this.R = R;
  }

  /** Prints the record with each tensor's rows aligned (REPL, `console.log`). */
  [Symbol.for("Deno.customInspect")](
    _inspect?: unknown,
    options?: { indentationLvl?: number },
  ): string {
    return inspectRecord(options?.indentationLvl ?? 0, "QrResult", { Q: this.Q, R: this.R });
  }
}

/**
 * The reduced QR decomposition, like `numpy.linalg.qr(A)` (mode "reduced"): `A = Q R` with
 * `Q: [m, r]` orthonormal columns and `R: [r, n]` upper triangular, `r = min(m, n)`. Signs are
 * LAPACK's (Householder): the diagonal of `R` may be negative, as in NumPy.
 *
 * Derivatives (JAX's rule): for tall or square `A` of full column rank. A wide `A` (m < n) or
 * linearly dependent columns raise a `ValueError` when differentiated.
 *
 * @example A = Q R
 * ```ts
 * import { assertAllClose, matmul, qr, tensor } from "matcalc";
 *
 * const A = tensor([[3, 1], [4, 1]]);
 * const { Q, R } = qr(A);
 * assertAllClose(matmul(Q, R), A);
 * assertAllClose(R, [[-5, -1.4], [0, -0.2]]);
 * ```
 */
export function qr(A: Operand): QrResult {
  const a = matrixInput("qr", A);
  const [m, n] = a.shape;
  const { q, r } = kernels().qr(raw(a), m, n);
  const p = { q, r, m, n };
  return new QrResult(qOf(a, p), rOf(a, p));
}
