import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { checkShape, raw, Tensor } from "../tensor.ts";
import { broadcastData } from "./broadcast.ts";
import { asTensor, type Operand } from "./operand.ts";
import { sumTo } from "./sum_to.ts";

const broadcastToPrim: Primitive<readonly number[]> = {
  name: "broadcastTo",
  forward: ([a], shape) => {
    return new Tensor(broadcastData(raw(a), a.shape, shape), shape);
  },
  vjp: (g, [a]) => [sumTo(g, a.shape)],
  jvp: ([da], _a, _out, shape) => broadcastTo(da, shape),
};

/**
 * Repeats `a` along new leading axes and along axes of size 1 to give it `shape`, as
 * `numpy.broadcast_to` (but returning a copy).
 *
 * @example
 * ```ts
 * import { broadcastTo, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(broadcastTo(tensor([1, 2]), [2, 2]).toArray(), [[1, 2], [1, 2]]);
 * ```
 */
export function broadcastTo(a: Operand, shape: readonly number[]): Tensor {
  const t = asTensor("broadcastTo", a);
  checkShape("broadcastTo", shape);
  const off = shape.length - t.rank;
  if (off < 0 || t.shape.some((d, k) => d !== 1 && d !== shape[k + off])) {
    throw new ShapeError(
      `broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)}: each axis ` +
        `must match the target's trailing axes or be 1`,
    );
  }
  return bind(broadcastToPrim, [t], [...shape]);
}
