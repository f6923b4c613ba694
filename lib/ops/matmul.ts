import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmulKernel } from "../backend/wasm/matmul_kernel.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { add } from "./add.ts";

/** Whether each operand is used transposed: `[ta, tb]` gives `op(a) · op(b)`. */
type Transposes = readonly [boolean, boolean];
const PLAIN: Transposes = [false, false];

/**
 * The 2-D × 2-D primitive `op(a) · op(b)`, `op(x)` being `x` or `xᵀ`; vectors are reshaped to
 * matrices around it. The public `matmul` uses no transposes; the VJP uses them so that
 * `G Bᵀ` and `Aᵀ G` are computed from `B` and `A` as stored, without transposed copies.
 */
const matmulPrim: Primitive<Transposes> = {
  name: "matmul",
  forward: ([a, b], [ta, tb]) => {
    const m = ta ? a.shape[1] : a.shape[0], k = ta ? a.shape[0] : a.shape[1];
    const n = tb ? b.shape[0] : b.shape[1];
    return new Tensor(matmulKernel(raw(a), raw(b), m, k, n, ta, tb), [m, n]);
  },
  // C = A B  ⇒  dA = G Bᵀ, dB = Aᵀ G; with op(·) on either side the transposes move around
  // (e.g. C = Aᵀ B ⇒ dA = B Gᵀ). A constant operand (no autodiff node) gets no cotangent:
  // the engine would drop it, so it is not computed.
  vjp: (g, [a, b], _out, [ta, tb]) => [
    a._node === undefined ? null : ta ? mm(b, g, tb, true) : mm(g, b, false, !tb),
    b._node === undefined ? null : tb ? mm(g, a, true, ta) : mm(a, g, !ta, false),
  ],
  jvp: ([da, db], [a, b], _out, t) => add(mm(da, b, t[0], t[1]), mm(a, db, t[0], t[1])),
};

/** `op(a) · op(b)` for matrices whose shapes the caller has checked. */
function mm(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  return bind(matmulPrim, [a, b], ta || tb ? [ta, tb] : PLAIN);
}

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
 * console.log(matmul(W, x));
 * // Tensor([-2, -2], shape=[2])
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
  const c = bind(matmulPrim, [a2, b2], PLAIN);
  if (A.rank === 2 && B.rank === 2) return c;
  const shape = [...(A.rank === 2 ? [A.shape[0]] : []), ...(B.rank === 2 ? [B.shape[1]] : [])];
  return reshape(c, shape);
}
