import { fmtShape, fmtValue, ShapeError, ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { where } from "./where.ts";
import { asTensor, type Operand } from "./operand.ts";

/** A constant `[m, n]` 0/1 mask: 1 where `j − i ≤ k` (lower) or `j − i ≥ k` (upper). */
function triMask(m: number, n: number, k: number, lower: boolean): Tensor {
  const d = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) d[i * n + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  return new Tensor(d, [m, n]);
}

function tri(op: "tril" | "triu", x: Operand, k: number): Tensor {
  const t = asTensor(op, x);
  if (t.rank < 2) {
    throw new ShapeError(
      `${op}: cannot take a triangle of a tensor of shape ${fmtShape(t.shape)}: it needs a ` +
        `matrix or a stack of matrices (rank ≥ 2); build a matrix first, e.g. diag(v)`,
    );
  }
  if (!Number.isInteger(k)) {
    throw new ValueError(`${op}: diagonal offset k must be an integer, got ${fmtValue(k)}`);
  }
  const [m, n] = t.shape.slice(-2);
  // Selecting with `where` (not multiplying by the mask) keeps an Infinity above the diagonal
  // from turning into NaN, and makes the derivative the same selection: a linear op, no rule.
  return where(triMask(m, n, k, op === "tril"), t, 0);
}

/**
 * The lower triangle of a matrix (of each matrix in a stack `[..., m, n]`), zeros above
 * diagonal `k`, like `numpy.tril`: entries with `j − i ≤ k` are kept (`k = −1` drops the
 * diagonal, `k = 1` keeps the first superdiagonal).
 *
 * @example
 * ```ts
 * import { tensor, tril } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
 * assertEquals(tril(A).toArray(), [[1, 0, 0], [4, 5, 0], [7, 8, 9]]);
 * assertEquals(tril(A, -1).toArray(), [[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
 * ```
 */
export function tril(x: Operand, k = 0): Tensor {
  return tri("tril", x, k);
}

/**
 * The upper triangle of a matrix (of each matrix in a stack `[..., m, n]`), zeros below
 * diagonal `k`, like `numpy.triu`: entries with `j − i ≥ k` are kept.
 *
 * @example
 * ```ts
 * import { tensor, triu } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(triu(A).toArray(), [[1, 2, 3], [0, 5, 6]]);
 * assertEquals(triu(A, 1).toArray(), [[0, 2, 3], [0, 0, 6]]);
 * ```
 */
export function triu(x: Operand, k = 0): Tensor {
  return tri("triu", x, k);
}
