/**
 * Result allocation for every op: a result too large for a Float64Array, or for the memory left,
 * is a `ValueError` naming the function, the result shape and the bytes, instead of V8's
 * `RangeError: Array buffer allocation failed` from deep inside a loop.
 */
import { fmtShape, ValueError } from "./errors.ts";

/** @internal The largest element count a Float64Array can hold in V8. */
export const MAX_ELEMENTS = 2 ** 32 / 8 * 2 - 1;

/**
 * @internal Throws a ValueError when a result of `shape` has more elements than a Float64Array
 * can hold; returns its element count. Functions that build their result from smaller steps
 * (`outer` through `mul`, `tensordot` through `matmul`) call it first, so the error names them.
 */
export function checkResultSize(op: string, shape: readonly number[]): number {
  const size = shape.reduce((p, d) => p * d, 1);
  if (size > MAX_ELEMENTS) {
    throw new ValueError(
      `${op}: the result of shape ${fmtShape(shape)} would hold ${size} numbers ` +
        `(${fmtBytes(size * 8)}), more than a Float64Array can hold (${MAX_ELEMENTS} numbers, ` +
        `${fmtBytes(MAX_ELEMENTS * 8)}); use a smaller shape or a structured form`,
    );
  }
  return size;
}

/**
 * @internal A zero-filled Float64Array for a result of `shape`, named after `op` in the error
 * when it cannot be allocated (too many elements, or not enough memory).
 */
export function allocate(op: string, shape: readonly number[]): Float64Array {
  const size = checkResultSize(op, shape);
  try {
    return new Float64Array(size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ValueError(
      `${op}: cannot allocate the result of shape ${fmtShape(shape)}: ${size} numbers need ` +
        `${fmtBytes(size * 8)} and the memory left is not enough (${e.message}); use smaller ` +
        `inputs, or process them in batches`,
    );
  }
}

/** `8e+10 bytes (80 GB)`: exact enough to compare, short enough to read. */
export function fmtBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
  let k = 0, v = bytes;
  while (v >= 1000 && k < units.length - 1) {
    v /= 1000;
    k++;
  }
  const exact = bytes < 1e6 ? String(bytes) : bytes.toExponential(3).replace(/\.?0+e/, "e");
  return k === 0 ? `${bytes} bytes` : `${exact} bytes, ${Number(v.toPrecision(3))} ${units[k]}`;
}
