/**
 * Sums and their adjoint, broadcasting: `sum` (over axes), `broadcastTo` and `sumTo`. They sit in
 * one module because each is the other's derivative (the VJP of a sum broadcasts the cotangent
 * back, the VJP of a broadcast sums it), and two modules would import each other.
 *
 * @module
 */
import { fmtShape, ShapeError } from "../errors.ts";
import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { checkShape, raw, Tensor } from "../tensor.ts";
import { keptShape, reducedShape, type Reduction, reductionArgs, sizeOf } from "./shape.ts";
import { broadcastData, broadcastIndex, reductionBlocks } from "./broadcast.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

const sumPrim: Primitive<Reduction> = {
  name: "sum",
  forward: ([a], { axes, keepdims }) => {
    const kept = keptShape(a.shape, axes);
    const A = raw(a);
    const size = sizeOf(kept);
    const out = allocate("sum", kept);
    if (size === 1) {
      let s = 0;
      for (let i = 0; i < A.length; i++) s += A[i];
      out[0] = s;
    } else {
      const blocks = reductionBlocks(a.shape, axes);
      if (blocks !== null) {
        // Consecutive axes: the same additions in the same order, without an index array.
        const [pre, mid, post] = blocks;
        if (post === 1) {
          for (let p = 0; p < pre; p++) {
            let s = 0;
            const base = p * mid;
            for (let m = 0; m < mid; m++) s += A[base + m];
            out[p] = s;
          }
        } else {
          for (let p = 0; p < pre; p++) {
            const o = p * post;
            for (let m = 0; m < mid; m++) {
              const base = (p * mid + m) * post;
              for (let q = 0; q < post; q++) out[o + q] += A[base + q];
            }
          }
        }
      } else {
        // Each input element adds into the output cell it broadcasts from.
        const idx = broadcastIndex(kept, a.shape);
        for (let i = 0; i < A.length; i++) out[idx[i]] += A[i];
      }
    }
    return new Tensor(out, reducedShape(a.shape, axes, keepdims));
  },
  vjp: (g, [a], _out, { axes }) => [broadcastTo(reshape(g, keptShape(a.shape, axes)), a.shape)],
  jvp: ([da], _a, _out, params) => sum(da, params.axes, { keepdims: params.keepdims }),
};

/**
 * Sum of elements over `axis` (all axes when omitted), like `numpy.sum`.
 *
 * @example Row sums, column sums, and the total
 * ```ts
 * import { sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(sum(A).item(), 21);
 * assertEquals(sum(A, 0).toArray(), [5, 7, 9]);
 * assertEquals(sum(A, 1, { keepdims: true }).toArray(), [[6], [15]]);
 * ```
 */
export function sum(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  const { t, axes, keepdims } = reductionArgs("sum", a, axis, opts);
  return bind(sumPrim, [t], { axes, keepdims });
}

const broadcastToPrim: Primitive<readonly number[]> = {
  name: "broadcastTo",
  forward: ([a], shape) => {
    return new Tensor(broadcastData(raw(a), a.shape, shape), shape);
  },
  vjp: (g, [a]) => [sumTo(g, a.shape)],
  jvp: ([da], _a, _out, shape) => broadcastTo(da, shape),
};

/**
 * Repeats `a` along new leading axes and along axes of size 1 to give it `shape`, as
 * `numpy.broadcast_to` (but returning a copy).
 *
 * @example
 * ```ts
 * import { broadcastTo, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(broadcastTo(tensor([1, 2]), [2, 2]).toArray(), [[1, 2], [1, 2]]);
 * ```
 */
export function broadcastTo(a: Operand, shape: readonly number[]): Tensor {
  const t = asTensor("broadcastTo", a);
  checkShape("broadcastTo", shape);
  const off = shape.length - t.rank;
  if (off < 0 || t.shape.some((d, k) => d !== 1 && d !== shape[k + off])) {
    throw new ShapeError(
      `broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)}: each axis ` +
        `must match the target's trailing axes or be 1`,
    );
  }
  return bind(broadcastToPrim, [t], [...shape]);
}

/**
 * Sums `a` down to `shape`, undoing a broadcast: the adjoint of {@linkcode broadcastTo}.
 * Reverse mode uses it to give each operand of a broadcasting op a gradient of its own shape.
 *
 * @example
 * ```ts
 * import { sumTo, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sumTo(tensor([[1, 2], [3, 4]]), [2]).toArray(), [4, 6]);
 * assertEquals(sumTo(tensor([[1, 2], [3, 4]]), [2, 1]).toArray(), [[3], [7]]);
 * ```
 */
export function sumTo(a: Tensor, shape: readonly number[]): Tensor {
  a = asTensor("sumTo", a, "a");
  checkShape("sumTo", shape);
  const off = a.rank - shape.length;
  if (off < 0 || shape.some((d, k) => d !== 1 && d !== a.shape[k + off])) {
    throw new ShapeError(
      `sumTo: cannot sum ${fmtShape(a.shape)} down to ${fmtShape(shape)}: the target must be ` +
        `a broadcast source of the tensor's shape`,
    );
  }
  const axes: number[] = [];
  for (let k = 0; k < a.rank; k++) {
    if (k < off || (shape[k - off] === 1 && a.shape[k] !== 1)) axes.push(k);
  }
  if (axes.length === 0) return a.rank === shape.length ? a : reshape(a, shape);
  return reshape(sum(a, axes), shape);
}
