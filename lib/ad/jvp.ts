import { fmtShape, ShapeError, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { asArgs } from "./args.ts";
import { checkTensor, finish, forward, trace, unaliased } from "./engine.ts";
import type { TensorFn } from "./grad.ts";

/**
 * Forward mode: `[f(x), J v]`, the Jacobian–vector product (directional derivative of `f` at
 * `x` along `v`, shape of `f(x)`). With an array of inputs, pass an array of tangents.
 *
 * @example The change in `y = W x` when `W` moves along `dW` is `dW x`
 * ```ts
 * import { jvp, matmul, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2]);
 * const [y, dy] = jvp((W) => matmul(W, x), tensor([[1, 1], [0, 1]]), tensor([[1, 0], [0, 0]]));
 * assertEquals(y.toArray(), [3, 2]);
 * assertEquals(dy.toArray(), [1, 0]);
 * ```
 */
export function jvp(f: TensorFn, x: Tensor, v: Tensor): [Tensor, Tensor];
/** With an array of inputs `[W, b]`, pass one tangent per input; the tangents add up. */
export function jvp(f: TensorFn, x: Tensor[], v: Tensor[]): [Tensor, Tensor];
export function jvp(f: TensorFn, x: Tensor | Tensor[], v: Tensor | Tensor[]): [Tensor, Tensor] {
  const { xs } = asArgs("jvp", x);
  if (!Array.isArray(x) && Array.isArray(v) && v.every((e) => typeof e === "number")) {
    // jvp(f, x, [1, 1]): numbers where a tangent tensor belongs, not several tangents.
    throw new ValueError(
      `jvp: the tangent must be a Tensor shaped like x ${fmtShape(xs[0].shape)}, got an array ` +
        `of numbers; wrap it: tensor([${v.join(", ")}])`,
    );
  }
  const vs = Array.isArray(v) ? v : [v];
  if (vs.length !== xs.length) {
    throw new ShapeError(`jvp: got ${xs.length} inputs but ${vs.length} tangents; pass one each`);
  }
  vs.forEach((t, i) => {
    checkTensor("jvp", t, "tangent");
    if (t.shape.length !== xs[i].shape.length || t.shape.some((d, k) => d !== xs[i].shape[k])) {
      throw new ShapeError(
        `jvp: tangent shape ${fmtShape(t.shape)} differs from input shape ` +
          `${fmtShape(xs[i].shape)}; the tangent must be shaped like x`,
      );
    }
  });
  const tr = trace("jvp", f, xs);
  const t = forward(tr, vs);
  const [y, dy] = unaliased([finish(tr.out), finish(t ?? zeros(tr.out.shape))], [...xs, ...vs]);
  return [y, dy];
}
