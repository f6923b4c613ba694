import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { add } from "../ops/add.ts";
import { matmul } from "../ops/matmul.ts";
import { mul } from "../ops/mul.ts";
import { scale } from "../ops/scale.ts";
import type { Operand } from "../ops/operand.ts";
import { batched, mT, squareInput, symmetrize, tri } from "./common.ts";
import { kernels } from "./kernels.ts";
import { triSolve2d } from "./solve_triangular.ts";

interface CholParams {
  shape: readonly number[];
  where: string;
}

const LOWER = { lower: true, op: "cholesky" };

/** `½ diag(X)` as a matrix: the diagonal half of `Φ(X) = tril(X, −1) + ½ diag(X)`. */
function halfDiag(x: Tensor): Tensor {
  const n = x.shape[0];
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 0.5;
  return mul(x, new Tensor(d, [n, n]));
}

/**
 * `L` with `A = L Lᵀ` for one symmetric matrix. Forward mode (JAX's `_cholesky_jvp_rule`):
 * `dL = L Φ(L⁻¹ dA L⁻ᵀ)`. Reverse mode (PyTorch's `cholesky_backward`):
 * `Ā = L⁻ᵀ Φ'(Lᵀ Ḡ) L⁻¹` with `Φ'(P) = ½ (tril(P) + tril(P, −1)ᵀ)`, which is symmetric. Both
 * use the traced output `L` and traced triangular solves, so they differentiate again.
 */
const cholPrim: Primitive<CholParams> = {
  name: "cholesky",
  forward: ([a], { shape, where }) => {
    const n = a.shape[0];
    const { l, failedAt } = kernels().cholesky(raw(a), n);
    if (failedAt >= 0) {
      const k = failedAt + 1;
      throw new ValueError(
        `cholesky: the ${fmtShape(shape.slice(-2))} matrix${
          where === "" ? "" : where + ` of the ${fmtShape(shape)} input`
        } ` +
          `is not positive definite: its leading minor of order ${k} (A[:${k}, :${k}]) is not ` +
          `positive definite; check the matrix is symmetric positive definite, or add a small ` +
          `multiple of the identity (A + εI)`,
      );
    }
    return new Tensor(l, [n, n]);
  },
  vjp: (g, _inputs, l) => {
    const p = tri(matmul(mT(l), g), 0, true);
    const ph = scale(add(p, mT(tri(p, -1, true))), 0.5);
    const w = triSolve2d(l, ph, { ...LOWER, trans: true }); // L⁻ᵀ Φ'
    return [mT(triSolve2d(l, mT(w), { ...LOWER, trans: true }))]; // (L⁻ᵀ Wᵀ)ᵀ = W L⁻¹
  },
  jvp: ([da], _inputs, l) => {
    const y = triSolve2d(l, da, { ...LOWER, trans: false }); // L⁻¹ dA
    const z = mT(triSolve2d(l, mT(y), { ...LOWER, trans: false })); // L⁻¹ dA L⁻ᵀ
    return matmul(l, add(tri(z, -1, true), halfDiag(z)));
  },
};

/**
 * The Cholesky factor of a symmetric positive definite matrix, like `numpy.linalg.cholesky`:
 * lower-triangular `L` with positive diagonal and `A = L Lᵀ`. A stack `[..., n, n]` is factored
 * matrix by matrix.
 *
 * Which triangle is read: the symmetric part `(A + Aᵀ)/2`, as JAX does (`symmetrize_input`);
 * NumPy reads the lower triangle. The two agree on symmetric input, the only input a Cholesky
 * factorization is meant for, and reading the symmetric part makes the gradient symmetric (a
 * perturbation of `A[i, j]` and of `A[j, i]` count the same), which is what finite differences
 * and the matrix-calculus identities expect.
 *
 * A matrix that is not positive definite raises a `ValueError` naming the leading minor that
 * failed.
 *
 * @example A = L Lᵀ, and the error for an indefinite matrix
 * ```ts
 * import { assertAllClose, cholesky, matmul, tensor, transpose } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * const A = tensor([[4, 2], [2, 5]]);
 * const L = cholesky(A);
 * assertAllClose(L, [[2, 0], [1, 2]]);
 * assertAllClose(matmul(L, transpose(L)), A);
 * assertThrows(() => cholesky(tensor([[1, 2], [2, 1]])), Error, "leading minor of order 2");
 * ```
 */
export function cholesky(A: Operand): Tensor {
  const a = squareInput("cholesky", A, true);
  return batched(a, (m, where) => bind(cholPrim, [symmetrize(m)], { shape: a.shape, where }));
}
