import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmul } from "../ops/matmul.ts";
import { neg } from "../ops/neg.ts";
import { sub } from "../ops/sub.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { reshape } from "../ops/reshape.ts";
import { slice, stack } from "../ops/slice.ts";
import { EPS, finiteInput, mT, singularError, squareInput } from "./common.ts";
import { kernels } from "./kernels.ts";

interface SolveParams {
  shape: readonly number[];
  where: string;
}

/**
 * `X = A⁻¹ B` for one matrix `A: [n, n]` and `B: [n, k]`. `dX = A⁻¹ (dB − dA X)`, so
 * `B̄ = A⁻ᵀ G` and `Ā = −B̄ Xᵀ` (JAX's and PyTorch's rule), both with traced `solve` and the
 * traced output, so the rule is its own derivative.
 */
const solvePrim: Primitive<SolveParams> = {
  name: "solve",
  forward: ([a, b], { shape, where }) => {
    const n = a.shape[0], k = b.shape[1];
    const lu = kernels().lu(raw(a), n);
    if (lu.zeroPivot >= 0 || lu.rcond() < EPS) {
      throw singularError("solve", shape, where, lu.zeroPivot >= 0 ? 0 : lu.rcond(), lu.zeroPivot);
    }
    return new Tensor(lu.solve(raw(b), k), [n, k]);
  },
  vjp: (g, [a, b], x, p) => {
    if (a._node === undefined && b._node === undefined) return [null, null];
    const bbar = solve2d(mT(a), g, p);
    return [a._node === undefined ? null : neg(matmul(bbar, mT(x))), bbar];
  },
  jvp: ([da, db], [a], x, p) => solve2d(a, sub(db, matmul(da, x)), p),
};

function solve2d(a: Tensor, b: Tensor, p: SolveParams): Tensor {
  return bind(solvePrim, [a, b], p);
}

/**
 * Solves `A X = B` for `X`, like `numpy.linalg.solve` (LU with partial pivoting). `A` is
 * `[n, n]` or a stack `[..., n, n]`; `B` is a vector `[n]` (then `X` is `[..., n]`), a matrix
 * `[n, k]` (shared by every matrix of the stack) or a stack `[..., n, k]` with `A`'s leading
 * axes (or any leading axes when `A` is one matrix). As in NumPy ≥ 2, `B` is a vector only
 * when it is 1-D.
 *
 * Singular input: a singular or numerically singular `A` (estimated reciprocal condition number
 * below machine epsilon) raises a `ValueError` naming the shape and the condition number; it
 * never returns `Infinity` or `NaN`.
 *
 * Derivative: `dX = A⁻¹ (dB − dA X)`; gradients `B̄ = A⁻ᵀ G`, `Ā = −B̄ Xᵀ`.
 *
 * @example The least-squares optimum from the normal equations, and the gradient with respect to b
 * ```ts
 * import { assertAllClose, grad, inv, matmul, solve, sum, tensor, transpose } from "matcalc";
 *
 * const A = tensor([[3, 1], [1, 2]]), b = tensor([9, 8]);
 * assertAllClose(solve(A, b), [2, 3]);
 * // d/db sum(A⁻¹ b) = A⁻ᵀ 1
 * assertAllClose(grad((b) => sum(solve(A, b)), b), matmul(transpose(inv(A)), tensor([1, 1])));
 * ```
 */
export function solve(A: Operand, B: Operand): Tensor {
  const a = squareInput("solve", A, true);
  const b = finiteInput("solve", asTensor("solve", B, "B"), "B");
  const n = a.shape[a.rank - 1], aBatch = a.shape.slice(0, -2);
  const vector = b.rank === 1;
  const bad = (why: string) =>
    new ShapeError(
      `solve: cannot solve A X = B with A ${fmtShape(a.shape)} and B ${fmtShape(b.shape)}: ${why}`,
    );
  if (b.rank === 0) throw bad("B must be a vector [n], a matrix [n, k] or a stack [..., n, k]");
  if (b.shape[vector ? 0 : b.rank - 2] !== n) {
    throw bad(
      `B has ${b.shape[vector ? 0 : b.rank - 2]} rows, A has ${n}` +
        (vector ? "" : " (B's second-to-last axis must match A's)"),
    );
  }
  const bBatch = vector ? [] : b.shape.slice(0, -2);
  if (a.rank > 2 && bBatch.length > 0 && fmtShape(bBatch) !== fmtShape(aBatch)) {
    throw bad(
      `the leading axes ${fmtShape(bBatch)} of B differ from A's ${fmtShape(aBatch)}; give B ` +
        `A's leading axes, or one matrix [n, k] for all of them`,
    );
  }
  // One A for a stack of B (numpy broadcasts it), or a stack of A with one B, or both stacked.
  const batch = a.rank > 2 ? aBatch : bBatch;
  const b2 = vector ? reshape(b, [n, 1]) : b;
  const k = b2.shape[b2.rank - 1];
  let x: Tensor;
  if (batch.length === 0) {
    x = solve2d(a, b2, { shape: a.shape, where: "" });
  } else {
    const count = batch.reduce((p, d) => p * d, 1);
    const af = a.rank === 2 ? null : reshape(a, [count, n, n]);
    const bf = b2.rank === 2 ? null : reshape(b2, [count, n, k]);
    const outs: Tensor[] = [];
    for (let i = 0; i < count; i++) {
      const ai = af === null ? a : reshape(slice(af, [i, 0, 0], [i + 1, n, n]), [n, n]);
      const bi = bf === null ? b2 : reshape(slice(bf, [i, 0, 0], [i + 1, n, k]), [n, k]);
      const where = af === null ? "" : ` at flat index ${i}`;
      outs.push(solve2d(ai, bi, { shape: a.shape, where }));
    }
    x = count === 0 ? new Tensor(new Float64Array(0), [0, n, k]) : stack(outs);
    x = reshape(x, [...batch, n, k]);
  }
  return vector ? reshape(x, [...batch, n]) : x;
}
