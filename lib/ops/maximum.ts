/**
 * Elementwise `maximum` and `minimum` of two operands (NumPy broadcasting), as primitives of the
 * binary elementwise table.
 *
 * Derivative: each output element follows the operand it came from; where the two are equal
 * the derivative is split half and half, as in JAX and PyTorch, and as {@linkcode max} splits it
 * among tied elements. So `maximum(x, x)` has derivative 1 (½ + ½) and `maximum(a, b)` and
 * `maximum(b, a)` give the same gradients. The weights are written with matcalc ops
 * (`½(1 + sign(a − b))`), so the rules are differentiable again: their derivative is 0 away
 * from ties, and the Hessian of `maximum` is that of the operand it selects.
 *
 * @module
 */
import { bind, type Primitive } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { add } from "./add.ts";
import { binary, type BinaryCode, MAX, MIN } from "./broadcast.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { sub } from "./sub.ts";
import { sign } from "./unary.ts";
import { where } from "./where.ts";

/** The weight of `a` in `d maximum(a, b)`: 1 where a > b, ½ where a = b, 0 where a < b. */
function weightOfFirst(a: Tensor, b: Tensor, code: BinaryCode): Tensor {
  const d = code === MAX ? sub(a, b) : sub(b, a);
  return mul(0.5, add(1, sign(d)));
}

/** `g · w`, with 0 (not `0 · Infinity = NaN`) where the weight is 0. */
function weighted(g: Tensor, w: Tensor): Tensor {
  return where(w, mul(g, w), 0);
}

function extremumPrim(name: string, code: BinaryCode): Primitive {
  return {
    name,
    forward: ([a, b]) => binary(name, code, a, b),
    vjp: (g, [a, b]) => {
      const wa = weightOfFirst(a, b, code), wb = sub(1, wa);
      return [weighted(g, wa), weighted(g, wb)];
    },
    jvp: ([da, db], [a, b]) => {
      const wa = weightOfFirst(a, b, code);
      return add(weighted(da, wa), weighted(db, sub(1, wa)));
    },
  };
}

const maximumPrim = extremumPrim("maximum", MAX);
const minimumPrim = extremumPrim("minimum", MIN);

/**
 * The larger of `a` and `b`, element by element, with NumPy broadcasting, like
 * `numpy.maximum`; NaN propagates. Where `a` and `b` tie, the derivative is split half and half
 * (as in JAX and PyTorch).
 *
 * @example ReLU as `maximum(x, 0)`, and a tie
 * ```ts
 * import { grad, maximum, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([-2, 0, 3]);
 * assertEquals(maximum(x, 0).toArray(), [0, 0, 3]);
 * assertEquals(maximum(tensor([[1], [5]]), tensor([2, 4])).toArray(), [[2, 4], [5, 5]]);
 * // At the tie x = 0 the gradient is ½: half to x, half to the constant 0.
 * assertEquals(grad((v) => sum(maximum(v, 0)), x).toArray(), [0, 0.5, 1]);
 * ```
 */
export function maximum(a: Operand, b: Operand): Tensor {
  return bind(maximumPrim, [asTensor("maximum", a), asTensor("maximum", b)], undefined);
}

/**
 * The smaller of `a` and `b`, element by element, with NumPy broadcasting, like
 * `numpy.minimum`; NaN propagates. Ties split the derivative half and half, as in
 * {@linkcode maximum}.
 *
 * @example Clipping from above, and both gradients at a tie
 * ```ts
 * import { grad, minimum, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(minimum(tensor([-2, 1, 3]), 1).toArray(), [-2, 1, 1]);
 * const [ga, gb] = grad((a, b) => sum(minimum(a, b)), [tensor([1, 2]), tensor([3, 2])]);
 * assertEquals(ga.toArray(), [1, 0.5]);
 * assertEquals(gb.toArray(), [0, 0.5]);
 * ```
 */
export function minimum(a: Operand, b: Operand): Tensor {
  return bind(minimumPrim, [asTensor("minimum", a), asTensor("minimum", b)], undefined);
}
