import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { normalizeAxes } from "./shape.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

/**
 * Removes axes of size 1, like `numpy.squeeze`: all of them, or only `axis` (a number or an
 * array), which must have size 1. A reshape, so it is differentiable and copies nothing.
 *
 * @example
 * ```ts
 * import { squeeze, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(squeeze(zeros([1, 3, 1])).shape, [3]);
 * assertEquals(squeeze(zeros([1, 3, 1]), -1).shape, [1, 3]);
 * ```
 */
export function squeeze(x: Operand, axis?: number | readonly number[]): Tensor {
  const t = asTensor("squeeze", x, "x");
  const axes = axis === undefined
    ? t.shape.flatMap((d, k) => (d === 1 ? [k] : []))
    : normalizeAxes("squeeze", axis, t.shape);
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new ShapeError(
        `squeeze: cannot remove axis ${a} of a tensor of shape ${fmtShape(t.shape)}: its size ` +
          `is ${t.shape[a]}, not 1; only axes of size 1 can be squeezed`,
      );
    }
  }
  return reshape(t, t.shape.filter((_, k) => !axes.includes(k)));
}

/**
 * Inserts axes of size 1 at `axis` (a number or an array of positions in the result), like
 * `numpy.expand_dims`: `expandDims(x, 0)` makes a row `[1, n]` of a vector, `expandDims(x, -1)` a
 * column `[n, 1]`. A reshape, so it is differentiable and copies nothing.
 *
 * @example
 * ```ts
 * import { expandDims, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2, 3]);
 * assertEquals(expandDims(x, 0).toArray(), [[1, 2, 3]]);
 * assertEquals(expandDims(x, -1).toArray(), [[1], [2], [3]]);
 * assertEquals(expandDims(x, [0, 2]).shape, [1, 3, 1]);
 * ```
 */
export function expandDims(x: Operand, axis: number | readonly number[]): Tensor {
  const t = asTensor("expandDims", x, "x");
  const n = typeof axis === "number" ? 1 : Array.isArray(axis) ? axis.length : 0;
  // Positions refer to the result, whose rank is the input's plus one per new axis.
  const outShape = new Array<number>(t.rank + n).fill(0);
  const axes = normalizeAxes("expandDims", axis, outShape);
  let k = 0;
  const shape = outShape.map((_, a) => (axes.includes(a) ? 1 : t.shape[k++]));
  return reshape(t, shape);
}
