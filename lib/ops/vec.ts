import { allocate } from "../alloc.ts";
import { checkOptions, fmtJson, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { checkShape, Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";

/** Options of {@linkcode vec} and {@linkcode unvec}. */
export interface VecOptions {
  /**
   * `"F"` (the default, as in the matrix-calculus literature) stacks columns: the first index
   * varies fastest. `"C"` stacks rows (row-major, like `reshape(a, [-1])`).
   */
  order?: "F" | "C";
}

function orderOf(op: string, opts: VecOptions): "F" | "C" {
  const order = opts.order ?? "F";
  if (order !== "F" && order !== "C") {
    throw new ValueError(
      `${op}: order must be "F" (stack columns) or "C" (stack rows), got ${fmtJson(order)}`,
    );
  }
  return order;
}

/**
 * Flattens `a` into a vector: by default column by column (`order: "F"`), so that
 * `vec(A X B) = (Bᵀ ⊗ A) vec(X)`; with `order: "C"` row by row, where the twin identity is
 * `vecC(A X B) = (A ⊗ Bᵀ) vecC(X)`. For higher ranks `"F"` makes the first index vary fastest.
 *
 * @example
 * ```ts
 * import { tensor, vec } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * assertEquals(vec(A).toArray(), [1, 3, 2, 4]);
 * console.log(vec(A));
 * // Tensor([1, 3, 2, 4], shape=[4])
 * assertEquals(vec(A, { order: "C" }).toArray(), [1, 2, 3, 4]);
 * ```
 */
export function vec(a: Operand, opts: VecOptions = {}): Tensor {
  checkOptions("vec", opts, ["order"]);
  const t = asTensor("vec", a);
  const order = orderOf("vec", opts);
  if (order === "C" || t.rank <= 1) return reshape(t, [t.size]);
  return reshape(transpose(t), [t.size]);
}

/**
 * The inverse of {@linkcode vec}: refills a vector of `shape`'s size into `shape`, column by
 * column by default (`order: "F"`) or row by row (`"C"`). A column `[n, 1]` or row `[1, n]` is
 * accepted as a vector.
 *
 * @example Round trip
 * ```ts
 * import { tensor, unvec, vec } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(unvec(tensor([1, 3, 2, 4]), [2, 2]).toArray(), [[1, 2], [3, 4]]);
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(unvec(vec(A), A.shape).toArray(), A.toArray());
 * ```
 */
export function unvec(v: Operand, shape: readonly number[], opts: VecOptions = {}): Tensor {
  checkOptions("unvec", opts, ["order"]);
  const t = asTensor("unvec", v);
  const order = orderOf("unvec", opts);
  const size = checkShape("unvec", shape);
  const isVector = t.rank === 1 || (t.rank === 2 && (t.shape[0] === 1 || t.shape[1] === 1));
  if (!isVector) {
    throw new ShapeError(
      `unvec: cannot unstack a tensor of shape ${fmtShape(t.shape)} into ${fmtShape(shape)}: ` +
        `expected a vector (rank 1, or a [n, 1] column); apply vec first`,
    );
  }
  if (t.size !== size) {
    throw new ShapeError(
      `unvec: cannot unstack a vector of shape ${fmtShape(t.shape)} into ${fmtShape(shape)}: ` +
        `it has ${t.size} elements but the shape holds ${size}`,
    );
  }
  if (order === "C" || shape.length <= 1) return reshape(t, shape);
  return transpose(reshape(t, [...shape].reverse()));
}

/**
 * The commutation matrix `K` of shape `[m·n, m·n]`: the permutation with
 * `K vec(A) = vec(Aᵀ)` for every `A` of shape `[m, n]` (column-stacking {@linkcode vec}). It
 * turns up when differentiating through a transpose, and in swapping Kronecker factors:
 * `commutation(p, m) · (A ⊗ B) · commutation(n, q) = B ⊗ A` for `A: [m, n]`, `B: [p, q]`
 * (for square factors of one size, `K (A ⊗ B) Kᵀ = B ⊗ A`).
 *
 * @example
 * ```ts
 * import { commutation, kron, matmul, tensor, transpose, vec } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * const K = commutation(2, 3);
 * assertEquals(K.shape, [6, 6]);
 * assertEquals(matmul(K, vec(A)).toArray(), vec(transpose(A)).toArray());
 *
 * const B = tensor([[1, 0], [2, 1], [0, 3], [1, 1]]); // [4, 2]
 * assertEquals(matmul(matmul(commutation(4, 2), kron(A, B)), commutation(3, 2)).toArray(), kron(B, A).toArray());
 * ```
 */
export function commutation(m: number, n: number): Tensor {
  for (const [name, d] of [["m", m], ["n", n]] as const) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ValueError(
        `commutation: ${name} must be a non-negative integer (a matrix dimension), got ${
          String(d)
        }`,
      );
    }
  }
  const mn = m * n;
  checkShape("commutation", [mn, mn]);
  const K = allocate("commutation", [mn, mn]);
  // vec(A)[i + j·m] = A[i, j] = vec(Aᵀ)[j + i·n].
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) K[(j + i * n) * mn + (i + j * m)] = 1;
  }
  return new Tensor(K, [mn, mn]);
}
