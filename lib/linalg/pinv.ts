/**
 * The Moore–Penrose pseudo-inverse, from the SVD, with the derivative of Golub and Pereyra
 * ("The differentiation of pseudo-inverses and nonlinear least squares problems", SIAM J.
 * Numer. Anal. 10(2), 1973), the rule `jax.numpy.linalg.pinv` uses:
 *
 *     dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᵀ dAᵀ (I − A A⁺) + (I − A⁺A) dAᵀ A⁺ᵀ A⁺.
 *
 * It holds where the rank is locally constant (the cutoff decides the rank); it never divides by
 * a gap between singular values, so unlike the SVD's vectors it is fine at repeated ones.
 *
 * @module
 */
import { bind, type Primitive } from "../ad/node.ts";
import { checkOptions, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { eye } from "../creation.ts";
import { add } from "../ops/add.ts";
import { matmul } from "../ops/matmul.ts";
import { neg } from "../ops/neg.ts";
import { sub } from "../ops/sub.ts";
import type { Operand } from "../ops/operand.ts";
import { asTensor } from "../ops/operand.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { batched, finiteInput, mT } from "./common.ts";
import { kernels } from "./kernels.ts";

/** NumPy's default cutoff, relative to the largest singular value (`numpy.linalg.pinv`). */
export const PINV_RCOND = 1e-15;

const pinvPrim: Primitive<{ rcond: number }> = {
  name: "pinv",
  forward: ([a], { rcond }) => {
    const [m, n] = a.shape;
    const { u, s, vt } = kernels().svd(raw(a), m, n);
    const r = s.length, cut = rcond * (r > 0 ? s[0] : 0);
    // A⁺ = V diag(1/sᵢ) Uᵀ over the singular values above the cutoff.
    const out = new Float64Array(n * m);
    for (let k = 0; k < r; k++) {
      if (!(s[k] > cut)) continue;
      const inv = 1 / s[k];
      for (let i = 0; i < n; i++) {
        const v = vt[k * n + i] * inv;
        if (v === 0) continue;
        for (let j = 0; j < m; j++) out[i * m + j] += v * u[j * r + k];
      }
    }
    return new Tensor(out, [n, m]);
  },
  jvp: ([da], [a], p) => {
    const [m, n] = a.shape;
    const pa = matmul(p, a), ap = matmul(a, p);
    const t1 = neg(matmul(p, matmul(da, p)));
    const t2 = matmul(matmul(p, mT(p)), matmul(mT(da), sub(eye(m), ap)));
    const t3 = matmul(sub(eye(n), pa), matmul(mT(da), matmul(mT(p), p)));
    return add(add(t1, t2), t3);
  },
  // The adjoint of each term of the JVP in the Frobenius inner product.
  vjp: (g, [a], p) => {
    const [m, n] = a.shape;
    const pa = matmul(p, a), ap = matmul(a, p);
    const t1 = neg(matmul(mT(p), matmul(g, mT(p))));
    const t2 = matmul(sub(eye(m), ap), matmul(mT(g), matmul(p, mT(p))));
    const t3 = matmul(matmul(mT(p), p), matmul(mT(g), sub(eye(n), pa)));
    return [add(add(t1, t2), t3)];
  },
};

/**
 * The Moore–Penrose pseudo-inverse `A⁺` of a matrix `[m, n]` (shape `[n, m]`), or of each in a
 * stack `[..., m, n]`, like `numpy.linalg.pinv`: from the SVD, inverting the singular values
 * above `rcond` times the largest (NumPy's default `rcond = 1e-15`) and dropping the rest.
 * `x = A⁺ b` is the least-squares solution of `A x ≈ b` with the smallest norm.
 *
 * Derivatives: the Golub–Pereyra formula (as JAX), both modes and every order, valid where the
 * rank does not change (a singular value crossing the cutoff makes `A⁺` jump).
 *
 * @example Least squares, a rank-deficient matrix, and `d(A⁺) = −A⁻¹ dA A⁻¹` when A is square
 * ```ts
 * import { assertAllClose, inv, jvp, matmul, neg, pinv, tensor } from "matcalc";
 *
 * const A = tensor([[1, 0], [0, 1], [1, 1]]);
 * assertAllClose(pinv(A), [[2 / 3, -1 / 3, 1 / 3], [-1 / 3, 2 / 3, 1 / 3]]);
 * assertAllClose(pinv(tensor([[1, 2], [2, 4]])), [[0.04, 0.08], [0.08, 0.16]]); // rank 1
 * const S = tensor([[2, 1], [1, 3]]), E = tensor([[0, 1], [0, 0]]);
 * assertAllClose(jvp(pinv, [S], [E])[1], neg(matmul(inv(S), matmul(E, inv(S)))));
 * ```
 */
export function pinv(A: Operand, opts: { rcond?: number } = {}): Tensor {
  checkOptions("pinv", opts, ["rcond"]);
  const a = finiteInput("pinv", asTensor("pinv", A, "A"), "A");
  if (a.rank < 2) {
    throw new ShapeError(
      `pinv: A must be a matrix [m, n] or a stack of them [..., m, n], got shape ` +
        `${fmtShape(a.shape)}; reshape a vector to [n, 1] or [1, n]`,
    );
  }
  const rcond = opts.rcond ?? PINV_RCOND;
  if (typeof rcond !== "number" || !(rcond >= 0) || !Number.isFinite(rcond)) {
    throw new ValueError(`pinv: rcond must be a non-negative number, got ${String(rcond)}`);
  }
  if (a.shape.slice(-2).some((d) => d === 0)) {
    const [m, n] = a.shape.slice(-2);
    return new Tensor(new Float64Array(0), [...a.shape.slice(0, -2), n, m]);
  }
  return batched(a, (m) => bind(pinvPrim, [m], { rcond }));
}
