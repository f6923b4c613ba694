import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { raw, Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "./operand.ts";

const negPrim: Primitive = {
  name: "neg",
  forward: ([a]) => {
    const A = raw(a), out = allocate("neg", a.shape);
    for (let i = 0; i < A.length; i++) out[i] = -A[i];
    return new Tensor(out, a.shape);
  },
  vjp: (g) => [neg(g)],
  jvp: ([da]) => neg(da),
};

/**
 * Elementwise negation `-a`.
 *
 * @example
 * ```ts
 * import { neg, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(neg(tensor([1, -2])).toArray(), [-1, 2]);
 * ```
 */
export function neg(a: Operand): Tensor {
  return bind(negPrim, [asTensor("neg", a)], undefined);
}
