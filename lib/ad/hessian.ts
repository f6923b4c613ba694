import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { ones, zeros } from "../creation.ts";
import { asArgs } from "./args.ts";
import { backward, trace } from "./engine.ts";
import { fwdFromTrace } from "./jacobian.ts";
import type { TensorFn } from "./grad.ts";

/**
 * The Hessian of a scalar-valued `f` at `x`: shape `[...x.shape, ...x.shape]`, entry
 * `H[i…, j…] = ∂²f / ∂x[i…] ∂x[j…]`. Built as forward-over-reverse, `jacfwd` of the gradient
 * (one forward sweep per element of `x` through the recorded backward pass), which is what
 * `jax.hessian` does. It follows the Jacobian convention of {@linkcode jacobian} applied to
 * `grad(f)`.
 *
 * With several inputs, `hessian(f, [W, b])` returns the blocks `H[i][j]` of shape
 * `[...xs[i].shape, ...xs[j].shape]`, `H[i][j][a…, b…] = ∂²f / ∂xᵢ[a…] ∂xⱼ[b…]`, as
 * `jax.hessian(f, argnums=(0, 1))` does; `H[j][i]` is `H[i][j]` with its two halves of axes
 * swapped.
 *
 * @example `x ↦ xᵀ A x` has Hessian `A + Aᵀ`
 * ```ts
 * import { add, hessian, matmul, tensor, transpose } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2], [0, 3]]);
 * const H = hessian((x) => matmul(x, matmul(A, x)), tensor([5, -1]));
 * assertEquals(H.toArray(), add(A, transpose(A)).toArray());
 * console.log(H);
 * // Tensor([[2, 2],
 * //         [2, 6]], shape=[2, 2])
 * ```
 *
 * @example Blocks for two inputs: `f(W, b) = ½‖W x + b − y‖²`
 * ```ts
 * import { add, hessian, matmul, mul, square, sub, sum, tensor, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2]), y = tensor([0, 1]);
 * const f = (W: typeof x, b: typeof x) =>
 *   mul(0.5, sum(square(sub(add(matmul(W, x), b), y))));
 * const [[HWW, HWb], [HbW, Hbb]] = hessian(f, [zeros([2, 2]), zeros([2])]);
 * assertEquals([HWW.shape, HWb.shape, HbW.shape, Hbb.shape], [
 *   [2, 2, 2, 2], [2, 2, 2], [2, 2, 2], [2, 2],
 * ]);
 * assertEquals(Hbb.toArray(), [[1, 0], [0, 1]]);
 * // ∂²f/∂W[i, k]∂b[j] = δᵢⱼ x[k]
 * assertEquals(HWb.toArray(), [[[1, 0], [2, 0]], [[0, 1], [0, 2]]]);
 * ```
 */
export function hessian(f: TensorFn, x: Tensor): Tensor;
/** With an array `[W, b]`: the blocks `H[i][j]`, shape `[...xs[i].shape, ...xs[j].shape]`. */
export function hessian(f: TensorFn, x: Tensor[]): Tensor[][];
export function hessian(f: TensorFn, x: Tensor | Tensor[]): Tensor | Tensor[][] {
  const { xs, many } = asArgs("hessian", x);
  // The i-th gradient as a function of all inputs; its forward Jacobians are row i of blocks.
  const gradient = (i: number) => (...vs: Tensor[]): Tensor => {
    const tr = trace("hessian", f, vs);
    if (tr.out.size !== 1) {
      throw new ShapeError(
        `hessian: f must return a scalar, got shape ${fmtShape(tr.out.shape)}; ` +
          `use jacobian((x) => jacobian(f, x), x) for the second derivative of a vector function, ` +
          `or take the hessian of sum(f(x))`,
      );
    }
    return backward(tr, ones(tr.out.shape))[i] ?? zeros(vs[i].shape);
  };
  const rows = xs.map((_, i) => fwdFromTrace("hessian", trace("hessian", gradient(i), xs), xs));
  return many ? rows : rows[0][0];
}
