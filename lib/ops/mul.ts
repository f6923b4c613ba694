import { bind, type Primitive } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { add } from "./add.ts";
import { zipWith } from "./broadcast.ts";
import { asTensor, type Operand } from "./operand.ts";

const mulPrim: Primitive = {
  name: "mul",
  forward: ([a, b]) => zipWith("mul", a, b, (x, y) => x * y),
  vjp: (g, [a, b]) => [mul(g, b), mul(g, a)],
  jvp: ([da, db], [a, b]) => add(mul(da, b), mul(a, db)),
};

/**
 * Elementwise (Hadamard) product `a ⊙ b`, with NumPy broadcasting.
 *
 * @example
 * ```ts
 * import { mul, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(mul(tensor([1, 2, 3]), 2).toArray(), [2, 4, 6]);
 * assert.deepEqual(mul(tensor([1, 2]), tensor([3, 4])).toArray(), [3, 8]);
 * ```
 */
export function mul(a: Operand, b: Operand): Tensor {
  return bind(mulPrim, [asTensor("mul", a), asTensor("mul", b)], undefined);
}
