import { bind, type Primitive } from "../ad/node.ts";
import { ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { add } from "../ops/add.ts";
import { div } from "../ops/div.ts";
import { matmul } from "../ops/matmul.ts";
import { mul } from "../ops/mul.ts";
import { reshape } from "../ops/reshape.ts";
import { sub } from "../ops/sub.ts";
import { sum } from "../ops/sum.ts";
import type { Operand } from "../ops/operand.ts";
import { matrixInput, mT } from "./common.ts";
import { kernels } from "./kernels.ts";
import { inspectRecord } from "./result.ts";
import { checkGaps, fixSigns, gapMatrix, gapTolerance } from "./spectral.ts";

/** One factorization shared by the three primitives of an `svd` call (see eigh.ts for why). */
interface SvdParams {
  u: Float64Array;
  s: Float64Array;
  vt: Float64Array;
  m: number;
  n: number;
}

const uOf = (a: Tensor, p: SvdParams) => bind(uPrim, [a], p);
const sOf = (a: Tensor, p: SvdParams) => bind(sPrim, [a], p);
const vhOf = (a: Tensor, p: SvdParams) => bind(vhPrim, [a], p);
const row = (s: Tensor) => reshape(s, [1, s.size]);
const col = (s: Tensor) => reshape(s, [s.size, 1]);

/** `dsᵢ = uᵢᵀ dA vᵢ`; gradient `U diag(ḡ) Vᵀ`: exact at repeated singular values. */
const sPrim: Primitive<SvdParams> = {
  name: "svd.S",
  forward: (_i, { s }) => new Tensor(Float64Array.from(s), [s.length]),
  vjp: (g, [a], _s, p) => [matmul(mul(uOf(a, p), row(g)), vhOf(a, p))],
  jvp: ([da], [a], _s, p) => sum(mul(uOf(a, p), matmul(da, mT(vhOf(a, p)))), 0),
};

/**
 * The singular vectors follow JAX's `svd_jvp_rule` (reduced SVD): with `dS = Uᵀ dA V` and
 * `F[i, j] = 1/(sⱼ² − sᵢ²)`,
 * `dU = U (F ∘ (dS S + S dSᵀ)) + (I − U Uᵀ) dA V S⁻¹` (the last term when m > n) and
 * `dV = V (F ∘ (S dS + dSᵀ S)) + (I − V Vᵀ) dAᵀ U S⁻¹` (when n > m); the VJPs are their
 * transposes. At repeated singular values (and at a zero singular value of a non-square matrix)
 * they divide by zero: JAX and PyTorch return Inf/NaN there; we raise a ValueError.
 */
function context(a: Tensor, p: SvdParams) {
  checkGaps(
    "svd",
    "singular vectors",
    p.s.map((x) => x * x),
    "differentiate a function of the singular values alone, or perturb A to split them",
  );
  if (p.m !== p.n && p.s.some((x) => x <= gapTolerance(p.s))) {
    throw new ValueError(
      `svd: the derivative of the singular vectors of a non-square [${p.m}, ${p.n}] matrix is ` +
        `undefined when a singular value is 0 (rank-deficient A); differentiate a function of ` +
        `the singular values alone`,
    );
  }
  const u = uOf(a, p), s = sOf(a, p), vh = vhOf(a, p);
  return { u, s, vh, v: mT(vh), f: gapMatrix(mul(s, s)) };
}

const uPrim: Primitive<SvdParams> = {
  name: "svd.U",
  forward: (_i, { u, m, s }) => new Tensor(Float64Array.from(u), [m, s.length]),
  vjp: (g, [a], _u, p) => {
    const { u, s, vh, f } = context(a, p);
    const k = mul(f, matmul(mT(u), g));
    let abar = matmul(u, matmul(mul(add(k, mT(k)), row(s)), vh));
    if (p.m > p.n) abar = add(abar, matmul(div(sub(g, matmul(u, matmul(mT(u), g))), row(s)), vh));
    return [abar];
  },
  jvp: ([da], [a], _u, p) => {
    const { u, s, v, f } = context(a, p);
    const ds = matmul(mT(u), matmul(da, v));
    let du = matmul(u, mul(f, add(mul(ds, row(s)), mul(col(s), mT(ds)))));
    if (p.m > p.n) {
      const dav = matmul(da, v);
      du = add(du, div(sub(dav, matmul(u, matmul(mT(u), dav))), row(s)));
    }
    return du;
  },
};

const vhPrim: Primitive<SvdParams> = {
  name: "svd.Vh",
  forward: (_i, { vt, n, s }) => new Tensor(Float64Array.from(vt), [s.length, n]),
  vjp: (g, [a], _vh, p) => {
    const { u, s, vh, v, f } = context(a, p);
    const gv = mT(g);
    const k = mul(f, matmul(mT(v), gv));
    let abar = matmul(u, matmul(mul(col(s), add(k, mT(k))), vh));
    if (p.n > p.m) {
      abar = add(abar, matmul(div(u, row(s)), mT(sub(gv, matmul(v, matmul(vh, gv))))));
    }
    return [abar];
  },
  jvp: ([da], [a], _vh, p) => {
    const { u, s, v, f } = context(a, p);
    const ds = matmul(mT(u), matmul(da, v));
    let dv = matmul(v, mul(f, add(mul(col(s), ds), mul(mT(ds), row(s)))));
    if (p.n > p.m) {
      const dau = matmul(mT(da), u);
      dv = add(dv, div(sub(dau, matmul(v, matmul(mT(v), dau))), row(s)));
    }
    return mT(dv);
  },
};

/**
 * What {@linkcode svd} returns: `A = U diag(S) Vh`. Prints as `SvdResult { U: …, S: …, Vh: … }`
 * and destructures like NumPy's named tuple.
 */
export class SvdResult {
  /** Left singular vectors as columns: `[m, r]`, `r = min(m, n)`. */
  readonly U: Tensor;
  /** Singular values, descending, ≥ 0: `[r]`. */
  readonly S: Tensor;
  /** Right singular vectors as rows: `[r, n]`. */
  readonly Vh: Tensor;
  /** Groups the three results. */
  constructor(U: Tensor, S: Tensor, Vh: Tensor) {
    this.U = U;
    this.S = S;
    this.Vh = Vh;
  }

  /** Prints the record with each tensor's rows aligned (REPL, `console.log`). */
  [Symbol.for("Deno.customInspect")](
    _inspect?: unknown,
    options?: { indentationLvl?: number },
  ): string {
    return inspectRecord(options?.indentationLvl ?? 0, "SvdResult", {
      U: this.U,
      S: this.S,
      Vh: this.Vh,
    });
  }
}

/**
 * The reduced singular value decomposition, like `numpy.linalg.svd(A, full_matrices=False)`:
 * `A = U diag(S) Vh` with `U: [m, r]`, `S: [r]` descending, `Vh: [r, n]`, `r = min(m, n)`.
 * Signs are fixed so that in each column of `U` the first entry of at least half the column's
 * largest magnitude is positive (`Vh`'s rows flip with it).
 *
 * Derivatives: `dsᵢ = uᵢᵀ dA vᵢ`, exact even at repeated singular values (a loss of `S` alone,
 * such as the nuclear norm, never divides by gaps). The singular vectors' derivative divides by
 * `sⱼ² − sᵢ²` (and by `sᵢ` for a non-square matrix); at repeated (or, non-square, zero) singular
 * values it raises a `ValueError` naming them instead of returning Infinity or NaN.
 *
 * @example Singular values, and the gradient of the largest one: u₁ v₁ᵀ
 * ```ts
 * import { assertAllClose, grad, mul, svd, sum, type Tensor, tensor } from "matcalc";
 *
 * const A = tensor([[3, 0], [4, 5]]);
 * const { U, S, Vh } = svd(A);
 * assertAllClose(S, [Math.sqrt(45), Math.sqrt(5)]);
 * const largest = (A: Tensor) => sum(mul(svd(A).S, tensor([1, 0])));
 * const u = U.toArray() as number[][], v = Vh.toArray() as number[][];
 * assertAllClose(grad(largest, A), [0, 1].map((i) => [0, 1].map((j) => u[i][0] * v[0][j])));
 * ```
 */
export function svd(A: Operand): SvdResult {
  const a = matrixInput("svd", A);
  const [m, n] = a.shape;
  const { u, s, vt } = kernels().svd(raw(a), m, n);
  fixSigns(u, m, s.length, vt);
  const p = { u, s, vt, m, n };
  return new SvdResult(uOf(a, p), sOf(a, p), vhOf(a, p));
}
