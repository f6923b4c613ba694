import { bind, type Primitive } from "../ad/node.ts";
import { ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { binary, POW } from "./broadcast.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";

const powPrim: Primitive<number> = {
  name: "pow",
  // The binary elementwise table's POW loop with a single-element exponent: no call per element.
  forward: ([a], p) => binary("pow", POW, a, new Tensor(new Float64Array([p]), [])),
  // d xᵖ = p xᵖ⁻¹ dx; p = 0 is special-cased so that 0⁻¹ never turns a zero slope into NaN.
  vjp: (g, [a], _out, p) => [p === 0 ? zeros(a.shape) : mul(g, mul(p, pow(a, p - 1)))],
  jvp: ([da], [a], _out, p) => (p === 0 ? zeros(a.shape) : mul(da, mul(p, pow(a, p - 1)))),
};

/**
 * Elementwise power `aᵖ` for a constant exponent `p` (IEEE semantics: negative bases with
 * fractional `p` give `NaN`).
 *
 * @example
 * ```ts
 * import { grad, pow, sum, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(pow(tensor([1, 2, 3]), 2).toArray(), [1, 4, 9]);
 * assertEquals(grad((x) => sum(pow(x, 3)), tensor([1, 2])).toArray(), [3, 12]);
 * ```
 */
export function pow(a: Operand, p: number): Tensor {
  if (typeof p !== "number" || Number.isNaN(p)) {
    throw new ValueError(
      `pow: exponent must be a number, got ${
        String(p)
      }; for a tensor exponent use exp(mul(p, log(a)))`,
    );
  }
  return bind(powPrim, [asTensor("pow", a)], p);
}
