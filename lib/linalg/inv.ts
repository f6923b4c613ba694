import { bind, type Primitive } from "../ad/node.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmul } from "../ops/matmul.ts";
import { neg } from "../ops/neg.ts";
import type { Operand } from "../ops/operand.ts";
import { batched, EPS, mT, singularError, squareInput } from "./common.ts";
import { kernels } from "./kernels.ts";

interface InvParams {
  /** The public op and the input's full shape and batch label, for the singular error. */
  op: string;
  shape: readonly number[];
  where: string;
}

/**
 * `A⁻¹` of one matrix. `X = A⁻¹`: `dX = −X dA X`, so the VJP is `−Xᵀ G Xᵀ`. Both use the traced
 * output `X`, so the second derivative (`2 X dA X dA X`) comes out of the same rule.
 */
const invPrim: Primitive<InvParams> = {
  name: "inv",
  forward: ([a], { op, shape, where }) => {
    const n = a.shape[0];
    const lu = kernels().lu(raw(a), n);
    if (lu.zeroPivot >= 0 || lu.rcond() < EPS) {
      throw singularError(op, shape, where, lu.zeroPivot >= 0 ? 0 : lu.rcond(), lu.zeroPivot);
    }
    return new Tensor(lu.inverse(), [n, n]);
  },
  vjp: (g, _inputs, x) => [neg(matmul(mT(x), matmul(g, mT(x))))],
  jvp: ([da], _inputs, x) => neg(matmul(x, matmul(da, x))),
};

/** @internal `A⁻¹` of one square matrix, errors naming `op`. */
export function inv2d(
  a: Tensor,
  op = "inv",
  shape: readonly number[] = a.shape,
  where = "",
): Tensor {
  return bind(invPrim, [a], { op, shape, where });
}

/**
 * The inverse of a square matrix, like `numpy.linalg.inv`; a stack `[..., n, n]` is inverted
 * matrix by matrix.
 *
 * Singular input: a matrix that is singular or numerically singular (estimated reciprocal
 * condition number in the 1-norm below machine epsilon, LAPACK `gecon`'s estimate) raises a
 * `ValueError` naming the shape and the condition number; it never returns `Infinity` or `NaN`.
 * (NumPy raises only for an exactly zero pivot; SciPy warns below eps: we refuse there, since
 * the answer has no correct digits.)
 *
 * Derivative: `d(A⁻¹) = −A⁻¹ dA A⁻¹`, i.e. the Jacobian is `−(A⁻ᵀ ⊗ A⁻¹)` in column-major vec.
 *
 * @example Inverse, and d(A⁻¹) = −A⁻¹ dA A⁻¹
 * ```ts
 * import { assertAllClose, inv, jvp, matmul, neg, tensor } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * const A = tensor([[4, 7], [2, 6]]);
 * const X = inv(A);
 * assertAllClose(X, [[0.6, -0.7], [-0.2, 0.4]]);
 * const dA = tensor([[1, 0], [0, 0]]);
 * const [, dX] = jvp(inv, A, dA);
 * assertAllClose(dX, neg(matmul(X, matmul(dA, X))));
 * assertThrows(() => inv(tensor([[1, 2], [2, 4]])), Error, "inv: cannot invert the [2, 2] matrix: it is singular");
 * ```
 */
export function inv(A: Operand): Tensor {
  const a = squareInput("inv", A, true);
  return batched(a, (m, where) => inv2d(m, "inv", a.shape, where));
}
