import { bind, type Primitive } from "../ad/node.ts";
import { describeValue, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { normalizeAxes } from "./shape.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";

interface CumsumParams {
  axis: number;
  /** Sums from the end of the axis: the adjoint of the forward running sum. */
  reverse: boolean;
}

const cumsumPrim: Primitive<CumsumParams> = {
  name: "cumsum",
  forward: ([a], { axis, reverse }) => {
    const A = raw(a), out = new Float64Array(A.length);
    const n = a.shape[axis];
    const post = a.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    const pre = n === 0 ? 0 : A.length / (n * post);
    for (let p = 0; p < pre; p++) {
      for (let q = 0; q < post; q++) {
        const base = p * n * post + q;
        let s = 0;
        for (let k = 0; k < n; k++) {
          const i = base + (reverse ? n - 1 - k : k) * post;
          s += A[i];
          out[i] = s;
        }
      }
    }
    return new Tensor(out, a.shape);
  },
  // out[k] = Σ_{j ≤ k} a[j], so ∂L/∂a[j] = Σ_{k ≥ j} g[k]: the running sum from the other end.
  vjp: (g, _a, _out, { axis, reverse }) => [bind(cumsumPrim, [g], { axis, reverse: !reverse })],
  jvp: ([da], _a, _out, params) => bind(cumsumPrim, [da], params),
};

/**
 * Running sum along `axis`, like `numpy.cumsum`: `out[…, k, …] = Σ_{j ≤ k} x[…, j, …]`. Without
 * `axis` the tensor is flattened first (a vector), as in NumPy.
 *
 * @example
 * ```ts
 * import { cumsum, grad, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(cumsum(A).toArray(), [1, 3, 6, 10, 15, 21]);
 * assertEquals(cumsum(A, 0).toArray(), [[1, 2, 3], [5, 7, 9]]);
 * assertEquals(cumsum(A, -1).toArray(), [[1, 3, 6], [4, 9, 15]]);
 * // Entry j feeds every running sum from j on.
 * assertEquals(grad((x) => sum(cumsum(x)), tensor([1, 1, 1])).toArray(), [3, 2, 1]);
 * ```
 */
export function cumsum(x: Operand, axis?: number): Tensor {
  const t = asTensor("cumsum", x);
  if (axis === undefined) {
    return bind(cumsumPrim, [reshape(t, [t.size])], { axis: 0, reverse: false });
  }
  if (typeof axis !== "number") {
    throw new ValueError(
      `cumsum: axis must be one integer (or omitted to flatten), got ${describeValue(axis)}`,
    );
  }
  const [ax] = normalizeAxes("cumsum", axis, t.shape);
  return bind(cumsumPrim, [t], { axis: ax, reverse: false });
}
