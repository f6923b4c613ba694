/**
 * @internal The singular values of each matrix in `[..., m, n]`, descending, differentiable:
 * what the `"nuc"`, `2` and `-2` norms need.
 */
import { ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";

export function svdValues(_a: Tensor): Tensor {
  throw new ValueError(`norm: "nuc", 2 and -2 matrix norms need svd, which has not landed yet`);
}
