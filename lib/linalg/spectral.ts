/**
 * @internal Helpers shared by `eigh` and `svd`: deterministic signs for singular/eigen vectors
 * and the gap matrix `F` of their derivative rules, with the degeneracy check.
 *
 * @module
 */
import { ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { div } from "../ops/div.ts";
import { reshape } from "../ops/reshape.ts";
import { sub } from "../ops/sub.ts";
import { where } from "../ops/where.ts";
import { EPS } from "./common.ts";

/**
 * Flips columns of the row-major `rows×cols` matrix `v` so that in each column the first entry
 * with at least half the column's largest magnitude is positive (so exact ties such as
 * (1, −1)/√2 do not flip under a tiny perturbation); applies the same flips to the rows of `alsoRows`
 * (`Vᵀ` of an SVD). LAPACK leaves signs arbitrary; fixing them makes both kernels agree and
 * makes the vectors continuous functions of the input for finite differences.
 */
export function fixSigns(
  v: Float64Array,
  rows: number,
  cols: number,
  alsoRows?: Float64Array,
): void {
  for (let j = 0; j < cols; j++) {
    let best = 0, at = 0;
    for (let i = 0; i < rows; i++) best = Math.max(best, Math.abs(v[i * cols + j]));
    while (at < rows - 1 && Math.abs(v[at * cols + j]) < 0.5 * best) at++;
    if (v[at * cols + j] < 0) {
      for (let i = 0; i < rows; i++) v[i * cols + j] = -v[i * cols + j];
      if (alsoRows !== undefined) {
        const w = alsoRows.length / cols;
        for (let k = 0; k < w; k++) alsoRows[j * w + k] = -alsoRows[j * w + k];
      }
    }
  }
}

/**
 * The smallest gap below which two values count as repeated: a few hundred ulps of the largest,
 * the accuracy the kernels deliver for eigen/singular values.
 */
export function gapTolerance(values: Float64Array): number {
  let scale = 0;
  for (const x of values) scale = Math.max(scale, Math.abs(x));
  return 256 * values.length * EPS * Math.max(scale, Number.MIN_VALUE);
}

/**
 * Throws when two of `values` coincide: the vectors' derivative divides by their differences.
 */
export function checkGaps(op: string, what: string, values: Float64Array, hint: string): void {
  const tol = gapTolerance(values);
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      if (Math.abs(values[i] - values[j]) <= tol) {
        throw new ValueError(
          `${op}: the derivative of the ${what} is undefined at repeated values: ` +
            `value ${i} = ${values[i]} and value ${j} = ${values[j]} coincide (gap ` +
            `${Math.abs(values[i] - values[j]).toExponential(2)} ≤ ${tol.toExponential(2)}), so ` +
            `their vectors are not unique; ${hint}`,
        );
      }
    }
  }
}

/**
 * `F[i, j] = 1 / (e[j] − e[i])` off the diagonal, 0 on it, from traced values `e`; the double
 * `where` keeps the unused 1/0 on the diagonal out of every derivative.
 */
export function gapMatrix(e: Tensor): Tensor {
  const n = e.shape[0];
  const d = sub(reshape(e, [1, n]), reshape(e, [n, 1]));
  const off = new Float64Array(n * n).fill(1);
  for (let i = 0; i < n; i++) off[i * n + i] = 0;
  const mask = new Tensor(off, [n, n]);
  return where(mask, div(1, where(mask, d, 1)), 0);
}
