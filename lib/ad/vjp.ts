import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { asArgs } from "./args.ts";
import { backward, checkTensor, finish, trace, unaliased } from "./engine.ts";
import type { TensorFn } from "./grad.ts";

/**
 * Reverse mode: `f(x)` and a pullback that maps an output cotangent `u` (shape of `f(x)`) to
 * `uᵀ J` (shape of `x`), the vector–Jacobian product. One pullback call costs about one
 * evaluation of `f`, whatever the size of `x`.
 *
 * @example The chain rule for `y = W x`: pulling `∂L/∂y` back gives `∂L/∂y ⊗ x`
 * ```ts
 * import { matmul, tensor, vjp } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2, 3]);
 * const [y, pullback] = vjp((W) => matmul(W, x), tensor([[1, 0, 0], [0, 1, 0]]));
 * assertEquals(y.toArray(), [1, 2]);
 * assertEquals(pullback(tensor([10, 1])).toArray(), [[10, 20, 30], [1, 2, 3]]);
 * ```
 */
export function vjp(f: TensorFn, x: Tensor): [Tensor, (u: Tensor) => Tensor];
/** With an array of inputs `[W, b]`, the pullback returns one cotangent per input. */
export function vjp(f: TensorFn, x: Tensor[]): [Tensor, (u: Tensor) => Tensor[]];
export function vjp(
  f: TensorFn,
  x: Tensor | Tensor[],
): [Tensor, (u: Tensor) => Tensor | Tensor[]] {
  const { xs, many } = asArgs("vjp", x);
  const tr = trace("vjp", f, xs);
  const pullback = (u: Tensor) => {
    checkTensor("vjp pullback", u, "u");
    if (u.shape.length !== tr.out.shape.length || u.shape.some((d, i) => d !== tr.out.shape[i])) {
      throw new ShapeError(
        `vjp pullback: cotangent shape ${fmtShape(u.shape)} differs from the output shape ` +
          `${fmtShape(tr.out.shape)}; pass a tensor shaped like f(x)`,
      );
    }
    const gs = unaliased(
      backward(tr, u).map((g, i) => finish(g ?? zeros(xs[i].shape))),
      [u, ...xs],
    );
    return many ? gs : gs[0];
  };
  return [unaliased([finish(tr.out)], xs)[0], pullback];
}
