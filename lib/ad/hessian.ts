import { fmtShape, ShapeError, ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { ones, zeros } from "../creation.ts";
import { backward, describe, trace } from "./engine.ts";
import { fwdFromTrace } from "./jacobian.ts";
import type { TensorFn } from "./grad.ts";

/**
 * The Hessian of a scalar-valued `f` at `x`: shape `[...x.shape, ...x.shape]`, entry
 * `H[i…, j…] = ∂²f / ∂x[i…] ∂x[j…]`. Built as forward-over-reverse, `jacfwd` of the gradient
 * (one forward sweep per element of `x` through the recorded backward pass), which is what
 * `jax.hessian` does. It follows the Jacobian convention of {@linkcode jacobian} applied to
 * `grad(f)`.
 *
 * @example `x ↦ xᵀ A x` has Hessian `A + Aᵀ`
 * ```ts
 * import { add, hessian, matmul, tensor, transpose } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * const A = tensor([[1, 2], [0, 3]]);
 * const H = hessian((x) => matmul(x, matmul(A, x)), tensor([5, -1]));
 * assert.deepEqual(H.toArray(), add(A, transpose(A)).toArray());
 * console.log(H);
 * // Tensor([[2, 2],
 * //         [2, 6]], shape=[2, 2])
 * ```
 */
export function hessian(f: TensorFn, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) {
    throw new ValueError(
      `hessian: x must be a Tensor, got ${describe(x)}; for several inputs, differentiate ` +
        `twice explicitly, e.g. jacobian((W) => grad((b) => f(W, b), b), W) for a mixed block`,
    );
  }
  const gradient = (v: Tensor): Tensor => {
    const tr = trace("hessian", f, [v]);
    if (tr.out.size !== 1) {
      throw new ShapeError(
        `hessian: f must return a scalar, got shape ${fmtShape(tr.out.shape)}; ` +
          `use jacobian((x) => jacobian(f, x), x) for the second derivative of a vector function, ` +
          `or take the hessian of sum(f(x))`,
      );
    }
    return backward(tr, ones(tr.out.shape))[0] ?? zeros(v.shape);
  };
  return fwdFromTrace("hessian", trace("hessian", gradient, [x]), [x])[0];
}
