import { fmtShape, fmtValue, ShapeError, ValueError } from "../errors.ts";
import { tensorMethods } from "../tensor.ts";
import type { Tensor } from "../tensor.ts";
import { reshape } from "./reshape.ts";
import { slice } from "./slice.ts";
import { transpose } from "./transpose.ts";

/**
 * @internal `x.get(i, j, …)`: one integer per leading axis, each dropping its axis, as NumPy's
 * `x[i, j]`. A slice and a reshape, so it is differentiable; a full index gives a 0-d tensor.
 */
export function getIndex(t: Tensor, index: readonly number[]): Tensor {
  if (index.length > t.rank) {
    throw new ShapeError(
      `get: too many indices for a tensor of shape ${fmtShape(t.shape)}: got ${index.length} ` +
        `(${fmtShape(index)}), the tensor has ${t.rank} axes`,
    );
  }
  const starts = index.map((i, a) => {
    const n = t.shape[a];
    if (typeof i !== "number" || !Number.isInteger(i)) {
      throw new ValueError(
        `get: index ${fmtValue(i)} on axis ${a} is not an integer; use slice(x, starts, ends) ` +
          `for ranges and take(x, indices, axis) for lists of indices`,
      );
    }
    if (i < -n || i >= n) {
      throw new ShapeError(
        `get: index ${i} is out of bounds for axis ${a} with size ${n} (tensor of shape ` +
          `${fmtShape(t.shape)}); ` +
          (n === 0 ? `the axis is empty` : `use an index in [${-n}, ${n - 1}]`),
      );
    }
    return i < 0 ? i + n : i;
  });
  if (starts.length === 0) return t;
  return reshape(slice(t, starts, starts.map((s) => s + 1)), t.shape.slice(starts.length));
}

// The Tensor accessors `.T` and `.get()` are these ops; tensor.ts cannot import them itself
// without closing an import cycle (every op imports tensor.ts).
tensorMethods.transpose = (t) => transpose(t);
tensorMethods.get = getIndex;
