import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import {
  checkOptions,
  describeValue,
  fmtJson,
  fmtShape,
  fmtValue,
  ShapeError,
  ValueError,
} from "../errors.ts";
import { raw, stridesOf, Tensor } from "../tensor.ts";
import { normalizeAxes, sizeOf } from "./shape.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

/**
 * @internal Copies a box of shape `box` from `src` (starting at `srcAt`) into `dst` (starting at
 * `dstAt`); the innermost axis is copied as one contiguous run.
 */
export function copyBox(
  src: Float64Array,
  srcShape: readonly number[],
  srcAt: readonly number[],
  dst: Float64Array,
  dstShape: readonly number[],
  dstAt: readonly number[],
  box: readonly number[],
): void {
  const r = box.length;
  if (box.some((d) => d === 0)) return;
  if (r === 0) {
    dst[0] = src[0];
    return;
  }
  const ss = stridesOf(srcShape), ds = stridesOf(dstShape);
  const run = box[r - 1];
  const rows = sizeOf(box.slice(0, r - 1));
  const counter = new Array(r - 1).fill(0);
  for (let row = 0; row < rows; row++) {
    let s = srcAt[r - 1], d = dstAt[r - 1];
    for (let k = 0; k < r - 1; k++) {
      s += (srcAt[k] + counter[k]) * ss[k];
      d += (dstAt[k] + counter[k]) * ds[k];
    }
    dst.set(src.subarray(s, s + run), d);
    for (let k = r - 2; k >= 0; k--) {
      if (++counter[k] < box[k]) break;
      counter[k] = 0;
    }
  }
}

interface BoxParams {
  starts: number[];
  /** The shape of the box (slice) or of the padded result (pad). */
  shape: number[];
}

const slicePrim: Primitive<BoxParams> = {
  name: "slice",
  forward: ([a], { starts, shape }) => {
    const out = allocate("slice", shape);
    copyBox(raw(a), a.shape, starts, out, shape, shape.map(() => 0), shape);
    return new Tensor(out, shape);
  },
  // The adjoint of cutting a box out is putting the cotangent back into a zero tensor.
  vjp: (g, [a], _out, { starts }) => [pad(g, starts, a.shape)],
  jvp: ([da], _a, _out, params) => bind(slicePrim, [da], params),
};

const padPrim: Primitive<BoxParams> = {
  name: "pad",
  forward: ([a], { starts, shape }) => {
    const out = allocate("pad", shape);
    copyBox(raw(a), a.shape, a.shape.map(() => 0), out, shape, starts, a.shape);
    return new Tensor(out, shape);
  },
  vjp: (g, [a], _out, { starts }) => [bind(slicePrim, [g], { starts, shape: [...a.shape] })],
  jvp: ([da], _a, _out, params) => bind(padPrim, [da], params),
};

/** @internal Places `a` at `starts` inside zeros of `shape` (the adjoint of slicing). */
export function pad(a: Tensor, starts: readonly number[], shape: readonly number[]): Tensor {
  return bind(padPrim, [a], { starts: [...starts], shape: [...shape] });
}

/**
 * The sub-tensor `a[starts[0]:ends[0], starts[1]:ends[1], …]` (a copy), like NumPy basic slicing
 * with step 1. Negative bounds count from the end and out-of-range bounds are clipped, as in
 * Python; omitted trailing axes are taken whole. Pass `axis` to slice a single axis:
 * `slice(a, 1, 3, { axis: 1 })` is `a[:, 1:3]`.
 *
 * @example Rows, columns and blocks
 * ```ts
 * import { slice, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
 * assertEquals(slice(A, [1], [3]).toArray(), [[4, 5, 6], [7, 8, 9]]);
 * assertEquals(slice(A, [0, 1], [2, 3]).toArray(), [[2, 3], [5, 6]]);
 * assertEquals(slice(A, -1, 3, { axis: 1 }).toArray(), [[3], [6], [9]]);
 * ```
 */
export function slice(
  a: Operand,
  starts: number | readonly number[],
  ends: number | readonly number[],
  opts: { axis?: number } = {},
): Tensor {
  checkOptions("slice", opts, ["axis"]);
  const t = asTensor("slice", a);
  let s: number[], e: number[];
  if (opts.axis !== undefined) {
    if (typeof starts !== "number" || typeof ends !== "number") {
      throw new ValueError(
        `slice: with { axis } give one start and one end as numbers, got ` +
          `${fmtJson(starts)} and ${fmtJson(ends)}`,
      );
    }
    const [ax] = normalizeAxes("slice", opts.axis, t.shape);
    s = t.shape.map((_, k) => (k === ax ? starts : 0));
    e = t.shape.map((d, k) => (k === ax ? ends : d));
  } else {
    for (const [name, v] of [["starts", starts], ["ends", ends]] as const) {
      if (typeof v !== "number" && !Array.isArray(v)) {
        throw new ValueError(
          `slice: ${name} must be a number or an array of numbers (one per axis), got ` +
            `${describeValue(v)}`,
        );
      }
    }
    s = typeof starts === "number" ? [starts] : [...starts];
    e = typeof ends === "number" ? [ends] : [...ends];
  }
  if (s.length !== e.length || s.length > t.rank) {
    throw new ShapeError(
      `slice: cannot slice a tensor of shape ${fmtShape(t.shape)} with starts ${fmtShape(s)} ` +
        `and ends ${fmtShape(e)}: give one start and one end per axis (at most ${t.rank})`,
    );
  }
  const lo: number[] = [], box: number[] = [];
  for (let k = 0; k < t.rank; k++) {
    const n = t.shape[k];
    if (k >= s.length) {
      lo.push(0);
      box.push(n);
      continue;
    }
    for (const [name, v] of [["start", s[k]], ["end", e[k]]] as const) {
      if (!Number.isInteger(v)) {
        throw new ValueError(
          `slice: ${name} ${fmtValue(v)} on axis ${k} of a tensor of shape ${
            fmtShape(t.shape)
          } is not ` +
            `an integer`,
        );
      }
    }
    // Python's rules: negative counts from the end, then clip into [0, n].
    const clip = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
    const a0 = clip(s[k]), a1 = clip(e[k]);
    lo.push(a0);
    box.push(Math.max(0, a1 - a0));
  }
  return bind(slicePrim, [t], { starts: lo, shape: box });
}

const concatPrim: Primitive<number> = {
  name: "concat",
  forward: (ts, axis) => {
    const shape = [...ts[0].shape];
    shape[axis] = ts.reduce((p, t) => p + t.shape[axis], 0);
    const out = allocate("concat", shape);
    let at = 0;
    for (const t of ts) {
      const dstAt = shape.map((_, k) => (k === axis ? at : 0));
      copyBox(raw(t), t.shape, t.shape.map(() => 0), out, shape, dstAt, t.shape);
      at += t.shape[axis];
    }
    return new Tensor(out, shape);
  },
  vjp: (g, ts, _out, axis) => {
    let at = 0;
    return ts.map((t) => {
      const starts = t.shape.map((_, k) => (k === axis ? at : 0));
      at += t.shape[axis];
      return bind(slicePrim, [g], { starts, shape: [...t.shape] });
    });
  },
  jvp: (dts, _ts, _out, axis) => bind(concatPrim, dts, axis),
};

/**
 * Joins tensors along an existing axis (default 0), like `numpy.concatenate`. All other axes
 * must match.
 *
 * @example
 * ```ts
 * import { concat, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * assertEquals(concat([A, tensor([[5, 6]])]).toArray(), [[1, 2], [3, 4], [5, 6]]);
 * assertEquals(concat([A, A], 1).toArray(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
 * ```
 */
export function concat(tensors: readonly Operand[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ValueError(
      `concat: expected a non-empty array of tensors, got ` +
        `${Array.isArray(tensors) ? "an empty array" : typeof tensors}`,
    );
  }
  const ts = tensors.map((x, i) => asTensor("concat", x, `tensor ${i}`));
  if (ts[0].rank === 0) {
    throw new ShapeError(
      "concat: cannot concatenate scalars (shape []): they have no axis to join; use stack",
    );
  }
  const [ax] = normalizeAxes("concat", axis, ts[0].shape);
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i];
    if (t.rank !== ts[0].rank || t.shape.some((d, k) => k !== ax && d !== ts[0].shape[k])) {
      throw new ShapeError(
        `concat: cannot join ${fmtShape(ts[0].shape)} and ${fmtShape(t.shape)} (tensor ${i}) ` +
          `along axis ${ax}: every other axis must have the same size`,
      );
    }
  }
  return bind(concatPrim, ts, ax);
}

/**
 * Joins tensors of the same shape along a new axis (default 0), like `numpy.stack`.
 *
 * @example
 * ```ts
 * import { stack, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const a = tensor([1, 2]), b = tensor([3, 4]);
 * assertEquals(stack([a, b]).toArray(), [[1, 2], [3, 4]]);
 * assertEquals(stack([a, b], 1).toArray(), [[1, 3], [2, 4]]);
 * ```
 */
export function stack(tensors: readonly Operand[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ValueError(
      `stack: expected a non-empty array of tensors, got ` +
        `${Array.isArray(tensors) ? "an empty array" : typeof tensors}`,
    );
  }
  const ts = tensors.map((x, i) => asTensor("stack", x, `tensor ${i}`));
  const shape = ts[0].shape;
  ts.forEach((t, i) => {
    if (t.rank !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
      throw new ShapeError(
        `stack: cannot stack ${fmtShape(shape)} with ${fmtShape(t.shape)} (tensor ${i}): all ` +
          `tensors must have the same shape`,
      );
    }
  });
  const [ax] = normalizeAxes("stack", axis, [...shape, 1]);
  const expanded = [...shape.slice(0, ax), 1, ...shape.slice(ax)];
  return concat(ts.map((t) => reshape(t, expanded)), ax);
}
