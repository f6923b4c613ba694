import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, fmtValue, ShapeError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "./operand.ts";
import { sizeOf } from "./shape.ts";

const reshapePrim: Primitive<readonly number[]> = {
  name: "reshape",
  // Row-major data needs no copy: the new tensor shares the (never mutated) buffer.
  forward: ([a], shape) => new Tensor(raw(a), shape),
  vjp: (g, [a]) => [reshape(g, a.shape)],
  jvp: ([da], _a, _out, shape) => reshape(da, shape),
};

/**
 * Gives `a` a new shape with the same elements in row-major order, like `numpy.reshape`.
 * One dimension may be `-1`, inferred from the others.
 *
 * @example
 * ```ts
 * import { arange, reshape } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(reshape(arange(6), [2, 3]).toArray(), [[0, 1, 2], [3, 4, 5]]);
 * assertEquals(reshape(arange(6), [-1, 2]).shape, [3, 2]);
 * ```
 */
export function reshape(a: Operand, shape: readonly number[]): Tensor {
  const t = asTensor("reshape", a);
  if (!Array.isArray(shape)) {
    throw new ShapeError(`reshape: shape must be an array of integers, got ${fmtValue(shape)}`);
  }
  const target = [...shape];
  const free = target.flatMap((d, k) => (d === -1 ? [k] : []));
  if (free.length > 1) {
    throw new ShapeError(`reshape: can only infer one dimension, got ${fmtShape(shape)}`);
  }
  for (const d of target) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) {
      throw new ShapeError(
        `reshape: invalid shape ${fmtShape(shape)}: every dimension must be a non-negative ` +
          `integer (or one -1), got ${fmtValue(d)}`,
      );
    }
  }
  if (free.length === 1) {
    const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ` +
          `${fmtShape(shape)}: ${t.size} is not a multiple of ${known}`,
      );
    }
    target[free[0]] = t.size / known;
  }
  const size = sizeOf(target);
  if (size !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ` +
        `${fmtShape(shape)} (${size} elements): the element counts must match`,
    );
  }
  return bind(reshapePrim, [t], target);
}
