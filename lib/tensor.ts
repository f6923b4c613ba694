import { allocate, checkResultSize } from "./alloc.ts";
import { displayBundle } from "./display_hook.ts";
import { describeValue, fmtShape, fmtValue, ShapeError, ValueError } from "./errors.ts";
import { formatTensor } from "./format.ts";
import type { Node } from "./ad/node.ts";
import { tracerState } from "./ad/state.ts";

// Ops read buffers through `raw()`, which skips the tracer's escape check on `.data`; a static
// block is the only way to reach a `#private` field from module scope.
let rawOf: (t: Tensor) => Float64Array;

/**
 * @internal The ops behind `.T` and `.get()`, filled in by lib/ops/indexing.ts: importing them
 * here would close an import cycle, since every op imports this file.
 */
export const tensorMethods: {
  transpose?: (t: Tensor) => Tensor;
  get?: (t: Tensor, index: readonly number[]) => Tensor;
} = {};

function method<K extends keyof typeof tensorMethods>(name: K, what: string) {
  const f = tensorMethods[name];
  if (f === undefined) {
    throw new ValueError(`Tensor: ${what} needs matcalc's ops: import from "matcalc" (lib/mod.ts)`);
  }
  return f as NonNullable<typeof tensorMethods[K]>;
}

/**
 * A float64 tensor: a shape and a row-major `Float64Array` of `size` numbers.
 *
 * Tensors are immutable by convention: every op returns a new tensor and never writes to its
 * inputs. Build them with {@linkcode tensor}, {@linkcode zeros}, {@linkcode randn} and friends
 * rather than with `new`.
 *
 * @example Shape, rank and indexing
 * ```ts
 * import { tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const W = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(W.shape, [2, 3]);
 * assertEquals(W.rank, 2);
 * assertEquals(W.at(1, 2), 6);
 * assertEquals(W.toArray(), [[1, 2, 3], [4, 5, 6]]);
 * ```
 *
 * @example NumPy-style access: `W.T`, `W.ndim`, `W.get(0)` for `W[0]`
 * ```ts
 * import { tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const W = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(W.T.toArray(), [[1, 4], [2, 5], [3, 6]]);
 * console.log(W.T);
 * // Tensor([[1, 4],
 * //         [2, 5],
 * //         [3, 6]], shape=[3, 2])
 * assertEquals(W.ndim, 2);
 * assertEquals(W.get(0).toArray(), [1, 2, 3]); // W[0]: a row, as a vector
 * assertEquals(W.get(-1, 0).shape, []); // W[-1, 0]: a 0-d tensor, still differentiable
 * assertEquals(W.at(-1, 0), 4); // the same element as a plain number
 * ```
 */
export class Tensor {
  /** The extent of each axis; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Number of elements: the product of the shape. */
  readonly size: number;
  readonly #data: Float64Array;
  static {
    rawOf = (t) => t.#data;
  }
  /**
   * @internal The autodiff node that produced this tensor while tracing; `undefined` for
   * ordinary (constant) tensors.
   */
  _node: Node | undefined = undefined;

  /**
   * Wraps `data` (row-major, not copied) with `shape`. Prefer {@linkcode tensor}; this does no
   * copying so that ops can hand over buffers they have just filled.
   */
  constructor(data: Float64Array, shape: readonly number[]) {
    if (!(data instanceof Float64Array)) {
      // Another array would be stored as is: strings read back as NaN, float32 loses digits.
      throw new ValueError(
        `Tensor: data must be a Float64Array, got ${describeValue(data)}; use tensor(values), ` +
          `which copies and converts`,
      );
    }
    const size = checkShape("Tensor", shape);
    if (data.length !== size) {
      throw new ShapeError(
        `Tensor: cannot view ${data.length} numbers as shape ${fmtShape(shape)}: ` +
          `it holds ${size} elements`,
      );
    }
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.#data = data;
  }

  /**
   * The elements in row-major order. Reading it inside a function being differentiated throws,
   * because derivatives cannot flow through raw numbers.
   */
  get data(): Float64Array {
    if (this._node !== undefined && tracerState.userDepth > 0) throw escapeError(".data");
    return this.#data;
  }

  /** Number of axes: 0 for a scalar, 1 for a vector, 2 for a matrix. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of axes, NumPy's name for {@linkcode Tensor.rank}. */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * The transpose, NumPy's `W.T`: the axes reversed ({@linkcode transpose} with no `perm`), so a
   * vector or a scalar is returned as it is. Differentiable.
   */
  get T(): Tensor {
    if (this.#transposeOf !== undefined) return this.#transposeOf;
    const t = method("transpose", ".T")(this);
    t.#transposeOf = this;
    return t;
  }
  /**
   * The tensor whose `.T` this is, so that `W.T.T` is `W` itself. Deep equality that walks
   * getters (@std/assert's `assertEquals`) relies on it to stop: a fresh `W.T.T` each time
   * would recurse forever.
   */
  #transposeOf: Tensor | undefined = undefined;

  /**
   * NumPy's `x[i]`, `x[i, j]`, …: one integer per leading axis (negative counts from the end),
   * each dropping its axis, so `W.get(0)` is row 0 as a vector and `W.get(0, -1)` a 0-d tensor.
   * Differentiable, unlike {@linkcode Tensor.at}, which returns a plain number.
   */
  get(...index: number[]): Tensor {
    return method("get", ".get()")(this, index);
  }

  /**
   * The element at `index` as a number (one integer per axis; negative counts from the end), like
   * NumPy's `x.item(i, j)`. For a row or any sub-tensor, or inside a differentiated function, use
   * {@linkcode Tensor.get}.
   */
  at(...index: number[]): number {
    if (this._node !== undefined && tracerState.userDepth > 0) throw escapeError(".at()");
    return this.#data[flatIndex("at", this.shape, index)];
  }

  /** The single element of a size-1 tensor, as a number. */
  item(): number {
    if (this._node !== undefined && tracerState.userDepth > 0) throw escapeError(".item()");
    if (this.size !== 1) {
      throw new ShapeError(
        `item: cannot convert a tensor of shape ${fmtShape(this.shape)} to a number: ` +
          `it has ${this.size} elements, not 1`,
      );
    }
    return this.#data[0];
  }

  /** The elements as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this._node !== undefined && tracerState.userDepth > 0) throw escapeError(".toArray()");
    return nest(this.#data, this.shape, 0, 0);
  }

  /** A NumPy-like multi-line rendering, eliding the middle of large tensors. */
  toString(): string {
    return formatTensor(this.#data, this.shape, this._node !== undefined);
  }

  /**
   * A size-1 tensor acts as its number where JavaScript wants one (`loss < best`, `loss * 2`,
   * `loss + 1`, `Number(loss)`, `"loss " + loss`); any other size throws rather than giving NaN
   * or a string. `+` cannot tell `a + b` (an elementwise sum with {@linkcode add}) from
   * `"W = " + W`, so it throws for any other size too, instead of silently concatenating the
   * printed tensors; text contexts (`${W}`, `String(W)`) get {@linkcode Tensor.toString}.
   */
  [Symbol.toPrimitive](hint: "number" | "string" | "default"): number | string {
    if (hint === "string") return this.toString();
    if (this.size !== 1) {
      throw new ShapeError(
        hint === "default"
          ? `Tensor: cannot use + (or ==) on a tensor of shape ${fmtShape(this.shape)}: ` +
            `JavaScript would join the printed tensors as text; use add(a, b) for the ` +
            `elementwise sum, and \`\${W}\` or String(W) for text`
          : `Tensor: cannot use a tensor of shape ${fmtShape(this.shape)} as a number ` +
            `(in <, *, Number(), …): it has ${this.size} elements, not 1; use matcalc ops ` +
            `(mul, add, …) for elementwise arithmetic, or sum()/item() for one number`,
      );
    }
    if (this._node !== undefined && tracerState.userDepth > 0) {
      throw escapeError("", "used a traced tensor as a number (in <, *, Number(), …)");
    }
    return this.item();
  }

  /** `JSON.stringify` writes the elements as nested arrays, as {@linkcode Tensor.toArray}. */
  toJSON(): NestedArray {
    return this.toArray();
  }

  /**
   * Lets the Deno REPL and `console.log` print the tensor as a matrix, its rows aligned also
   * inside an array or object (continuation lines take the enclosing indentation).
   */
  [Symbol.for("Deno.customInspect")](
    _inspect?: unknown,
    options?: { indentationLvl?: number },
  ): string {
    const pad = " ".repeat(options?.indentationLvl ?? 0);
    return this.toString().replace(/\n(?=.)/g, "\n" + pad);
  }

  /** Renders the tensor in Jupyter as HTML and LaTeX (see `kernel/`), plain text otherwise. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayBundle(this, this.toString());
  }
}

/** A number, or arrays of arrays of numbers: what {@linkcode tensor} accepts and `toArray` returns. */
export type NestedArray = number | NestedArray[];

/** @internal The buffer behind `t`, for ops: never exposed to user code while tracing. */
export function raw(t: Tensor): Float64Array {
  return rawOf(t);
}

function escapeError(what: string, did = `read ${what} of a traced tensor`): ValueError {
  return new ValueError(
    `${tracerState.transform || "grad"}: the function ${did}; ` +
      `derivatives cannot flow through raw numbers, so the result would silently be wrong. ` +
      `Build the computation from matcalc ops (add, mul, matmul, sum, …), or call ` +
      `stopGradient(x) first to treat x as a constant on purpose`,
  );
}

/** @internal Validates a shape and returns its size. */
export function checkShape(op: string, shape: readonly number[]): number {
  if (!Array.isArray(shape)) {
    throw new ShapeError(
      `${op}: shape must be an array of non-negative integers, got ${shapeArg(shape)}`,
    );
  }
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid shape ${fmtShape(shape)}: every dimension must be a non-negative ` +
          `integer, got ${typeof d === "number" ? String(d) : describeValue(d)}`,
      );
    }
    size *= d;
  }
  // Too large for a Float64Array: a ValueError with the bytes, like any result allocation.
  checkResultSize(op, shape);
  return size;
}

/** A non-array shape as messages print it: numbers bare (`got 3`), anything else described. */
function shapeArg(shape: unknown): string {
  return typeof shape === "number" ? String(shape) : describeValue(shape);
}

/** @internal Validates a shape from user code, then allocates it (see `allocate`). */
export function checkedAllocate(op: string, shape: readonly number[]): Float64Array {
  checkShape(op, shape);
  return allocate(op, shape);
}

/** @internal Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

function flatIndex(op: string, shape: readonly number[], index: number[]): number {
  if (index.length !== shape.length) {
    throw new ShapeError(
      `${op}: a tensor of shape ${fmtShape(shape)} needs ${shape.length} indices, ` +
        `got ${index.length} (${fmtShape(index)})` +
        (index.length < shape.length
          ? `; for a sub-tensor (a row: x[${index.join(", ")}]) use x.get(${index.join(", ")})`
          : ""),
    );
  }
  let flat = 0;
  for (let a = 0; a < shape.length; a++) {
    let i = index[a];
    if (!Number.isInteger(i) || i < -shape[a] || i >= shape[a]) {
      throw new ShapeError(
        `${op}: index ${fmtValue(i)} is out of bounds for axis ${a} with size ${shape[a]} ` +
          `(tensor of shape ${fmtShape(shape)})`,
      );
    }
    if (i < 0) i += shape[a];
    flat = flat * shape[a] + i;
  }
  return flat;
}

function nest(
  data: Float64Array,
  shape: readonly number[],
  axis: number,
  offset: number,
): NestedArray {
  if (axis === shape.length) return data[offset];
  const out: NestedArray[] = [];
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < shape[axis]; i++) out.push(nest(data, shape, axis + 1, offset + i * stride));
  return out;
}
