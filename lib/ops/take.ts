import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { type NestedArray, raw, Tensor } from "../tensor.ts";
import { normalizeAxes } from "./shape.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

interface TakeParams {
  axis: number;
  /** The indices, flattened and made non-negative. */
  idx: readonly number[];
  idxShape: readonly number[];
  /** The shape of the tensor taken from (the shape scatterAdd writes into). */
  inShape: readonly number[];
}

/** Sizes of the axes before `axis`, of `axis` itself, and after it. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  const prod = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  return [prod(shape.slice(0, axis)), shape[axis], prod(shape.slice(axis + 1))];
}

const takePrim: Primitive<TakeParams> = {
  name: "take",
  forward: ([a], { axis, idx, idxShape }) => {
    const [outer, n, inner] = split(a.shape, axis);
    const A = raw(a), K = idx.length;
    const shape = [...a.shape.slice(0, axis), ...idxShape, ...a.shape.slice(axis + 1)];
    const out = allocate("take", shape);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < K; k++) {
        const s = (o * n + idx[k]) * inner;
        out.set(A.subarray(s, s + inner), (o * K + k) * inner);
      }
    }
    return new Tensor(out, shape);
  },
  // Gathering is linear: its adjoint adds each cotangent slice back where it was read from
  // (repeated indices accumulate), and its tangent is the same gather of the input's tangent.
  vjp: (g, _a, _out, p) => [bind(scatterAddPrim, [g], p)],
  jvp: ([da], _a, _out, p) => bind(takePrim, [da], p),
};

const scatterAddPrim: Primitive<TakeParams> = {
  name: "scatterAdd",
  forward: ([g], { axis, idx, inShape }) => {
    const [outer, n, inner] = split(inShape, axis);
    const G = raw(g), K = idx.length;
    const out = allocate("take", inShape);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < K; k++) {
        const d = (o * n + idx[k]) * inner, s = (o * K + k) * inner;
        for (let i = 0; i < inner; i++) out[d + i] += G[s + i];
      }
    }
    return new Tensor(out, [...inShape]);
  },
  vjp: (g, _in, _out, p) => [bind(takePrim, [g], p)],
  jvp: ([dg], _in, _out, p) => bind(scatterAddPrim, [dg], p),
};

/**
 * The entries of `x` at `indices` along `axis`, like `numpy.take`: the result has shape
 * `[...x.shape[:axis], ...indices.shape, ...x.shape[axis+1:]]`, so one integer index drops the
 * axis and an array of them keeps it (in the order given, repeats allowed). Negative indices
 * count from the end. Without `axis`, `x` is flattened first (row-major), as in NumPy.
 * Differentiable in `x`: the gradient adds each cotangent back where its entry was read from.
 * `indices` may be a number, nested arrays of numbers, or a tensor of integers (for example the
 * output of {@linkcode argmax}); they are data, never differentiated.
 *
 * @example Rows, columns, and the flattened tensor
 * ```ts
 * import { take, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(take(A, [2, 0], 1).toArray(), [[3, 1], [6, 4]]);
 * console.log(take(A, [2, 0], 1));
 * // Tensor([[3, 1],
 * //         [6, 4]], shape=[2, 2])
 * assertEquals(take(A, -1, 0).toArray(), [4, 5, 6]); // one index drops the axis
 * assertEquals(take(A, [[0, 5], [1, 1]]).toArray(), [[1, 6], [2, 2]]); // flattened
 * ```
 */
export function take(
  x: Operand,
  indices: number | NestedArray | Tensor,
  axis?: number,
): Tensor {
  const op = "take";
  let t = asTensor(op, x, "x");
  const given = t.shape;
  let ax: number;
  if (axis === undefined) {
    t = reshape(t, [-1]);
    ax = 0;
  } else {
    [ax] = normalizeAxes(op, axis, t.shape);
  }
  const { idx, shape: idxShape } = readIndices(op, indices);
  const n = t.shape[ax];
  const norm = idx.map((i, k) => {
    if (!Number.isInteger(i)) {
      throw new ValueError(
        `${op}: index ${i} (position ${k}) is not an integer; indices must be whole numbers`,
      );
    }
    if (i < -n || i >= n) {
      const where = axis === undefined
        ? `the flattened tensor of size ${n} (shape ${fmtShape(given)}, no axis given)`
        : `axis ${axis} with size ${n} (tensor of shape ${fmtShape(given)})`;
      throw new ShapeError(
        `${op}: index ${i} is out of bounds for ${where}; ` +
          (n === 0 ? `the axis is empty` : `use an index in [${-n}, ${n - 1}]`),
      );
    }
    return i < 0 ? i + n : i;
  });
  return bind(takePrim, [t], { axis: ax, idx: norm, idxShape, inShape: [...t.shape] });
}

/** Flattens the indices and returns their shape, whatever form they came in. */
function readIndices(op: string, v: unknown): { idx: number[]; shape: number[] } {
  if (typeof v === "number") return { idx: [v], shape: [] };
  if (v instanceof Tensor) return { idx: Array.from(raw(v)), shape: [...v.shape] };
  if (!Array.isArray(v)) {
    throw new ValueError(
      `${op}: indices must be an integer, nested arrays of integers or a tensor, got ` +
        `${describeValue(v)}`,
    );
  }
  const shape: number[] = [];
  for (let a: unknown = v; Array.isArray(a); a = a[0]) shape.push(a.length);
  const idx: number[] = [];
  const walk = (a: unknown, depth: number) => {
    if (depth === shape.length) {
      if (typeof a !== "number") {
        throw new ValueError(`${op}: indices must be numbers, got ${describeValue(a)}`);
      }
      return void idx.push(a);
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) {
      throw new ShapeError(
        `${op}: indices are ragged: expected ${shape[depth]} entries at depth ${depth}, got ` +
          `${describeValue(a)}`,
      );
    }
    for (const b of a) walk(b, depth + 1);
  };
  walk(v, 0);
  return { idx, shape };
}
