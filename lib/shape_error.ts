/**
 * The error thrown when tensors have the wrong shape, rank or layout for an op.
 *
 * Its message always names the op, the shapes at fault, and what would fix it, in the form
 * `op: cannot … [2, 3] … [4, 5]: reason`.
 *
 * @example Catching a shape mismatch
 * ```ts
 * import { matmul, ShapeError, zeros } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.throws(() => matmul(zeros([2, 3]), zeros([4, 5])), ShapeError);
 * ```
 */
export class ShapeError extends Error {
  /** Creates a shape error; `message` should start with the op's name. */
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

/**
 * The error thrown for bad values that are not shapes: a non-finite count, a learning rate ≤ 0,
 * a function that escaped the tracer, a tensor over the memory budget.
 *
 * @example
 * ```ts
 * import { ValueError, linspace } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.throws(() => linspace(0, 1, NaN), ValueError);
 * ```
 */
export class ValueError extends Error {
  /** Creates a value error; `message` should start with the op's name. */
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

/** Formats a shape the way messages print it: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
