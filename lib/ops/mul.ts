import { bind, type Primitive } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { add } from "./add.ts";
import { binary, MUL } from "./broadcast.ts";
import { asTensor, type Operand } from "./operand.ts";

const mulPrim: Primitive = {
  name: "mul",
  forward: ([a, b]) => binary("mul", MUL, a, b),
  // A constant operand (no autodiff node) gets no cotangent: the engine would drop it.
  vjp: (g, [a, b]) => [
    a._node === undefined ? null : mul(g, b),
    b._node === undefined ? null : mul(g, a),
  ],
  jvp: ([da, db], [a, b]) => add(mul(da, b), mul(a, db)),
};

/**
 * Elementwise (Hadamard) product `a ⊙ b`, with NumPy broadcasting.
 *
 * @example
 * ```ts
 * import { mul, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(mul(tensor([1, 2, 3]), 2).toArray(), [2, 4, 6]);
 * assertEquals(mul(tensor([1, 2]), tensor([3, 4])).toArray(), [3, 8]);
 * ```
 */
export function mul(a: Operand, b: Operand): Tensor {
  return bind(mulPrim, [asTensor("mul", a), asTensor("mul", b)], undefined);
}
