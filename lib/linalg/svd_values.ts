/**
 * @internal The singular values of each matrix in `[..., m, n]`, descending, differentiable
 * (`dsᵢ = uᵢᵀ dA vᵢ`, exact at repeated values): what the `"nuc"`, `2` and `-2` norms need.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import { batched } from "./common.ts";
import { svd } from "./svd.ts";

export function svdValues(a: Tensor): Tensor {
  return batched(a, (m) => svd(m).S);
}
