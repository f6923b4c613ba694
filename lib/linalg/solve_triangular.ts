import { bind, type Primitive } from "../ad/node.ts";
import { checkOptions, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmul } from "../ops/matmul.ts";
import { neg } from "../ops/neg.ts";
import { sub } from "../ops/sub.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { reshape } from "../ops/reshape.ts";
import { finiteInput, mT, squareInput, tri } from "./common.ts";
import { kernels } from "./kernels.ts";

interface TriParams {
  lower: boolean;
  /** Solve `Aᵀ X = B` instead. */
  trans: boolean;
  /** The public op, for the zero-diagonal error. */
  op: string;
}

/**
 * `X = op(A)⁻¹ B` reading one triangle of `A`. `dX = op(A)⁻¹ (dB − op(tri(dA)) X)`, so
 * `B̄ = op(A)⁻ᵀ G` and the gradient for `op(A)` is `−B̄ Xᵀ`, masked to the triangle read (the
 * other triangle does not influence `X`, so its gradient is exactly 0), as JAX's
 * `triangular_solve` transpose rule.
 */
const triPrim: Primitive<TriParams> = {
  name: "solveTriangular",
  forward: ([a, b], { lower, trans, op }) => {
    const n = a.shape[0], k = b.shape[1];
    const { x, zeroPivot } = kernels().solveTriangular(raw(a), n, raw(b), k, lower, trans);
    if (zeroPivot >= 0) {
      throw new ValueError(
        `${op}: the triangular ${fmtShape(a.shape)} matrix is singular: its diagonal entry ` +
          `[${zeroPivot}, ${zeroPivot}] is 0`,
      );
    }
    return new Tensor(x, [n, k]);
  },
  vjp: (g, [a, b], x, p) => {
    if (a._node === undefined && b._node === undefined) return [null, null];
    const bbar = triSolve2d(a, g, { ...p, trans: !p.trans });
    const abar = a._node === undefined
      ? null
      : tri(neg(p.trans ? matmul(x, mT(bbar)) : matmul(bbar, mT(x))), 0, p.lower);
    return [abar, bbar];
  },
  jvp: ([da, db], [a], x, p) => {
    const t = tri(da, 0, p.lower);
    return triSolve2d(a, sub(db, matmul(p.trans ? mT(t) : t, x)), p);
  },
};

/** @internal `op(A)⁻¹ B` for a triangular matrix `A` and a matrix `B`, traced. */
export function triSolve2d(a: Tensor, b: Tensor, p: TriParams): Tensor {
  return bind(triPrim, [a, b], p);
}

/**
 * Solves `A X = B` for a triangular `A`, like `scipy.linalg.solve_triangular`: only the lower
 * (`lower: true`) or upper (the default, as SciPy) triangle of `A` is read, the other is
 * ignored. `B` is a vector `[n]` or a matrix `[n, k]`.
 *
 * A zero on the diagonal raises a `ValueError` naming it. Derivative: as {@linkcode solve},
 * with the gradient for `A` restricted to the triangle that was read (the rest is 0).
 *
 * @example Forward substitution with a lower-triangular matrix
 * ```ts
 * import { assertAllClose, solveTriangular, tensor } from "matcalc";
 *
 * const L = tensor([[2, 0], [1, 4]]);
 * assertAllClose(solveTriangular(L, tensor([2, 9]), { lower: true }), [1, 2]);
 * // The upper triangle is ignored when lower is true: 99 is never read.
 * assertAllClose(solveTriangular(tensor([[2, 99], [1, 4]]), tensor([2, 9]), { lower: true }), [1, 2]);
 * ```
 */
export function solveTriangular(
  A: Operand,
  B: Operand,
  opts: { lower?: boolean } = {},
): Tensor {
  checkOptions("solveTriangular", opts, ["lower"], ["lower"]);
  const a = squareInput("solveTriangular", A, false);
  const b = finiteInput("solveTriangular", asTensor("solveTriangular", B, "B"), "B");
  const n = a.shape[0];
  if ((b.rank !== 1 && b.rank !== 2) || b.shape[0] !== n) {
    throw new ShapeError(
      `solveTriangular: cannot solve A X = B with A ${fmtShape(a.shape)} and B ` +
        `${fmtShape(b.shape)}: B must be [${n}] or [${n}, k]`,
    );
  }
  const b2 = b.rank === 1 ? reshape(b, [n, 1]) : b;
  const x = triSolve2d(a, b2, { lower: opts.lower ?? false, trans: false, op: "solveTriangular" });
  return b.rank === 1 ? reshape(x, [n]) : x;
}
