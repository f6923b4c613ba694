import { describeValue, ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";

/** A tensor, or a number that ops treat as a scalar tensor. */
export type Operand = Tensor | number;

/** @internal Turns a number into a scalar tensor; throws a clear error for anything else. */
export function asTensor(op: string, x: unknown, what = "operand"): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return new Tensor(new Float64Array([x]), []);
  throw new ValueError(
    `${op}: ${what} must be a Tensor or a number, got ${describeValue(x)}; ` +
      `build a tensor with tensor(…)`,
  );
}
