import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError } from "../shape_error.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmulKernel } from "../kernels/matmul_kernel.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";
import { add } from "./add.ts";

/** The 2-D × 2-D primitive; vectors are reshaped to matrices around it. */
const matmulPrim: Primitive = {
  name: "matmul",
  forward: ([a, b]) => {
    const [m, k] = a.shape, n = b.shape[1];
    return new Tensor(matmulKernel(raw(a), raw(b), m, k, n), [m, n]);
  },
  // C = A B  ⇒  dA = G Bᵀ, dB = Aᵀ G.
  vjp: (g, [a, b]) => [matmul(g, transpose(b)), matmul(transpose(a), g)],
  jvp: ([da, db], [a, b]) => add(matmul(da, b), matmul(a, db)),
};

/**
 * Matrix product, like `numpy.matmul` for 1-D and 2-D operands: matrix × matrix, matrix ×
 * vector (`[m, n] × [n] → [m]`), vector × matrix (`[m] × [m, n] → [n]`) and vector · vector
 * (a scalar).
 *
 * @example `y = W x`
 * ```ts
 * import { matmul, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * const W = tensor([[1, 2, 3], [4, 5, 6]]);
 * const x = tensor([1, 0, -1]);
 * assert.deepEqual(matmul(W, x).toArray(), [-2, -2]);
 * assert.deepEqual(matmul(W, tensor([[1], [1], [1]])).toArray(), [[6], [15]]);
 * ```
 */
export function matmul(a: Operand, b: Operand): Tensor {
  const A = asTensor("matmul", a), B = asTensor("matmul", b);
  if (A.rank < 1 || A.rank > 2 || B.rank < 1 || B.rank > 2) {
    throw new ShapeError(
      `matmul: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: operands must be ` +
        `vectors or matrices (rank 1 or 2); use mul for scalars, tensordot or einsum for higher ranks`,
    );
  }
  const a2 = A.rank === 1 ? reshape(A, [1, A.shape[0]]) : A;
  const b2 = B.rank === 1 ? reshape(B, [B.shape[0], 1]) : B;
  if (a2.shape[1] !== b2.shape[0]) {
    throw new ShapeError(
      `matmul: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: inner dimensions ` +
        `${a2.shape[1]} and ${b2.shape[0]} differ`,
    );
  }
  const c = bind(matmulPrim, [a2, b2], undefined);
  if (A.rank === 2 && B.rank === 2) return c;
  const shape = [...(A.rank === 2 ? [A.shape[0]] : []), ...(B.rank === 2 ? [B.shape[1]] : [])];
  return reshape(c, shape);
}
