import { describeValue, fmtShape, ShapeError, ValueError } from "./errors.ts";
import { checkedAllocate, type NestedArray, raw, Tensor } from "./tensor.ts";
import { tracerState } from "./ad/state.ts";

/**
 * Builds a tensor from a number (a scalar) or nested arrays of numbers, copying the values.
 * Ragged arrays and non-numbers are rejected with the path to the offending element.
 *
 * @example
 * ```ts
 * import { tensor } from "matcalc";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(tensor(5).shape, []);
 * assertEquals(tensor([1, 2, 3]).shape, [3]);
 * assertEquals(tensor([[1, 2], [3, 4]]).shape, [2, 2]);
 * console.log(tensor([[1, 2], [3, 4]]));
 * // Tensor([[1, 2],
 * //         [3, 4]], shape=[2, 2])
 * assertThrows(() => tensor([[1, 2], [3]]), Error, "ragged");
 * ```
 */
export function tensor(
  values: NestedArray | Tensor | Float64Array | ArrayLike<number> | readonly number[],
): Tensor {
  if (values instanceof Tensor) {
    if (values._node !== undefined && tracerState.userDepth > 0) {
      throw new ValueError(
        `tensor: copying a traced tensor with tensor(x) inside ${tracerState.transform} cuts it ` +
          `off from autodiff, so its derivative would silently be zero; use x itself, or ` +
          `stopGradient(x) to treat it as a constant on purpose`,
      );
    }
    return new Tensor(raw(values).slice(), values.shape);
  }
  if (values instanceof Float64Array) return new Tensor(values.slice(), [values.length]);
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    // Other typed arrays (Float32Array, Int32Array, Uint8Array from image data, …) convert, as
    // numpy.array does; BigInt arrays hold no float64 values.
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      throw new ValueError(
        `tensor: cannot convert a ${values.constructor.name} (BigInt elements) to float64; ` +
          `map it with Number(…) first`,
      );
    }
    return new Tensor(Float64Array.from(values as unknown as ArrayLike<number>), [
      (values as unknown as ArrayLike<number>).length,
    ]);
  }
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const data = checkedAllocate("tensor", shape);
  let k = 0;
  const walk = (x: unknown, axis: number, path: number[]): void => {
    if (axis === shape.length) {
      if (typeof x !== "number") {
        throw new ValueError(
          `tensor: element at [${path.join(", ")}] is ${describeValue(x)}, not a number; ` +
            (x instanceof Tensor
              ? `to build a tensor from tensors use stack([…]) (it keeps derivatives)`
              : `every leaf of the nested array must be a number`),
        );
      }
      data[k++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[axis]) {
      throw new ShapeError(
        `tensor: ragged nested array: the row at [${path.join(", ")}] has ` +
          `${Array.isArray(x) ? `length ${x.length}` : describeValue(x)} but the shape so far is ` +
          `${fmtShape(shape)} (expected length ${shape[axis]}); every row on an axis must have ` +
          `the same length`,
      );
    }
    for (let i = 0; i < x.length; i++) walk(x[i], axis + 1, [...path, i]);
  };
  walk(values, 0, []);
  return new Tensor(data, shape);
}

/**
 * A tensor of `shape` filled with zeros.
 *
 * @example
 * ```ts
 * import { zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
 * ```
 */
export function zeros(shape: readonly number[]): Tensor {
  return new Tensor(checkedAllocate("zeros", shape), shape);
}

/**
 * A tensor of `shape` filled with ones.
 *
 * @example
 * ```ts
 * import { ones } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ones([3]).toArray(), [1, 1, 1]);
 * ```
 */
export function ones(shape: readonly number[]): Tensor {
  return new Tensor(checkedAllocate("ones", shape).fill(1), shape);
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * import { full } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(full([2], 7).toArray(), [7, 7]);
 * ```
 */
export function full(shape: readonly number[], value: number): Tensor {
  if (typeof value !== "number") {
    throw new ValueError(`full: value must be a number, got ${describeValue(value)}`);
  }
  return new Tensor(checkedAllocate("full", shape).fill(value), shape);
}

/**
 * The `n × m` identity matrix (`m` defaults to `n`).
 *
 * @example
 * ```ts
 * import { eye } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(eye(2).toArray(), [[1, 0], [0, 1]]);
 * ```
 */
export function eye(n: number, m: number = n): Tensor {
  const data = checkedAllocate("eye", [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m]);
}

/**
 * Evenly spaced values in `[start, stop)`, like `numpy.arange`; `arange(n)` is `0, 1, …, n-1`.
 *
 * @example
 * ```ts
 * import { arange } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(arange(4).toArray(), [0, 1, 2, 3]);
 * assertEquals(arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
 * ```
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  for (const [name, v] of [["start", start], ["stop", stop], ["step", step]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValueError(`arange: ${name} must be a finite number, got ${describeValue(v)}`);
    }
  }
  if (step === 0) throw new ValueError("arange: step must not be 0");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = checkedAllocate("arange", [n]);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/**
 * `num` evenly spaced values from `start` to `stop` inclusive, like `numpy.linspace`.
 *
 * @example
 * ```ts
 * import { linspace } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function linspace(start: number, stop: number, num = 50): Tensor {
  for (const [name, v] of [["start", start], ["stop", stop]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValueError(`linspace: ${name} must be a finite number, got ${describeValue(v)}`);
    }
  }
  if (!Number.isInteger(num) || num < 0) {
    throw new ValueError(`linspace: num must be a non-negative integer, got ${describeValue(num)}`);
  }
  const data = checkedAllocate("linspace", [num]);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (num > 1) data[num - 1] = stop;
  return new Tensor(data, [num]);
}
