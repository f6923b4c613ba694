/**
 * Diagonals: `diagonal` reads one out of the last two axes, `diag` builds a matrix from a vector
 * or reads a matrix's diagonal (NumPy's two-way `diag`). Two linear primitives, each the other's
 * adjoint: the VJP of reading a diagonal is writing the cotangent back onto it, and vice versa.
 */
import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, fmtValue, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { normalizeAxes } from "./shape.ts";
import { asTensor, type Operand } from "./operand.ts";
import { transpose } from "./transpose.ts";

interface DiagParams {
  m: number;
  n: number;
  k: number;
}

/** The length of diagonal `k` of an `m × n` matrix, and the (row, column) where it starts. */
function diagGeometry({ m, n, k }: DiagParams): { len: number; r0: number; c0: number } {
  const r0 = k >= 0 ? 0 : -k, c0 = k >= 0 ? k : 0;
  return { len: Math.max(0, Math.min(m - r0, n - c0)), r0, c0 };
}

// [..., m, n] → [..., len]
const takeDiagPrim: Primitive<DiagParams> = {
  name: "diagonal",
  forward: ([a], p) => {
    const { len, r0, c0 } = diagGeometry(p);
    const A = raw(a), mn = p.m * p.n;
    const batch = mn === 0 ? 0 : A.length / mn;
    const out = allocate("diagonal", [batch, len]);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < len; i++) out[b * len + i] = A[b * mn + (r0 + i) * p.n + c0 + i];
    }
    return new Tensor(out, [...a.shape.slice(0, -2), len]);
  },
  vjp: (g, _a, _out, p) => [bind(putDiagPrim, [g], p)],
  jvp: ([da], _a, _out, p) => bind(takeDiagPrim, [da], p),
};

// [..., len] → [..., m, n], zeros off the diagonal
const putDiagPrim: Primitive<DiagParams> = {
  name: "diagEmbed",
  forward: ([v], p) => {
    const { len, r0, c0 } = diagGeometry(p);
    const V = raw(v), mn = p.m * p.n;
    const batch = len === 0 ? v.shape.slice(0, -1).reduce((q, d) => q * d, 1) : V.length / len;
    const out = allocate("diag", [...v.shape.slice(0, -1), p.m, p.n]);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < len; i++) out[b * mn + (r0 + i) * p.n + c0 + i] = V[b * len + i];
    }
    return new Tensor(out, [...v.shape.slice(0, -1), p.m, p.n]);
  },
  vjp: (g, _v, _out, p) => [bind(takeDiagPrim, [g], p)],
  jvp: ([dv], _v, _out, p) => bind(putDiagPrim, [dv], p),
};

function checkOffset(op: string, k: number): void {
  if (!Number.isInteger(k)) {
    throw new ValueError(`${op}: diagonal offset must be an integer, got ${fmtValue(k)}`);
  }
}

/**
 * The diagonal at `offset` of the 2-D slices spanned by `axis1` and `axis2`, like
 * `numpy.diagonal`: the two axes are removed and the diagonal is appended as the last axis.
 * `offset > 0` reads above the main diagonal (`x[i, i + offset]`), `offset < 0` below.
 *
 * @example
 * ```ts
 * import { diagonal, reshape, arange, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(diagonal(A).toArray(), [1, 5]);
 * assertEquals(diagonal(A, 1).toArray(), [2, 6]);
 * assertEquals(diagonal(A, -1).toArray(), [4]);
 * // A stack of matrices [2, 2, 2]: the diagonal of each, over the last two axes.
 * assertEquals(diagonal(reshape(arange(8), [2, 2, 2]), 0, -2, -1).toArray(), [[0, 3], [4, 7]]);
 * ```
 */
export function diagonal(x: Operand, offset = 0, axis1 = 0, axis2 = 1): Tensor {
  const t = asTensor("diagonal", x);
  checkOffset("diagonal", offset);
  if (t.rank < 2) {
    throw new ShapeError(
      `diagonal: cannot take a diagonal of a tensor of shape ${fmtShape(t.shape)}: it needs ` +
        `rank ≥ 2; for a vector, diag(v) builds the diagonal matrix`,
    );
  }
  const [a1] = normalizeAxes("diagonal", axis1, t.shape);
  const [a2] = normalizeAxes("diagonal", axis2, t.shape);
  if (a1 === a2) {
    throw new ValueError(
      `diagonal: axis1 and axis2 must differ, got ${axis1} and ${axis2} (the same axis of a ` +
        `tensor of shape ${fmtShape(t.shape)})`,
    );
  }
  const rest = t.shape.map((_, k) => k).filter((k) => k !== a1 && k !== a2);
  const moved = transpose(t, [...rest, a1, a2]);
  const [m, n] = moved.shape.slice(-2);
  return bind(takeDiagPrim, [moved], { m, n, k: offset });
}

/**
 * NumPy's `diag`: for a vector `v`, the square matrix with `v` on diagonal `k` (size
 * `len(v) + |k|`); for a matrix, its diagonal `k` as a vector.
 *
 * @example Both directions, and the derivative of each
 * ```ts
 * import { diag, grad, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(diag(tensor([1, 2])).toArray(), [[1, 0], [0, 2]]);
 * assertEquals(diag(tensor([1, 2]), 1).toArray(), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
 * assertEquals(diag(tensor([[1, 2], [3, 4]])).toArray(), [1, 4]);
 * assertEquals(grad((M) => sum(diag(M)), tensor([[1, 2], [3, 4]])).toArray(), [[1, 0], [0, 1]]);
 * ```
 */
export function diag(v: Operand, k = 0): Tensor {
  const t = asTensor("diag", v);
  checkOffset("diag", k);
  if (t.rank === 1) {
    const N = t.shape[0] + Math.abs(k);
    return bind(putDiagPrim, [t], { m: N, n: N, k });
  }
  if (t.rank === 2) return diagonal(t, k);
  throw new ShapeError(
    `diag: expected a vector or a matrix, got shape ${fmtShape(t.shape)}; use ` +
      `diagonal(x, offset, axis1, axis2) for the diagonals of a stack of matrices`,
  );
}
