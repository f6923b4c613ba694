import { fmtShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { ones } from "../creation.ts";
import { asArgs } from "./args.ts";
import { backward, finish, session, trace, unaliased } from "./engine.ts";

/** A function of one or more tensors returning a tensor: what transforms differentiate. */
// deno-lint-ignore no-explicit-any
export type TensorFn = (...xs: any[]) => Tensor;

/**
 * The gradient of a scalar-valued `f` at `x`, by reverse mode: a tensor of the same shape as
 * `x` (the "gradient layout", the one gradient descent subtracts).
 *
 * Pass an array `[W, b]` to differentiate `f(W, b)` with respect to each: the result is an
 * array of gradients. `f` must return a scalar (shape `[]`, or any shape with one element);
 * for vector outputs use {@linkcode jacobian}, {@linkcode vjp}, or sum the output.
 *
 * @example `∂/∂W ½‖W x − t‖² = (W x − t) xᵀ`
 * ```ts
 * import { grad, matmul, mul, outer, square, sub, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2]), t = tensor([0, 1]);
 * const W = tensor([[1, 0], [0, 1]]);
 * const loss = (W: typeof x) => mul(0.5, sum(square(sub(matmul(W, x), t))));
 * const g = grad(loss, W);
 * assertEquals(g.toArray(), outer(sub(matmul(W, x), t), x).toArray());
 * console.log(g);
 * // Tensor([[1, 2],
 * //         [1, 2]], shape=[2, 2])
 * ```
 *
 * @example Several inputs
 * ```ts
 * import { add, grad, matmul, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2]);
 * const [gW, gb] = grad((W, b) => sum(add(matmul(W, x), b)), [tensor([[0, 0]]), tensor([0])]);
 * assertEquals(gW.toArray(), [[1, 2]]);
 * assertEquals(gb.toArray(), [1]);
 * ```
 */
export function grad(f: TensorFn, x: Tensor): Tensor;
/** With an array of inputs `[W, b]`, `f` is called as `f(W, b)`; one gradient per input. */
export function grad(f: TensorFn, x: Tensor[]): Tensor[];
export function grad(f: TensorFn, x: Tensor | Tensor[]): Tensor | Tensor[] {
  return valueAndGradImpl("grad", f, x)[1];
}

/**
 * `[f(x), grad(f, x)]` from one evaluation of `f`: what a training loop wants.
 *
 * @example
 * ```ts
 * import { square, sum, tensor, valueAndGrad } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const [value, g] = valueAndGrad((x) => sum(square(x)), tensor([3, 4]));
 * assertEquals(value.item(), 25);
 * assertEquals(g.toArray(), [6, 8]);
 * ```
 */
export function valueAndGrad(f: TensorFn, x: Tensor): [Tensor, Tensor];
/** With an array of inputs `[W, b]`: the value and one gradient per input. */
export function valueAndGrad(f: TensorFn, x: Tensor[]): [Tensor, Tensor[]];
export function valueAndGrad(
  f: TensorFn,
  x: Tensor | Tensor[],
): [Tensor, Tensor | Tensor[]] {
  return valueAndGradImpl("valueAndGrad", f, x);
}

function valueAndGradImpl(
  op: string,
  f: TensorFn,
  x: Tensor | Tensor[],
): [Tensor, Tensor | Tensor[]] {
  return session(() => {
    const { xs, many } = asArgs(op, x);
    const tr = trace(op, f, xs);
    if (tr.out.size !== 1) {
      throw new ShapeError(
        `${op}: f must return a scalar, got shape ${fmtShape(tr.out.shape)}; ` +
          `use jacobian(f, x) for the full derivative, vjp(f, x) for a weighted sum of rows, ` +
          `or differentiate sum(f(x))`,
      );
    }
    const [value, ...gs] = unaliased([
      finish(tr.out),
      ...backward(tr, ones(tr.out.shape)).map((g, i) => finish(g ?? zeros(xs[i].shape))),
    ], xs);
    return [value, many ? gs : gs[0]];
  });
}
