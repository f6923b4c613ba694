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
  const strides = outShape.map((_d, k) => {
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
  } else if (size > 0) {
    broadcastLoop(A, B, out, a.shape, b.shape, shape, f);
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

/** Input strides for reading a tensor of `shape` broadcast to `outShape` (0 on broadcast axes). */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const offset = outShape.length - shape.length;
  const inStrides = stridesOf(shape);
  return outShape.map((_, k) => {
    const j = k - offset;
    return j < 0 || shape[j] === 1 ? 0 : inStrides[j];
  });
}

/**
 * `out[i] = f(A[·], B[·])` over a broadcast, walking rows of the last axis with strides instead
 * of materializing two index arrays (which cost more memory traffic than the op itself, e.g. for
 * `outer` at 4096×4096).
 */
function broadcastLoop(
  A: Float64Array,
  B: Float64Array,
  out: Float64Array,
  aShape: readonly number[],
  bShape: readonly number[],
  shape: readonly number[],
  f: (x: number, y: number) => number,
): void {
  const r = shape.length, inner = shape[r - 1];
  const sa = broadcastStrides(aShape, shape), sb = broadcastStrides(bShape, shape);
  const da = sa[r - 1], db = sb[r - 1];
  const counter = new Array<number>(r).fill(0);
  let oa = 0, ob = 0;
  for (let o = 0; o < out.length; o += inner) {
    if (da === 1 && db === 0) {
      const y = B[ob];
      for (let j = 0; j < inner; j++) out[o + j] = f(A[oa + j], y);
    } else if (da === 0 && db === 1) {
      const x = A[oa];
      for (let j = 0; j < inner; j++) out[o + j] = f(x, B[ob + j]);
    } else {
      for (let j = 0; j < inner; j++) out[o + j] = f(A[oa + j * da], B[ob + j * db]);
    }
    for (let k = r - 2; k >= 0; k--) {
      counter[k]++;
      oa += sa[k];
      ob += sb[k];
      if (counter[k] < shape[k]) break;
      oa -= sa[k] * counter[k];
      ob -= sb[k] * counter[k];
      counter[k] = 0;
    }
  }
}
