import { allocate } from "../alloc.ts";
import { describeValue, fmtShape, ValueError } from "../errors.ts";
import { raw, stridesOf, Tensor } from "../tensor.ts";
import { normalizeAxes, sizeOf } from "./shape.ts";
import { asTensor, type Operand } from "./operand.ts";

/**
 * Index of the largest element along `axis`, like `numpy.argmax` (the first one on ties; a `NaN`
 * counts as the largest, as in NumPy). Without `axis`, the flat row-major index over the whole
 * tensor. Indices are returned as a float64 tensor of integers; like any index, argmax has no
 * derivative, so autodiff treats the result as a constant.
 *
 * @example Predicted classes from a batch of logits
 * ```ts
 * import { argmax, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const logits = tensor([[0.1, 2.0, -1.0], [3.0, 0.0, 3.0]]);
 * assertEquals(argmax(logits, 1).toArray(), [1, 0]);
 * assertEquals(argmax(logits).item(), 3);
 * ```
 */
export function argmax(a: Operand, axis?: number): Tensor {
  const t = asTensor("argmax", a);
  if (axis !== undefined && typeof axis !== "number") {
    throw new ValueError(`argmax: axis must be a single integer, got ${describeValue(axis)}`);
  }
  const axes = axis === undefined ? [] : normalizeAxes("argmax", axis, t.shape);
  const A = raw(t);
  if (axis === undefined) {
    if (t.size === 0) {
      throw new ValueError(
        "argmax: cannot take the argmax of an empty tensor (shape " +
          `${fmtShape(t.shape)})`,
      );
    }
    return new Tensor(new Float64Array([bestIndex(A, 0, 1, t.size)]), []);
  }
  const k = axes[0];
  const n = t.shape[k];
  if (n === 0) {
    throw new ValueError(
      `argmax: cannot take the argmax over axis ${axis} of size 0 (tensor of shape ` +
        `${fmtShape(t.shape)})`,
    );
  }
  const stride = stridesOf(t.shape)[k];
  const outer = sizeOf(t.shape.slice(0, k));
  const out = allocate("argmax", t.shape.filter((_, a) => a !== k));
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) {
      out[o * stride + s] = bestIndex(A, o * n * stride + s, stride, n);
    }
  }
  return new Tensor(out, t.shape.filter((_, i) => i !== k));
}

function bestIndex(A: Float64Array, start: number, stride: number, n: number): number {
  let best = 0, v = A[start];
  for (let i = 1; i < n && v === v; i++) {
    const x = A[start + i * stride];
    if (x > v || x !== x) [best, v] = [i, x];
  }
  return best;
}
