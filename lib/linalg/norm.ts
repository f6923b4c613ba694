/**
 * `norm`: NumPy's vector and matrix norms (`numpy.linalg.norm`), composed from differentiable
 * ops, so `grad`, `jacfwd` and `hessian` work through every order without rules of their own.
 *
 * At 0 the 2-norm (and Frobenius, and any p-norm) has no derivative. JAX's `jnp.linalg.norm`
 * gives NaN there (0/0 from `x / ‖x‖`); we follow PyTorch and return the subgradient 0, which
 * is finite, lies in the subdifferential (the unit ball), and keeps a regularizer `λ‖w‖` from
 * poisoning a gradient step with NaN when `w` starts at 0. It is made with the double-`where`
 * trick (the square root never sees the 0), so the value is also exactly 0.
 *
 * @module
 */
import { checkOptions, describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { normalizeAxes } from "../ops/shape.ts";
import { abs, sqrt } from "../ops/unary.ts";
import { mul } from "../ops/mul.ts";
import { pow } from "../ops/pow.ts";
import { where } from "../ops/where.ts";
import { max, min } from "../ops/max.ts";
import { sum } from "../ops/sum.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { svdValues } from "./svd_values.ts";
import { finiteInput } from "./common.ts";

/** A norm's order: a number (`Infinity`, `-Infinity` included), `"fro"` or `"nuc"`. */
export type NormOrder = number | "fro" | "nuc";

/** Options of {@linkcode norm}. */
export interface NormOptions {
  /** One axis (a vector norm along it) or two (a matrix norm over them). Default: see norm. */
  axis?: number | readonly number[];
  /** Keep the reduced axes with size 1, so the result broadcasts against `x`. Default false. */
  keepdims?: boolean;
}

function fmtOrder(o: unknown): string {
  return typeof o === "string"
    ? JSON.stringify(o)
    : typeof o === "number"
    ? String(o)
    : describeValue(o);
}

/** A constant 0/1 tensor: 1 where `t` is exactly 0. */
function zeroMask(t: Tensor): Tensor {
  const T = raw(t), m = new Float64Array(T.length);
  for (let i = 0; i < T.length; i++) m[i] = T[i] === 0 ? 1 : 0;
  return new Tensor(m, t.shape);
}

/**
 * `s^(1/p)` for sums `s ≥ 0`, with the derivative at `s = 0` taken as 0 (see the module note):
 * the root sees 1 there, and `where` passes no gradient back through the unused branch.
 */
function safeRoot(s: Tensor, p: number): Tensor {
  const z = zeroMask(s);
  const safe = where(z, 1, s);
  return where(z, 0, p === 2 ? sqrt(safe) : pow(safe, 1 / p));
}

function vectorNorm(x: Tensor, ord: number, axes: number[]): Tensor {
  if (ord === Infinity) return max(abs(x), axes);
  if (ord === -Infinity) return min(abs(x), axes);
  // The count of nonzeros: piecewise constant, so a constant (derivative 0 everywhere).
  if (ord === 0) return sum(new Tensor(raw(zeroMask(x)).map((v) => 1 - v), x.shape), axes);
  if (ord === 1) return sum(abs(x), axes);
  if (ord === 2) return safeRoot(sum(mul(x, x), axes), 2);
  if (ord < 0) {
    // Σ|xᵢ|^p with p < 0 is Infinity at a zero entry, and the norm 0, as in NumPy.
    return pow(sum(pow(abs(x), ord), axes), 1 / ord);
  }
  return safeRoot(sum(pow(abs(x), ord), axes), ord);
}

function matrixNorm(x: Tensor, ord: NormOrder, [r, c]: [number, number]): Tensor {
  if (ord === "fro") return safeRoot(sum(mul(x, x), [r, c]), 2);
  // After summing one axis away, the other moves down by one if it came after it.
  const after = (keep: number, gone: number) => (keep > gone ? keep - 1 : keep);
  if (ord === 1) return max(sum(abs(x), r), after(c, r));
  if (ord === -1) return min(sum(abs(x), r), after(c, r));
  if (ord === Infinity) return max(sum(abs(x), c), after(r, c));
  if (ord === -Infinity) return min(sum(abs(x), c), after(r, c));
  // The singular values of each matrix over (r, c), moved to the last two axes.
  const rest = x.shape.map((_, k) => k).filter((k) => k !== r && k !== c);
  finiteInput(`norm (ord ${ord})`, x, "x");
  const s = svdValues(transpose(x, [...rest, r, c]));
  if (ord === "nuc") return sum(s, -1);
  if (ord === 2) return max(s, -1);
  return min(s, -1);
}

/**
 * A vector or matrix norm, like `numpy.linalg.norm(x, ord, axis, keepdims)`.
 *
 * Which norm:
 * - no `axis`, no `ord`: the 2-norm of all entries (Frobenius for a matrix), any rank;
 * - no `axis` with `ord`: `x` must be a vector (vector norm) or a matrix (matrix norm);
 * - `axis: k`: vector norms along axis `k`; `axis: [r, c]`: matrix norms of the `(r, c)` slices.
 *
 * Orders for vectors: `2` (default), `1`, `Infinity` (max |xᵢ|), `-Infinity` (min |xᵢ|), `0`
 * (the count of nonzeros), any other `p` (`(Σ|xᵢ|ᵖ)^(1/p)`). For matrices: `"fro"` (default),
 * `"nuc"` (sum of singular values), `1`/`-1` (max/min column sum of |aᵢⱼ|), `Infinity`/
 * `-Infinity` (max/min row sum), `2`/`-2` (largest/smallest singular value).
 *
 * Derivatives: through the ops it is made of. At `x = 0` the 2-norm, the Frobenius norm and
 * p-norms give the subgradient 0 (as PyTorch; JAX gives NaN); `1`, `Infinity` and the max/min
 * sums take |x|' = 0 at 0 and split ties evenly (as {@linkcode max}). `"nuc"`, `2` and `-2` are
 * differentiable where the singular values involved are distinct and nonzero.
 *
 * @example Vectors, matrices, and the gradient `x / ‖x‖` (0 at 0)
 * ```ts
 * import { assertAllClose, grad, norm, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * const v = tensor([3, -4]);
 * assertEquals(norm(v).item(), 5);
 * assertEquals(norm(v, 1).item(), 7);
 * assertEquals(norm(v, Infinity).item(), 4);
 * const A = tensor([[1, -2], [3, 4]]);
 * assertAlmostEquals(norm(A).item(), Math.sqrt(30));
 * assertEquals(norm(A, 1).item(), 6); // largest column sum
 * assertEquals(norm(A, Infinity).item(), 7); // largest row sum
 * assertEquals(norm(A, undefined, { axis: 1 }).toArray(), [Math.sqrt(5), 5]);
 * assertAllClose(grad((x) => norm(x), v), [0.6, -0.8]);
 * assertEquals(grad((x) => norm(x), tensor([0, 0])).toArray(), [0, 0]);
 * ```
 */
export function norm(x: Operand, ord?: NormOrder | null, opts: NormOptions = {}): Tensor {
  checkOptions("norm", opts, ["axis", "keepdims"], ["keepdims"]);
  const t = asTensor("norm", x);
  const keepdims = opts.keepdims ?? false;
  let axes: number[];
  if (opts.axis === undefined || opts.axis === null) {
    if (ord === undefined || ord === null) {
      // NumPy's fast path: the 2-norm of everything, whatever the rank.
      const out = safeRoot(sum(mul(t, t)), 2);
      return keepdims ? reshape(out, t.shape.map(() => 1)) : out;
    }
    if (t.rank !== 1 && t.rank !== 2) {
      throw new ShapeError(
        `norm: cannot take the order-${String(ord)} norm of a tensor of shape ` +
          `${fmtShape(t.shape)} without an axis: give axis (one for vector norms, two for ` +
          `matrix norms), or pass a vector or a matrix`,
      );
    }
    axes = t.rank === 1 ? [0] : [0, 1];
  } else {
    const ax = opts.axis;
    if (typeof ax !== "number" && !(Array.isArray(ax) && (ax.length === 1 || ax.length === 2))) {
      throw new ValueError(
        `norm: axis must be one integer (vector norms) or two (matrix norms), got ` +
          `${describeValue(ax)}`,
      );
    }
    const list = typeof ax === "number" ? [ax] : [...ax];
    normalizeAxes("norm", list, t.shape); // range and repeat checks
    // Matrix norms are not symmetric in (row, column): keep the order given.
    axes = list.map((a) => (a < 0 ? a + t.rank : a));
  }
  let out: Tensor;
  if (axes.length === 1) {
    const o = ord ?? 2;
    if (typeof o !== "number" || Number.isNaN(o)) {
      throw new ValueError(
        `norm: invalid order ${fmtOrder(o)} for a vector norm: use a number (1, 2, ` +
          `Infinity, -Infinity, 0, or any p); "fro" and "nuc" are matrix norms (give two axes)`,
      );
    }
    out = vectorNorm(t, o, axes);
  } else {
    const o = ord ?? "fro";
    if (![2, -2, 1, -1, Infinity, -Infinity, "fro", "nuc"].includes(o)) {
      throw new ValueError(
        `norm: invalid order ${fmtOrder(o)} for a matrix norm: use "fro", "nuc", 1, -1, ` +
          `2, -2, Infinity or -Infinity`,
      );
    }
    out = matrixNorm(t, o, axes as [number, number]);
  }
  return keepdims ? reshape(out, t.shape.map((d, k) => (axes.includes(k) ? 1 : d))) : out;
}
