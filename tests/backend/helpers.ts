/**
 * Test inputs shared by the backend tests: a seeded linear congruential stream of values in
 * [-1, 1) (plain numbers, so a failing case prints the same inputs on every backend and machine),
 * and a row-major transpose to build column-major operands.
 */
import { Tensor } from "../../lib/tensor.ts";

/** A stream of seeded values in [-1, 1): each call continues where the last one stopped. */
export function uniformStream(seed: number): (len: number) => Float64Array {
  return (len) => {
    const out = new Float64Array(len);
    for (let i = 0; i < len; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      out[i] = seed / 2147483648 * 2 - 1;
    }
    return out;
  };
}

/** The same stream as tensors of the given shape. */
export function tensorStream(seed: number): (shape: number[]) => Tensor {
  const next = uniformStream(seed);
  return (shape) => new Tensor(next(shape.reduce((p, d) => p * d, 1)), shape);
}

/** The transpose of the row-major `rows×cols` matrix `a`, row-major. */
export function transposed(a: Float64Array, rows: number, cols: number): Float64Array {
  const o = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) o[j * rows + i] = a[i * cols + j];
  return o;
}
