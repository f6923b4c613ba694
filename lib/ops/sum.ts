import { allocate } from "../alloc.ts";
import { checkOptions } from "../errors.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { raw, Tensor } from "../tensor.ts";
import { normalizeAxes } from "./axes.ts";
import { broadcastIndex, reductionBlocks } from "./broadcast.ts";
import { broadcastTo } from "./broadcast_to.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

interface SumParams {
  axes: number[];
  keepdims: boolean;
}

const sumPrim: Primitive<SumParams> = {
  name: "sum",
  forward: ([a], { axes, keepdims }) => {
    const kept = a.shape.map((d, k) => (axes.includes(k) ? 1 : d));
    const A = raw(a);
    const size = kept.reduce((p, d) => p * d, 1);
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
    return new Tensor(out, keepdims ? kept : a.shape.filter((_, k) => !axes.includes(k)));
  },
  vjp: (g, [a], _out, { axes }) => {
    const kept = a.shape.map((d, k) => (axes.includes(k) ? 1 : d));
    return [broadcastTo(reshape(g, kept), a.shape)];
  },
  jvp: ([da], _a, _out, params) => sum(da, params.axes, { keepdims: params.keepdims }),
};

/**
 * Sum of elements over `axis` (all axes when omitted), like `numpy.sum`.
 *
 * @example Row sums, column sums, and the total
 * ```ts
 * import { sum, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.equal(sum(A).item(), 21);
 * assert.deepEqual(sum(A, 0).toArray(), [5, 7, 9]);
 * assert.deepEqual(sum(A, 1, { keepdims: true }).toArray(), [[6], [15]]);
 * ```
 */
export function sum(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  checkOptions("sum", opts, ["keepdims"], ["keepdims"]);
  const t = asTensor("sum", a);
  const axes = normalizeAxes("sum", axis, t.shape);
  return bind(sumPrim, [t], { axes, keepdims: opts.keepdims ?? false });
}
