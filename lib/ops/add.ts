import { bind, type Primitive } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { ADD, binary } from "./broadcast.ts";
import { asTensor, type Operand } from "./operand.ts";

const addPrim: Primitive = {
  name: "add",
  forward: ([a, b]) => binary("add", ADD, a, b),
  // The engine sums each cotangent down to its input's shape, undoing broadcasting.
  vjp: (g) => [g, g],
  jvp: ([da, db]) => add(da, db),
};

/**
 * Elementwise `a + b`, with NumPy broadcasting.
 *
 * @example Adding a bias to every row
 * ```ts
 * import { add, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const y = add(tensor([[1, 2], [3, 4]]), tensor([10, 20]));
 * assertEquals(y.toArray(), [[11, 22], [13, 24]]);
 * ```
 */
export function add(a: Operand, b: Operand): Tensor {
  return bind(addPrim, [asTensor("add", a), asTensor("add", b)], undefined);
}
