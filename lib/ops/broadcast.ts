import { allocate, checkResultSize } from "../alloc.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { raw, stridesOf, Tensor } from "../tensor.ts";
import { keptShape, sameShape, sizeOf } from "./shape.ts";

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
  checkResultSize(op, out);
  return out;
}

/** @internal For each element of `outShape`, the flat index into a tensor of `shape` broadcast to it. */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array {
  const size = sizeOf(outShape);
  const idx = new Int32Array(size);
  const r = outShape.length;
  // A tensor read as it is stored (same shape, or a size-1 one, all zeros) is the common case:
  // training loops call this per step on small tensors, where the general walk costs most.
  if (size === 0 || sizeOf(shape) === 1) return idx;
  if (sameShape(shape, outShape)) {
    for (let i = 0; i < size; i++) idx[i] = i;
    return idx;
  }
  // Stride 0 on broadcast axes makes every output position along them read the same element;
  // one run per row of the last axis.
  const inner = outShape[r - 1];
  eachRow(outShape, shape, [], (o, flat, _ob, d) => {
    for (let j = 0; j < inner; j++) idx[o + j] = flat + j * d;
  });
  return idx;
}

/**
 * @internal When `axes` (sorted) are one consecutive run, a tensor of `shape` is
 * `[pre, mid, post]` with the run as `mid`: reducing over `axes` is then plain strided loops
 * with no index array. `null` for no axes or a run with gaps.
 */
export function reductionBlocks(
  shape: readonly number[],
  axes: readonly number[],
): [number, number, number] | null {
  if (axes.length === 0) return null;
  const first = axes[0], last = axes[axes.length - 1];
  if (last - first !== axes.length - 1) return null;
  let pre = 1, mid = 1, post = 1;
  for (let k = 0; k < shape.length; k++) {
    if (k < first) pre *= shape[k];
    else if (k <= last) mid *= shape[k];
    else post *= shape[k];
  }
  return [pre, mid, post];
}

/**
 * @internal For each element of a tensor of `shape`, the flat index of its cell in the reduction
 * over `axes` (kept dims): the same array as `broadcastIndex(kept, shape)`, filled by blocks
 * when the axes are consecutive.
 */
export function reductionIndex(shape: readonly number[], axes: readonly number[]): Int32Array {
  const blocks = reductionBlocks(shape, axes);
  if (blocks === null) {
    return broadcastIndex(keptShape(shape, axes), shape);
  }
  const [pre, mid, post] = blocks;
  const idx = new Int32Array(pre * mid * post);
  let i = 0;
  for (let p = 0; p < pre; p++) {
    for (let m = 0; m < mid; m++) {
      for (let q = 0; q < post; q++) idx[i++] = p * post + q;
    }
  }
  return idx;
}

/**
 * @internal `A` (of `shape`) repeated to `outShape` (a valid broadcast target), row by row of the
 * last axis: a copy of a row or a fill with one value, no index array.
 */
export function broadcastData(
  A: Float64Array,
  shape: readonly number[],
  outShape: readonly number[],
): Float64Array {
  const size = sizeOf(outShape);
  const out = allocate("broadcastTo", outShape);
  const r = outShape.length;
  if (size === 0) return out;
  if (r === 0 || A.length === 1) return out.fill(A[0]);
  const inner = outShape[r - 1];
  eachRow(outShape, shape, [], (o, oa, _ob, da) => {
    if (da === 1) out.set(A.subarray(oa, oa + inner), o);
    else out.fill(A[oa], o, o + inner);
  });
  return out;
}

/**
 * @internal Applies `f` elementwise over the broadcast of `a` and `b`: the readable reference
 * that the inlined {@linkcode binary} is tested against, bit for bit (tests/perf/fast_paths_test).
 */
export function zipWith(
  op: string,
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
): Tensor {
  const A = raw(a), B = raw(b);
  if (sameShape(a.shape, b.shape)) {
    const out = allocate(op, a.shape);
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], B[i]);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const size = sizeOf(shape);
  const out = allocate(op, shape);
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

/**
 * @internal The binary elementwise table: one code per op, run by {@linkcode binary} with the
 * arithmetic written inline. To add an op: a code here, its scalar function in
 * {@linkcode BINARY_SCALAR} (the reference the inlined loops are tested against, bit for bit, in
 * tests/perf/fast_paths_test.ts), and one line in each of the three loops of `run`.
 */
export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, POW = 6;
/** @internal One of the codes of the binary elementwise table ({@linkcode ADD}, …). */
export type BinaryCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * @internal Each code's scalar function, indexed by code. `Math.max`/`Math.min` propagate NaN
 * (as `numpy.maximum`/`numpy.minimum` do); `**` is `Math.pow`.
 */
export const BINARY_SCALAR: readonly ((x: number, y: number) => number)[] = [
  (x, y) => x + y,
  (x, y) => x - y,
  (x, y) => x * y,
  (x, y) => x / y,
  Math.max,
  Math.min,
  (x, y) => x ** y,
];

/**
 * @internal `a ∘ b` over the broadcast of `a` and `b` for ∘ an op of the binary elementwise
 * table: the same result as {@linkcode zipWith} with the op's {@linkcode BINARY_SCALAR}, but
 * with the arithmetic written inline in each loop, because a shared loop that calls many
 * different callbacks is one V8 cannot inline (a call per element, several times slower than
 * the arithmetic). Fast paths, the same for every op: same shapes, a single-element operand,
 * and rows of the last axis (an outer-shaped product is one run per row).
 */
export function binary(op: string, code: BinaryCode, a: Tensor, b: Tensor): Tensor {
  const A = raw(a), B = raw(b);
  if (sameShape(a.shape, b.shape)) {
    const out = allocate(op, a.shape);
    run(code, A, 0, 1, B, 0, 1, out, 0, out.length);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const size = sizeOf(shape);
  const out = allocate(op, shape);
  if (b.size === 1 && a.size === size) run(code, A, 0, 1, B, 0, 0, out, 0, size);
  else if (a.size === 1 && b.size === size) run(code, A, 0, 0, B, 0, 1, out, 0, size);
  else if (size > 0) broadcastRows(code, A, B, out, a.shape, b.shape, shape);
  return new Tensor(out, shape);
}

/** `out[o + j] = A[ia + j·da] ∘ B[ib + j·db]` for `j < n`, strides 0 (a repeated value) or 1. */
function run(
  code: BinaryCode,
  A: Float64Array,
  ia: number,
  da: number,
  B: Float64Array,
  ib: number,
  db: number,
  out: Float64Array,
  o: number,
  n: number,
): void {
  if (da === 1 && db === 1) {
    switch (code) {
      case ADD:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] + B[ib + j];
        return;
      case SUB:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] - B[ib + j];
        return;
      case MUL:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] * B[ib + j];
        return;
      case DIV:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] / B[ib + j];
        return;
      case MAX:
        for (let j = 0; j < n; j++) out[o + j] = Math.max(A[ia + j], B[ib + j]);
        return;
      case MIN:
        for (let j = 0; j < n; j++) out[o + j] = Math.min(A[ia + j], B[ib + j]);
        return;
      default:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] ** B[ib + j];
        return;
    }
  }
  if (da === 1 && db === 0) {
    const y = B[ib];
    switch (code) {
      case ADD:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] + y;
        return;
      case SUB:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] - y;
        return;
      case MUL:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] * y;
        return;
      case DIV:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] / y;
        return;
      case MAX:
        for (let j = 0; j < n; j++) out[o + j] = Math.max(A[ia + j], y);
        return;
      case MIN:
        for (let j = 0; j < n; j++) out[o + j] = Math.min(A[ia + j], y);
        return;
      default:
        for (let j = 0; j < n; j++) out[o + j] = A[ia + j] ** y;
        return;
    }
  }
  if (da === 0 && db === 1) {
    const x = A[ia];
    switch (code) {
      case ADD:
        for (let j = 0; j < n; j++) out[o + j] = x + B[ib + j];
        return;
      case SUB:
        for (let j = 0; j < n; j++) out[o + j] = x - B[ib + j];
        return;
      case MUL:
        for (let j = 0; j < n; j++) out[o + j] = x * B[ib + j];
        return;
      case DIV:
        for (let j = 0; j < n; j++) out[o + j] = x / B[ib + j];
        return;
      case MAX:
        for (let j = 0; j < n; j++) out[o + j] = Math.max(x, B[ib + j]);
        return;
      case MIN:
        for (let j = 0; j < n; j++) out[o + j] = Math.min(x, B[ib + j]);
        return;
      default:
        for (let j = 0; j < n; j++) out[o + j] = x ** B[ib + j];
        return;
    }
  }
  out.fill(BINARY_SCALAR[code](A[ia], B[ib]), o, o + n);
}

/**
 * {@linkcode binary} over a general broadcast: one {@linkcode run} per row of the last axis
 * (e.g. `[m, 1] × [1, n]`, the outer product, is m runs of `x · B[·]`).
 */
function broadcastRows(
  code: BinaryCode,
  A: Float64Array,
  B: Float64Array,
  out: Float64Array,
  aShape: readonly number[],
  bShape: readonly number[],
  shape: readonly number[],
): void {
  const inner = shape[shape.length - 1];
  if (code === MUL && isOuter(aShape, bShape, shape)) {
    // The chain rule of y = W x at large sizes: one tight loop per row runs about a fifth faster
    // than the general walk (4096², tests/bench/compare.ts).
    for (let i = 0, o = 0; i < shape[0]; i++, o += inner) {
      const x = A[i];
      for (let j = 0; j < inner; j++) out[o + j] = x * B[j];
    }
    return;
  }
  eachRow(shape, aShape, bShape, (o, oa, ob, da, db) => {
    run(code, A, oa, da, B, ob, db, out, o, inner);
  });
}

/** Whether `a` is a column `[m, 1]` and `b` a row `[1, n]` (or `[n]`) of the product `[m, n]`. */
function isOuter(a: readonly number[], b: readonly number[], shape: readonly number[]): boolean {
  return shape.length === 2 && a.length === 2 && a[0] === shape[0] && a[1] === 1 &&
    b[b.length - 1] === shape[1] && (b.length === 1 || b[0] === 1);
}

/** @internal Applies `f` to every element. */
export function mapData(a: Tensor, f: (x: number) => number): Tensor {
  const A = raw(a);
  const out = allocate("mapData", a.shape);
  for (let i = 0; i < out.length; i++) out[i] = f(A[i]);
  return new Tensor(out, a.shape);
}

/**
 * Walks the broadcast of one or two inputs to `shape` (non-empty, rank ≥ 1) one row of the last
 * axis at a time: `visit(o, oa, ob, da, db)` gets the row's offset in the output and each input's
 * offset in its own buffer; along the row an input advances by `da`/`db` (1, or 0 where it is
 * broadcast). One call per row keeps the per-element loops, where the time goes, in the callers.
 * Pass `[]` as `bShape` for a single input.
 */
function eachRow(
  shape: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
  visit: (o: number, oa: number, ob: number, da: number, db: number) => void,
): void {
  const r = shape.length, inner = shape[r - 1];
  const size = sizeOf(shape);
  const sa = broadcastStrides(aShape, shape), sb = broadcastStrides(bShape, shape);
  const da = sa[r - 1], db = sb[r - 1];
  const counter = new Array<number>(r).fill(0);
  let oa = 0, ob = 0;
  for (let o = 0; o < size; o += inner) {
    visit(o, oa, ob, da, db);
    // An odometer over the leading axes: step the last one, carry into earlier ones.
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
  const inner = shape[shape.length - 1];
  eachRow(shape, aShape, bShape, (o, oa, ob, da, db) => {
    if (da === 1 && db === 0) {
      const y = B[ob];
      for (let j = 0; j < inner; j++) out[o + j] = f(A[oa + j], y);
    } else if (da === 0 && db === 1) {
      const x = A[oa];
      for (let j = 0; j < inner; j++) out[o + j] = f(x, B[ob + j]);
    } else {
      for (let j = 0; j < inner; j++) out[o + j] = f(A[oa + j * da], B[ob + j * db]);
    }
  });
}
