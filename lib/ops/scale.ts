import { ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";

/**
 * Multiplies every element by the number `s`: `s · a`. The same as `mul(a, s)`, with a name
 * that says the factor is a scalar.
 *
 * @example
 * ```ts
 * import { scale, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scale(tensor([1, -2]), 3).toArray(), [3, -6]);
 * ```
 */
export function scale(a: Operand, s: number): Tensor {
  if (typeof s !== "number") {
    throw new ValueError(
      `scale: the factor must be a number, got ${typeof s}; use mul for elementwise products`,
    );
  }
  return mul(asTensor("scale", a), s);
}
