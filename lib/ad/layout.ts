/**
 * Named layouts for the derivative of a scalar `L` with respect to a tensor `W`. The same
 * numbers, arranged differently; every matcalc transform returns the **gradient layout**.
 *
 * | layout          | `W: [m, n]` gives | entry                          | `x: [n]` gives |
 * |-----------------|-------------------|--------------------------------|----------------|
 * | `"gradient"`    | `[m, n]`          | `(i, j) = ∂L/∂W_ij`            | `[n]`          |
 * | `"numerator"`   | `[n, m]`          | `(i, j) = ∂L/∂W_ji` (transpose) | `[1, n]` (row) |
 * | `"denominator"` | `[m, n]`          | `(i, j) = ∂L/∂W_ij`            | `[n, 1]` (col) |
 * | `"vec"`         | `[1, m·n]`        | `(0, k) = ∂L/∂vec(W)_k`         | `[1, n]`       |
 *
 * `vec` stacks columns (column-major, "F"), so the `"vec"` row times the vec-form Jacobian
 * `[m·n, …]` of the next map is the chain rule in matrix form; the numerator layout is the
 * convention of many matrix-calculus texts (`n×m`, entry `(i, j) = ∂L/∂W_ji`).
 */
import { checkOptions, fmtJson, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { checkShape, type Tensor } from "../tensor.ts";
import { asTensor } from "../ops/operand.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { unvec, vec } from "../ops/vec.ts";
import { sizeOf } from "../ops/shape.ts";

/** A name for an arrangement of `∂L/∂W`; see {@linkcode toLayout}. */
export type Layout = "gradient" | "numerator" | "denominator" | "vec";

const LAYOUTS: readonly Layout[] = ["gradient", "numerator", "denominator", "vec"];

function checkLayout(op: string, layout: unknown): asserts layout is Layout {
  if (!LAYOUTS.includes(layout as Layout)) {
    throw new ValueError(
      `${op}: unknown layout ${fmtJson(layout)}; use one of ` +
        LAYOUTS.map((l) => `"${l}"`).join(", "),
    );
  }
}

/**
 * Rearranges a gradient `g` (gradient layout, the shape of `W`, as {@linkcode grad} returns)
 * into another layout. `"numerator"` and `"denominator"` need `W` of rank ≤ 2; `"vec"` works for
 * any rank (`vec` stacks columns, as in matrix-calculus texts).
 *
 * | layout          | `W: [m, n]` gives | entry                           | `x: [n]` gives |
 * |-----------------|-------------------|---------------------------------|----------------|
 * | `"gradient"`    | `[m, n]`          | `(i, j) = ∂L/∂W_ij`             | `[n]`          |
 * | `"numerator"`   | `[n, m]`          | `(i, j) = ∂L/∂W_ji` (transpose) | `[1, n]` (row) |
 * | `"denominator"` | `[m, n]`          | `(i, j) = ∂L/∂W_ij`             | `[n, 1]` (col) |
 * | `"vec"`         | `[1, m·n]`        | `(0, k) = ∂L/∂vec(W)_k`         | `[1, n]`       |
 *
 * @example The same numbers in the other three layouts
 * ```ts
 * import { toLayout, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const g = tensor([[1, 2, 3], [4, 5, 6]]); // ∂L/∂W for W: [2, 3]
 * assertEquals(toLayout(g, "numerator").toArray(), [[1, 4], [2, 5], [3, 6]]);
 * assertEquals(toLayout(g, "denominator").toArray(), g.toArray());
 * assertEquals(toLayout(g, "vec").toArray(), [[1, 4, 2, 5, 3, 6]]);
 * ```
 */
export function toLayout(g: Tensor, layout: Layout): Tensor {
  const t = asTensor("toLayout", g, "g");
  checkLayout("toLayout", layout);
  switch (layout) {
    case "gradient":
      return t;
    case "vec":
      return reshape(vec(t), [1, t.size]);
    case "numerator":
    case "denominator":
      if (t.rank > 2) throw rankError("toLayout", layout, t.shape);
      if (t.rank === 2) return layout === "numerator" ? transpose(t, [1, 0]) : t;
      return reshape(t, layout === "numerator" ? [1, t.size] : [t.size, 1]);
  }
}

/**
 * The inverse of {@linkcode toLayout}: turns a derivative in `layout` back into the gradient
 * layout, the shape of `W` given as `shape`.
 *
 * @example Round trip
 * ```ts
 * import { fromLayout, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const numerator = tensor([[1, 4], [2, 5], [3, 6]]);
 * assertEquals(fromLayout(numerator, "numerator", [2, 3]).toArray(), [[1, 2, 3], [4, 5, 6]]);
 * assertEquals(fromLayout(tensor([[1, 4, 2, 5, 3, 6]]), "vec", [2, 3]).toArray(), [[1, 2, 3], [4, 5, 6]]);
 * ```
 */
export function fromLayout(t: Tensor, layout: Layout, shape: readonly number[]): Tensor {
  const d = asTensor("fromLayout", t, "t");
  checkLayout("fromLayout", layout);
  const size = checkShape("fromLayout", shape);
  if (d.size !== size) {
    throw new ShapeError(
      `fromLayout: cannot read ${fmtShape(d.shape)} in ${layout} layout as a gradient of shape ` +
        `${fmtShape(shape)}: they hold ${d.size} and ${size} numbers`,
    );
  }
  switch (layout) {
    case "gradient":
      return reshape(d, shape);
    case "vec":
      return unvec(reshape(d, [size]), shape);
    case "numerator":
    case "denominator":
      if (shape.length > 2) throw rankError("fromLayout", layout, shape);
      if (shape.length === 2 && layout === "numerator") {
        return transpose(reshape(d, [shape[1], shape[0]]), [1, 0]);
      }
      return reshape(d, shape);
  }
}

/**
 * A dense Jacobian `J` (shape `[...out, ...in]`, as {@linkcode jacobian} returns) as a matrix
 * `[outSize, inSize]`. Order `"F"` (default) flattens both sides column-major, the textbook vec
 * form: for `X ↦ A X B` it is `kron(transpose(B), A)`. Order `"C"` flattens row-major (a plain
 * reshape): `kron(A, transpose(B))`. `outRank` says how many leading axes belong to the output.
 *
 * @example `W ↦ W x` in vec form is `xᵀ ⊗ I`
 * ```ts
 * import { jacobian, matmul, tensor, toVecMatrix, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2]);
 * const J = jacobian((W) => matmul(W, x), zeros([2, 2]));
 * assertEquals(toVecMatrix(J, 1).toArray(), [[1, 0, 2, 0], [0, 1, 0, 2]]);
 * assertEquals(toVecMatrix(J, 1, { order: "C" }).toArray(), [[1, 2, 0, 0], [0, 0, 1, 2]]);
 * ```
 */
export function toVecMatrix(
  J: Tensor,
  outRank: number,
  opts: { order?: "F" | "C" } = {},
): Tensor {
  checkOptions("toVecMatrix", opts, ["order"]);
  const t = asTensor("toVecMatrix", J, "J");
  if (!Number.isInteger(outRank) || outRank < 0 || outRank > t.rank) {
    throw new ShapeError(
      `toVecMatrix: outRank must be an integer in [0, ${t.rank}] for a Jacobian of shape ` +
        `${fmtShape(t.shape)}, got ${outRank}; it is the rank of f(x)`,
    );
  }
  const order = opts.order ?? "F";
  if (order !== "F" && order !== "C") {
    throw new ValueError(`toVecMatrix: order must be "F" or "C", got ${fmtJson(order)}`);
  }
  const outSize = sizeOf(t.shape.slice(0, outRank));
  const inSize = sizeOf(t.shape.slice(outRank));
  if (order === "C") return reshape(t, [outSize, inSize]);
  const perm = [
    ...t.shape.slice(0, outRank).map((_, k) => outRank - 1 - k),
    ...t.shape.slice(outRank).map((_, k) => t.rank - 1 - k),
  ];
  return reshape(transpose(t, perm), [outSize, inSize]);
}

function rankError(op: string, layout: Layout, shape: readonly number[]): ShapeError {
  return new ShapeError(
    `${op}: the ${layout} layout is defined for scalars, vectors and matrices, got shape ` +
      `${fmtShape(shape)}; use "gradient" or "vec" for higher ranks`,
  );
}
