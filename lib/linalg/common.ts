/**
 * @internal Shared checks and helpers of the linear algebra ops: square-matrix checks with
 * messages that name the op, leading batch axes handled by slicing and stacking (so every
 * primitive is 2-D and batching needs no rules of its own), and the errors for singular input.
 *
 * @module
 */
import { fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { reshape } from "../ops/reshape.ts";
import { slice, stack } from "../ops/slice.ts";
import { transpose } from "../ops/transpose.ts";
import { add } from "../ops/add.ts";
import { scale } from "../ops/scale.ts";
import { mul } from "../ops/mul.ts";

/** The reciprocal condition number below which `inv`/`solve` refuse: machine epsilon. */
export const EPS = 2 ** -52;

/**
 * Refuses a NaN or an infinity in `t`, naming the first one and how many there are. The
 * factorizations would otherwise answer with NaNs, or worse, with finite numbers computed from
 * a partial read of the matrix (LAPACK's eigenvalue solver returned ±√2 for [[4, 1], [1, NaN]]);
 * SciPy's `check_finite` makes the same check.
 */
export function finiteInput(op: string, t: Tensor, what: string): Tensor {
  const d = raw(t);
  let first = -1, count = 0;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first >= 0) {
    const others = count === 1 ? "" : ` (and ${count - 1} more non-finite entries)`;
    throw new ValueError(
      `${op}: ${what} of shape ${fmtShape(t.shape)} has ${d[first]} at index ` +
        `[${unravel(first, t.shape).join(", ")}]${others}; ${op} needs finite entries`,
    );
  }
  return t;
}

/**
 * Checks `a` is a `[..., n, n]` tensor (rank ≥ 2 when `batch`, else exactly 2) of finite
 * numbers.
 */
export function squareInput(op: string, a: Operand, batch: boolean, what = "A"): Tensor {
  const t = asTensor(op, a, what);
  const ok = batch ? t.rank >= 2 : t.rank === 2;
  if (!ok || t.shape[t.rank - 1] !== t.shape[t.rank - 2]) {
    const expect = batch
      ? "a square matrix [n, n] or a stack of them [..., n, n]"
      : "a square matrix [n, n]";
    throw new ShapeError(`${op}: ${what} must be ${expect}, got shape ${fmtShape(t.shape)}`);
  }
  return finiteInput(op, t, what);
}

/** Checks `a` is a matrix `[m, n]` of finite numbers. */
export function matrixInput(op: string, a: Operand, what = "A"): Tensor {
  const t = asTensor(op, a, what);
  if (t.rank !== 2) {
    throw new ShapeError(`${op}: ${what} must be a matrix [m, n], got shape ${fmtShape(t.shape)}`);
  }
  return finiteInput(op, t, what);
}

/**
 * Applies the 2-D `f` to each matrix of `a: [..., n, n]` and stacks the results in the batch
 * shape; `f` gets a label naming the batch index, for its error messages.
 */
export function batched(a: Tensor, f: (m: Tensor, where: string) => Tensor): Tensor {
  if (a.rank === 2) return f(a, "");
  const batch = a.shape.slice(0, -2), [n, m] = a.shape.slice(-2);
  const count = batch.reduce((p, d) => p * d, 1);
  const flat = reshape(a, [count, n, m]);
  const outs: Tensor[] = [];
  for (let b = 0; b < count; b++) {
    const idx = unravel(b, batch);
    outs.push(
      f(reshape(slice(flat, [b, 0, 0], [b + 1, n, m]), [n, m]), ` at index [${idx.join(", ")}]`),
    );
  }
  if (count === 0) {
    // No matrices: the identity (valid input for every op here) gives the result's shape.
    const probe = f(eyeTensor(n), "");
    return new Tensor(new Float64Array(0), [...batch, ...probe.shape]);
  }
  const out = stack(outs);
  return reshape(out, [...batch, ...out.shape.slice(1)]);
}

function eyeTensor(n: number): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return new Tensor(d, [n, n]);
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = flat % shape[k];
    flat = Math.floor(flat / shape[k]);
  }
  return idx;
}

/** The transpose of a matrix (traced). */
export function mT(a: Tensor): Tensor {
  return transpose(a, [1, 0]);
}

/** `(A + Aᵀ) / 2`, traced. */
export function symmetrize(a: Tensor): Tensor {
  return scale(add(a, mT(a)), 0.5);
}

/**
 * A constant 0/1 mask of the `[m, n]` entries with `j − i ≤ k` (`lower`) or `j − i ≥ k`, used to
 * take triangles with a differentiable multiply.
 */
export function triMask(m: number, n: number, k: number, lower: boolean): Tensor {
  const d = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) d[i * n + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  return new Tensor(d, [m, n]);
}

/** The lower (or upper) triangle of a matrix from diagonal `k`, traced. */
export function tri(a: Tensor, k: number, lower: boolean): Tensor {
  return mul(a, triMask(a.shape[0], a.shape[1], k, lower));
}

/** The error for a singular or numerically singular matrix. */
export function singularError(
  op: string,
  shape: readonly number[],
  where: string,
  rcond: number,
  zeroPivot: number,
): ValueError {
  const cond = rcond > 0 ? (1 / rcond).toExponential(2) : "Infinity";
  const why = zeroPivot >= 0
    ? `it is singular (pivot ${zeroPivot} of its LU factorization is exactly 0; condition number Infinity)`
    : `it is singular to working precision (estimated condition number ${cond} in the 1-norm, ` +
      `above 1/eps = ${(1 / EPS).toExponential(2)})`;
  return new ValueError(
    `${op}: cannot ${op === "solve" ? "solve with" : "invert"} the ${
      fmtShape(shape.slice(-2))
    } matrix` +
      `${
        where === "" ? "" : `${where} of the ${fmtShape(shape)} input`
      }: ${why}; check for linearly dependent rows or columns, or use ` +
      `pinv for a least-squares answer`,
  );
}
