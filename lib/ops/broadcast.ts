import { fmtShape, ShapeError } from "../shape_error.ts";
import { raw, stridesOf, Tensor } from "../tensor.ts";

/**
 * @internal The NumPy broadcast of two shapes: align from the right; sizes must match or be 1.
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let k = 1; k <= n; k++) {
    const da = a.length - k >= 0 ? a[a.length - k] : 1;
    const db = b.length - k >= 0 ? b[b.length - k] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: cannot broadcast ${fmtShape(a)} with ${fmtShape(b)}: axis -${k} has sizes ` +
          `${da} and ${db}; sizes must match or one must be 1 (reshape or transpose one operand)`,
      );
    }
    out[n - k] = da === 1 ? db : da;
  }
  return out;
}

/** @internal For each element of `outShape`, the flat index into a tensor of `shape` broadcast to it. */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array {
  const size = outShape.reduce((p, d) => p * d, 1);
  const idx = new Int32Array(size);
  const offset = outShape.length - shape.length;
  const inStrides = stridesOf(shape);
  // Stride 0 on broadcast axes makes every output position along them read the same element.
  const strides = outShape.map((d, k) => {
    const j = k - offset;
    return j < 0 || shape[j] === 1 ? 0 : inStrides[j];
  });
  const counter = new Array(outShape.length).fill(0);
  let flat = 0;
  for (let i = 0; i < size; i++) {
    idx[i] = flat;
    for (let k = outShape.length - 1; k >= 0; k--) {
      counter[k]++;
      flat += strides[k];
      if (counter[k] < outShape[k]) break;
      flat -= strides[k] * counter[k];
      counter[k] = 0;
    }
  }
  return idx;
}

/** @internal Applies `f` elementwise over the broadcast of `a` and `b`. */
export function zipWith(
  op: string,
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
): Tensor {
  const A = raw(a), B = raw(b);
  if (sameShape(a.shape, b.shape)) {
    const out = new Float64Array(A.length);
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], B[i]);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  if (b.size === 1 && a.size === size) {
    const y = B[0];
    for (let i = 0; i < size; i++) out[i] = f(A[i], y);
  } else if (a.size === 1 && b.size === size) {
    const x = A[0];
    for (let i = 0; i < size; i++) out[i] = f(x, B[i]);
  } else {
    const ia = broadcastIndex(a.shape, shape), ib = broadcastIndex(b.shape, shape);
    for (let i = 0; i < size; i++) out[i] = f(A[ia[i]], B[ib[i]]);
  }
  return new Tensor(out, shape);
}

/** @internal Applies `f` to every element. */
export function mapData(a: Tensor, f: (x: number) => number): Tensor {
  const A = raw(a);
  const out = new Float64Array(A.length);
  for (let i = 0; i < out.length; i++) out[i] = f(A[i]);
  return new Tensor(out, a.shape);
}

/** @internal Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
