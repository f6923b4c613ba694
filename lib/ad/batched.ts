/**
 * @internal Reverse mode for a batch of cotangents at once, as JAX's `vmap` of a `vjp`: the
 * cotangents are stacked on a new leading axis of length `K` and every rule maps the whole
 * stack in one pass, so a dense Jacobian costs a few large products instead of one backward
 * sweep per output entry (for `W ↦ W x`, one `[m·m, 1] × [1, n]` product).
 *
 * Only primitives whose batched rule is known are swept this way; a trace with any other
 * primitive returns `null` and the caller sweeps row by row. Elementwise rules need no change
 * (a leading axis broadcasts through them); shape-moving rules (reshape, sum, transpose,
 * broadcast, matmul and stacked matmul, slice, pad, concat, max, min), logSoftmax and
 * crossEntropy have their own below. Still swept row by row: take, scatterAdd, cumsum,
 * diagonal, kron and the linear algebra ops.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { broadcastTo, sumTo } from "../ops/sum.ts";
import { matmul, matmulT } from "../ops/matmul.ts";
import { tieMask } from "../ops/max.ts";
import { pad, slice } from "../ops/slice.ts";
import { where } from "../ops/where.ts";
import { mul } from "../ops/mul.ts";
import { div } from "../ops/div.ts";
import { sub } from "../ops/sub.ts";
import { sum } from "../ops/sum.ts";
import { neg } from "../ops/neg.ts";
import { dLogits } from "../nn/cross_entropy.ts";
import { logSoftmax, softmax } from "../nn/softmax.ts";
import { orderOf, reverseSweep, type Trace } from "./engine.ts";
import type { Primitive } from "./node.ts";

/** A batched VJP: `G` is `[K, ...out.shape]`; each cotangent is `[K, ...]` or null. */
type BatchedVjp = (
  G: Tensor,
  inputs: readonly Tensor[],
  out: Tensor,
  params: unknown,
  // deno-lint-ignore no-explicit-any
  prim: Primitive<any>,
) => (Tensor | null)[];

/** Rules that are elementwise in `g` (products and quotients with broadcast operands). */
const same: BatchedVjp = (G, inputs, out, params, prim) => prim.vjp(G, inputs, out, params);
const ELEMENTWISE = [
  "input",
  "add",
  "sub",
  "mul",
  "div",
  "neg",
  "exp",
  "log",
  "tanh",
  "sqrt",
  "abs",
  "sign",
  "relu",
  "step",
  "sigmoid",
  // The other ops made by unaryPrim (lib/ops/unary.ts): the same rule, g times a slope.
  "sin",
  "cos",
  "tan",
  "arctan",
  "sinh",
  "cosh",
  "log1p",
  "expm1",
  "softplus",
  // Binary and masking rules, also elementwise in g: the condition, the mask or the weights
  // broadcast against the leading axis.
  "where",
  "pow",
  "clip",
  "maximum",
  "minimum",
  "arctan2",
];

const RULES = new Map<string, BatchedVjp>([
  ...ELEMENTWISE.map((n) => [n, same] as [string, BatchedVjp]),
  ["reshape", (G, [a]) => [reshape(G, [G.shape[0], ...a.shape])]],
  ["transpose", (G, _a, _o, perm) => {
    const p = perm as number[], inv = new Array<number>(p.length);
    p.forEach((q, k) => (inv[q] = k + 1));
    return [transpose(G, [0, ...inv])];
  }],
  ["sum", (G, [a], _o, params) => {
    const { axes } = params as { axes: number[] };
    const kept = a.shape.map((d, k) => (axes.includes(k) ? 1 : d));
    return [broadcastTo(reshape(G, [G.shape[0], ...kept]), [G.shape[0], ...a.shape])];
  }],
  ["broadcastTo", (G, [a]) => [toBatchedShape(G, a.shape)]],
  ["matmul", matmulBatched],
  // Slicing, padding and joining move boxes: the same boxes, one axis further in.
  ["slice", (G, [a], _o, params) => {
    const { starts } = params as { starts: number[] };
    return [pad(G, [0, ...starts], [G.shape[0], ...a.shape])];
  }],
  ["pad", (G, [a], _o, params) => {
    const { starts } = params as { starts: number[] };
    return [box(G, starts, a.shape)];
  }],
  ["concat", (G, ts, _o, axis) => {
    let at = 0;
    return ts.map((t) => {
      const starts = t.shape.map((_, k) => (k === axis ? at : 0));
      at += t.shape[axis as number];
      return box(G, starts, t.shape);
    });
  }],
  ["max", extremumBatched],
  ["min", extremumBatched],
  ["crossEntropy", (G, [z, t]) => {
    // The loss is a scalar: cotangent k scales the one unbatched rule, g (p Σt − t) / R.
    const R = z.size / z.shape[z.rank - 1];
    const gR = reshape(div(G, R), [G.shape[0], ...z.shape.map(() => 1)]);
    return [
      z._node === undefined ? null : mul(gR, dLogits(z, t)),
      t._node === undefined ? null : mul(neg(gR), logSoftmax(z, -1)),
    ];
  }],
  ["logSoftmax", (G, [x], _o, axis) => {
    // d log softmax: g − softmax(x) · Σ g over the axis, for every cotangent of the stack.
    const p = softmax(x, axis as number);
    return [sub(G, mul(sum(G, [(axis as number) + 1], { keepdims: true }), p))];
  }],
]);

/** The box of `shape` at `starts` of every cotangent in the stack `G`. */
function box(G: Tensor, starts: readonly number[], shape: readonly number[]): Tensor {
  return slice(G, [0, ...starts], [G.shape[0], ...starts.map((s, k) => s + shape[k])]);
}

/**
 * `max`/`min` over `axes`: each cotangent goes to the entries that attain the extremum, shared
 * equally among ties, as the unbatched rule does (its mask is built from `a` and `out` alone).
 */
function extremumBatched(G: Tensor, [a]: readonly Tensor[], out: Tensor, params: unknown) {
  const { axes } = params as { axes: number[] };
  const kept = a.shape.map((d, k) => (axes.includes(k) ? 1 : d));
  const w = tieMask(a, out, axes);
  const spread = broadcastTo(reshape(G, [G.shape[0], ...kept]), [G.shape[0], ...a.shape]);
  return [where(w, mul(spread, w), 0)];
}

/**
 * `C = op(A) op(B)` for matrices, with `G = [K, m, n]`: `dop(A)_i = G_i op(B)ᵀ` for all `i` is
 * one product with the batch folded into the rows, and `dop(B)_i = op(A)ᵀ G_i` one product with
 * the batch laid along the columns.
 */
function matmulBatched(G: Tensor, [a, b]: readonly Tensor[], _o: Tensor, params: unknown) {
  const [ta, tb] = params as [boolean, boolean];
  if (a.rank > 2) return stackedMatmulBatched(G, a, b, ta, tb);
  const K = G.shape[0], m = G.shape[1], n = G.shape[2];
  let da: Tensor | null = null, db: Tensor | null = null;
  if (a._node !== undefined) {
    const k = tb ? b.shape[1] : b.shape[0];
    da = reshape(matmulT(reshape(G, [K * m, n]), b, false, !tb), [K, m, k]);
    if (ta) da = transpose(da, [0, 2, 1]);
  }
  if (b._node !== undefined) {
    const k = ta ? a.shape[0] : a.shape[1];
    // [K, m, n] → [m, K·n]: free when m = 1 (a row vector on the left).
    const Gm = m === 1 ? reshape(G, [1, K * n]) : reshape(transpose(G, [1, 0, 2]), [m, K * n]);
    db = transpose(reshape(matmulT(a, Gm, !ta, false), [k, K, n]), [1, 0, 2]);
    if (tb) db = transpose(db, [0, 2, 1]);
  }
  return [da, db];
}

/** Swaps the last two axes. */
function mT(t: Tensor): Tensor {
  const p = t.shape.map((_, k) => k);
  [p[t.rank - 2], p[t.rank - 1]] = [p[t.rank - 1], p[t.rank - 2]];
  return transpose(t, p);
}

/**
 * Stacks of products (`a`, `b`: `[...batch, ·, ·]`, the same batch), with `G = [K, ...batch, m,
 * n]`: `matmul` broadcasts the operands over the cotangents' leading axis, so each rule is one
 * stacked product.
 */
function stackedMatmulBatched(G: Tensor, a: Tensor, b: Tensor, ta: boolean, tb: boolean) {
  const opA = ta ? mT(a) : a, opB = tb ? mT(b) : b;
  let da: Tensor | null = null, db: Tensor | null = null;
  if (a._node !== undefined) {
    da = matmul(G, mT(opB));
    if (ta) da = mT(da);
  }
  if (b._node !== undefined) {
    db = matmul(mT(opA), G);
    if (tb) db = mT(db);
  }
  return [da, db];
}

/** Sums a batched cotangent `[K, ...view]` down to `[K, ...shape]` (undoing a broadcast). */
function toBatchedShape(c: Tensor, shape: readonly number[]): Tensor {
  const K = c.shape[0], view = c.rank - 1;
  if (view === shape.length && c.shape.every((d, i) => i === 0 || d === shape[i - 1])) return c;
  const padded = [K, ...new Array(view - shape.length).fill(1), ...shape];
  return reshape(sumTo(c, padded), [K, ...shape]);
}

/** Whether every primitive of `tr` has a batched rule (then {@link backwardBatch} applies). */
export function batchable(tr: Trace): boolean {
  if (tr.nested) return false;
  for (const t of orderOf(tr)) {
    const prim = t._node!.prim;
    if (!RULES.has(prim.name)) return false;
  }
  return true;
}

/**
 * The cotangents `[K, ...v.shape]` of `tr.vars` for the stacked output cotangents
 * `G = [K, ...tr.out.shape]` (null where the output does not depend on a variable). Only for a
 * trace that is {@link batchable}.
 */
export function backwardBatch(tr: Trace, G: Tensor): (Tensor | null)[] {
  return reverseSweep(
    tr,
    G,
    (node, gt, t) => RULES.get(node.prim.name)!(gt, node.inputs, t, node.params, node.prim),
    // A rule that ignores g (a flat op's zeros) returns no batch axis: it adds nothing.
    (c, x) => (c.rank <= x.rank ? null : toBatchedShape(c, x.shape)),
  );
}
