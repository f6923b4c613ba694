import type { Tensor } from "../tensor.ts";
import { ones } from "../creation.ts";
import { mul } from "./mul.ts";
import type { Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { reducedShape, reductionArgs } from "./shape.ts";
import { concat, slice } from "./slice.ts";
import { transpose } from "./transpose.ts";

/**
 * Product of elements over `axis` (all axes when omitted), like `numpy.prod`; the product over
 * an empty axis is 1.
 *
 * Derivatives: `prod` has no rule of its own. It multiplies pairs of halves (a tree of `mul`s,
 * as `jax.numpy.prod` differentiates), so every derivative, of any order, comes from `mul`'s
 * rules: exact at zeros, where the textbook `prod(x) / x` divides by 0, and with the right
 * Hessian there (a rule with a constant mask for "the zero entry" gets it wrong).
 *
 * @example Products, and derivatives at zero entries
 * ```ts
 * import { grad, hessian, prod, type Tensor, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(prod(A).item(), 720);
 * assertEquals(prod(A, 0).toArray(), [4, 10, 18]);
 * assertEquals(prod(A, 1, { keepdims: true }).toArray(), [[6], [120]]);
 * // One zero: only its own slope survives, the product of the others.
 * const p = (x: Tensor) => prod(x);
 * assertEquals(grad(p, tensor([0, 2, 3])).toArray(), [6, 0, 0]);
 * assertEquals(hessian(p, tensor([0, 2, 3])).toArray(), [[0, 3, 2], [3, 0, 0], [2, 0, 0]]);
 * // Two zeros: the gradient vanishes, the mixed second derivative of the zeros does not.
 * assertEquals(grad(p, tensor([0, 0, 3])).toArray(), [0, 0, 0]);
 * assertEquals(hessian(p, tensor([0, 0, 3])).at(0, 1), 3);
 * ```
 */
export function prod(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  const { t, axes, keepdims } = reductionArgs("prod", a, axis, opts);
  const out = reducedShape(t.shape, axes, keepdims);
  const n = axes.reduce((p, k) => p * t.shape[k], 1);
  if (n === 0) return ones(out);
  // The reduced axes moved last and flattened into one: [...kept axes, n].
  const rest = t.shape.flatMap((_, k) => (axes.includes(k) ? [] : [k]));
  let x = reshape(transpose(t, [...rest, ...axes]), [...rest.map((k) => t.shape[k]), n]);
  for (let m = n; m > 1; m = Math.ceil(m / 2)) {
    const h = Math.floor(m / 2);
    const pairs = mul(slice(x, 0, h, { axis: -1 }), slice(x, h, 2 * h, { axis: -1 }));
    x = m % 2 === 0 ? pairs : concat([pairs, slice(x, 2 * h, m, { axis: -1 })], -1);
  }
  return reshape(x, out);
}
