/**
 * Elementwise ops with a parameter: `pow` by a constant exponent, `clip` to a range, and `where`
 * choosing between two tensors by a fixed condition. Each is a primitive whose rules multiply by
 * a local derivative written with matcalc ops.
 */
import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { broadcastIndex, broadcastShapes, mapData } from "./broadcast.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { zeros } from "../creation.ts";

const powPrim: Primitive<number> = {
  name: "pow",
  forward: ([a], p) => mapData(a, (x) => x ** p),
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
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(pow(tensor([1, 2, 3]), 2).toArray(), [1, 4, 9]);
 * assert.deepEqual(grad((x) => sum(pow(x, 3)), tensor([1, 2])).toArray(), [3, 12]);
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

interface ClipParams {
  lo: number;
  hi: number;
}

/** 1 where `lo < x < hi` (the clip is the identity there), else 0: a constant mask. */
function insideMask(x: Tensor, { lo, hi }: ClipParams): Tensor {
  return mapData(x, (v) => (v > lo && v < hi ? 1 : 0));
}

const clipPrim: Primitive<ClipParams> = {
  name: "clip",
  forward: ([a], { lo, hi }) => mapData(a, (x) => (x < lo ? lo : x > hi ? hi : x)),
  // Selecting, not multiplying by the mask: an Infinity arriving at a clipped entry (sqrt of a
  // clip at 0) must give that entry 0, not 0·Infinity = NaN.
  vjp: (g, [a], _out, params) => [where(insideMask(a, params), g, 0)],
  jvp: ([da], [a], _out, params) => where(insideMask(a, params), da, 0),
};

/**
 * Limits every element to `[lo, hi]`, like `numpy.clip`. The derivative is 1 strictly inside the
 * range and 0 outside (and at the bounds). Use `-Infinity`/`Infinity` for a one-sided clip.
 *
 * @example
 * ```ts
 * import { clip, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(clip(tensor([-2, 0.5, 3]), 0, 1).toArray(), [0, 0.5, 1]);
 * ```
 */
export function clip(a: Operand, lo: number, hi: number): Tensor {
  const t = asTensor("clip", a);
  if (typeof lo !== "number" || typeof hi !== "number" || Number.isNaN(lo) || Number.isNaN(hi)) {
    throw new ValueError(`clip: bounds must be numbers, got ${String(lo)} and ${String(hi)}`);
  }
  if (lo > hi) {
    throw new ValueError(`clip: lower bound ${lo} is above upper bound ${hi}; swap them`);
  }
  return bind(clipPrim, [t], { lo, hi });
}

const wherePrim: Primitive<Tensor> = {
  name: "where",
  forward: ([a, b], cond) => {
    const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, a.shape), b.shape);
    const size = shape.reduce((p, d) => p * d, 1);
    const C = raw(cond), A = raw(a), B = raw(b);
    // Same-shape or single-value operands (relu's and clip's rules: where(mask, g, 0)) need no
    // index arrays: a stride of 1 or 0 each.
    if ([C, A, B].every((X) => X.length === size || X.length === 1)) {
      const out = allocate("where", shape);
      const full = (X: Float64Array) => X.length === size;
      // One loop per pattern: strides multiplied in the index ran 2.5× slower.
      if (full(C) && full(A) && full(B)) {
        for (let i = 0; i < size; i++) out[i] = C[i] !== 0 ? A[i] : B[i];
      } else if (full(C) && full(A)) {
        const b = B[0];
        for (let i = 0; i < size; i++) out[i] = C[i] !== 0 ? A[i] : b;
      } else if (full(C) && full(B)) {
        const a = A[0];
        for (let i = 0; i < size; i++) out[i] = C[i] !== 0 ? a : B[i];
      } else {
        const sc = full(C) ? 1 : 0, sa = full(A) ? 1 : 0, sb = full(B) ? 1 : 0;
        for (let i = 0; i < size; i++) out[i] = C[i * sc] !== 0 ? A[i * sa] : B[i * sb];
      }
      return new Tensor(out, shape);
    }
    const ic = broadcastIndex(cond.shape, shape);
    const ia = broadcastIndex(a.shape, shape), ib = broadcastIndex(b.shape, shape);
    const out = allocate("where", shape);
    for (let i = 0; i < out.length; i++) out[i] = C[ic[i]] !== 0 ? A[ia[i]] : B[ib[i]];
    return new Tensor(out, shape);
  },
  // Masking (not multiplying the values by the mask) keeps an Infinity in the branch not taken
  // from turning the gradient into NaN.
  vjp: (g, _ins, _out, cond) => {
    // A constant zero: mul(g, 0) would turn an Infinity into NaN.
    const zero = zeros(g.shape);
    return [where(cond, g, zero), where(cond, zero, g)];
  },
  jvp: ([da, db], _ins, _out, cond) => where(cond, da, db),
};

/**
 * Picks `a` where `cond` is nonzero and `b` elsewhere, with broadcasting, like `numpy.where`.
 * The condition is a constant: derivatives flow to `a` and `b` only.
 *
 * @example
 * ```ts
 * import { where, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.deepEqual(where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).toArray(), [1, 0, 3]);
 * ```
 */
export function where(cond: Operand, a: Operand, b: Operand): Tensor {
  const c = asTensor("where", cond, "cond");
  const A = asTensor("where", a), B = asTensor("where", b);
  try {
    broadcastShapes("where", broadcastShapes("where", c.shape, A.shape), B.shape);
  } catch (e) {
    // Only a mismatch is reworded; a result too large to allocate says so itself.
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(
      `where: cannot broadcast cond ${fmtShape(c.shape)}, a ${fmtShape(A.shape)} and b ` +
        `${fmtShape(B.shape)} together: sizes on each axis must match or be 1`,
    );
  }
  // The condition is frozen into the params, so a traced cond does not carry derivatives.
  return bind(wherePrim, [A, B], new Tensor(raw(c), c.shape));
}
