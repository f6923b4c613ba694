import { bind, type Primitive } from "../ad/node.ts";
import type { Tensor } from "../tensor.ts";
import { binary, DIV } from "./broadcast.ts";
import { mul } from "./mul.ts";
import { neg } from "./neg.ts";
import { sub } from "./sub.ts";
import { asTensor, type Operand } from "./operand.ts";

const divPrim: Primitive = {
  name: "div",
  forward: ([a, b]) => binary("div", DIV, a, b),
  // d(a/b) = da/b − (a/b)·db/b, written with `out` so the quotient is not recomputed.
  // A constant operand (no autodiff node) gets no cotangent: the engine would drop it.
  vjp: (g, [a, b], out) => [
    a._node === undefined ? null : div(g, b),
    b._node === undefined ? null : neg(div(mul(g, out), b)),
  ],
  jvp: ([da, db], [, b], out) => div(sub(da, mul(out, db)), b),
};

/**
 * Elementwise `a / b`, with NumPy broadcasting (IEEE semantics: `1 / 0` is `Infinity`).
 *
 * @example
 * ```ts
 * import { div, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(div(tensor([2, 9]), tensor([4, 3])).toArray(), [0.5, 3]);
 * ```
 */
export function div(a: Operand, b: Operand): Tensor {
  return bind(divPrim, [asTensor("div", a), asTensor("div", b)], undefined);
}
