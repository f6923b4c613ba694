import { describeValue, ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";

/**
 * @internal Transforms take either one tensor (`grad(f, x)`, f called as `f(x)`) or an array of
 * tensors (`grad(f, [W, b])`, f called as `f(W, b)`, one result per tensor).
 */
export function asArgs(op: string, x: unknown): { xs: Tensor[]; many: boolean } {
  if (x instanceof Tensor) return { xs: [x], many: false };
  if (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof Tensor)) {
    return { xs: x, many: true };
  }
  throw new ValueError(
    `${op}: x must be a Tensor or a non-empty array of Tensors, got ${describeValue(x)}; ` +
      `differentiate with respect to several inputs as ${op}(f, [W, b])`,
  );
}
