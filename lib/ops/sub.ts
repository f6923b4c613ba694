import { bind, type Primitive } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { binary, SUB } from "./broadcast.ts";
import { neg } from "./neg.ts";
import { asTensor, type Operand } from "./operand.ts";

// A primitive of its own (not add(a, neg(b))) only to save a pass over memory in training loops.
const subPrim: Primitive = {
  name: "sub",
  forward: ([a, b]) => binary("sub", SUB, a, b),
  // A constant subtrahend (no autodiff node) gets no cotangent: the engine would drop it.
  vjp: (g, [, b]) => [g, b._node === undefined ? null : neg(g)],
  jvp: ([da, db]) => sub(da, db),
};

/**
 * Elementwise `a - b`, with NumPy broadcasting.
 *
 * @example
 * ```ts
 * import { sub, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sub(tensor([5, 7]), 1).toArray(), [4, 6]);
 * ```
 */
export function sub(a: Operand, b: Operand): Tensor {
  return bind(subPrim, [asTensor("sub", a), asTensor("sub", b)], undefined);
}
