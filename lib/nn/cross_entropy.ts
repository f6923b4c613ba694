import { allocate } from "../alloc.ts";
import { describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { tracerState } from "../ad/state.ts";
import { add } from "../ops/add.ts";
import { div } from "../ops/div.ts";
import { mean } from "../ops/mean.ts";
import { mul } from "../ops/mul.ts";
import { neg } from "../ops/neg.ts";
import { sub } from "../ops/sub.ts";
import { where } from "../ops/where.ts";
import { sum } from "../ops/sum.ts";
import { asTensor } from "../ops/operand.ts";
import { logSoftmax, shiftAt, softmax } from "./softmax.ts";

/**
 * Softmax cross-entropy between `logits` (`[batch, classes]`, `[classes]` for one example, or
 * `[..., classes]` with more leading axes) and `labels`, averaged over everything but the class
 * axis: `mean(−Σ_c labels[c] · logSoftmax(logits)[c])`.
 *
 * `labels` is either a one-hot (or probability) tensor shaped like `logits`, or integer class
 * indices: a tensor or array of shape `[batch]` (a number or `[]`-shaped tensor for 1-D
 * logits). One-hot or probability labels must be finite and ≥ 0, and logits need two classes
 * or more (with one, the loss is 0 whatever the labels). Computed from
 * {@linkcode logSoftmax}, so it never overflows on its own: it is finite for every finite logit
 * whenever the exact loss is (for `[1e308, −1e308]` and label 1 the exact loss, 2e308, is past
 * the largest float64, so the answer is `Infinity`, never `NaN`). Logits with no examples (a
 * batch of 0) throw a `ValueError`, since their mean loss would be 0/0. Its
 * gradient with respect to the logits is `(softmax(logits) − onehot) / batch`; for
 * `logits = W x` that gives `∂L/∂W = (softmax(W x) − onehot) xᵀ`.
 *
 * @example Class indices or one-hot rows give the same loss
 * ```ts
 * import { crossEntropy, tensor } from "matcalc";
 * import { assertEquals, assertStrictEquals } from "@std/assert";
 *
 * const logits = tensor([[0, 0], [1000, -1000]]);
 * assertStrictEquals(crossEntropy(logits, [0, 0]).item(), Math.log(2) / 2);
 * assertStrictEquals(crossEntropy(logits, tensor([[1, 0], [1, 0]])).item(), Math.log(2) / 2);
 * assertEquals(crossEntropy(tensor([1000, -1000]), 1).item(), 2000);
 * ```
 *
 * @example Logits that span more than the float range stay exact
 * ```ts
 * import { crossEntropy, grad, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const z = tensor([[1e308, -1e308, 0]]);
 * assertEquals(crossEntropy(z, [0]).item(), 0);
 * assertEquals(crossEntropy(z, [2]).item(), 1e308);
 * assertEquals(grad((z) => crossEntropy(z, [0]), z).toArray(), [[0, 0, 0]]);
 * ```
 */
export function crossEntropy(
  logits: Tensor,
  labels: Tensor | readonly number[] | number,
): Tensor {
  const z = asTensor("crossEntropy", logits, "logits");
  if (z.rank < 1) {
    throw new ShapeError(
      `crossEntropy: logits must have a class axis (rank ≥ 1), got shape ${fmtShape(z.shape)}`,
    );
  }
  const target = targetsFor(z, labels);
  // Finite logits, the training case, take the fused primitive; the rest (a masked class's
  // -Infinity, an Infinity, a NaN) and empty logits take the composite it fuses.
  if (z.size > 0 && allFinite(raw(z))) return bind(crossEntropyPrim, [z, target], undefined);
  const ls = logSoftmax(z, -1);
  // A logit of -Infinity (a masked class) has logSoftmax -Infinity, and 0 · -Infinity is NaN;
  // a label of 0 there contributes 0 (the 0 · log 0 = 0 convention), as gathering would give.
  const T = raw(target), L = raw(ls);
  let masked = false;
  for (let i = 0; i < L.length && !masked; i++) masked = T[i] === 0 && L[i] === -Infinity;
  // Without a masked class the mask is all ones and `where` would return the products as they
  // are (values and derivatives), at about a tenth of a training step's cost: skip it.
  let terms = mul(target, ls);
  if (masked) {
    const keep = new Float64Array(L.length);
    for (let i = 0; i < L.length; i++) keep[i] = T[i] !== 0 || L[i] !== -Infinity ? 1 : 0;
    terms = where(new Tensor(keep, ls.shape), terms, 0);
  }
  const perExample = neg(sum(terms, -1));
  return mean(perExample);
}

function allFinite(Z: Float64Array): boolean {
  for (let i = 0; i < Z.length; i++) if (!Number.isFinite(Z[i])) return false;
  return true;
}

/**
 * The composite above (`logSoftmax`, `mul`, `sum`, `neg`, `mean`) as one primitive, for finite
 * logits: a training step calls it every time, and the composite's five ops and their buffers,
 * each way, took a fifth of an MNIST step. The forward does the composite's arithmetic in its
 * order (same bits); the rules are its derivative written out, with `R` rows and `p = softmax(z)`:
 * `∂L/∂z = g (p Σt − t) / R`, `∂L/∂t = −g logSoftmax(z) / R`.
 */
const crossEntropyPrim: Primitive = {
  name: "crossEntropy",
  forward: ([z, t]) => {
    const Z = raw(z), T = raw(t), C = z.shape[z.rank - 1], R = z.size / C;
    let total = 0;
    for (let r = 0; r < R; r++) {
      const base = r * C, m = shiftAt(Z, base, C, 1);
      let S = 0;
      for (let c = 0; c < C; c++) S += Math.exp(Z[base + c] - m);
      // (z − m) − log S, not z − (m + log S): with m = 1e308, m + log 2 rounds to m and the
      // loss of [1e308, 1e308] would be 0 instead of log 2.
      const logS = Math.log(S);
      let s = 0;
      // z − m overflows to −Infinity when the logits span more than the float range
      // ([1e308, −1e308]); a label of 0 there contributes 0 (0 · log 0 = 0), not 0 · −∞ = NaN.
      for (let c = 0; c < C; c++) {
        if (T[base + c] !== 0) s += T[base + c] * (Z[base + c] - m - logS);
      }
      total += -s;
    }
    return new Tensor(new Float64Array([total / R]), []);
  },
  vjp: (g, [z, t]) => {
    const R = z.size / z.shape[z.rank - 1];
    if (!tracerState.record) {
      // The outermost sweep (nothing records) needs numbers: one pass over the rows.
      return [
        z._node === undefined ? null : new Tensor(logitsCotangent(g.item() / R, z, t), z.shape),
        t._node === undefined ? null : mul(-g.item() / R, logSoftmax(z, -1)),
      ];
    }
    const gR = div(g, R);
    return [
      z._node === undefined ? null : mul(gR, dLogits(z, t)),
      t._node === undefined ? null : mul(neg(gR), logSoftmax(z, -1)),
    ];
  },
  jvp: ([dz, dt], [z, t]) => {
    const R = z.size / z.shape[z.rank - 1];
    const fromZ = sum(mul(dLogits(z, t), dz));
    // Constant labels get a zero tangent; skipping it keeps 0 · logSoftmax = 0 · −∞ (logits
    // spanning more than the float range) from making the derivative NaN.
    if (dt._node === undefined && raw(dt).every((v) => v === 0)) return div(fromZ, R);
    const fromT = neg(sum(mul(logSoftmax(z, -1), dt)));
    return div(add(fromZ, fromT), R);
  },
};

/**
 * @internal `p Σt − t` row by row, `p = softmax(z)`: R · ∂L/∂z per unit of g, as matcalc ops.
 */
export function dLogits(z: Tensor, t: Tensor): Tensor {
  return sub(mul(softmax(z, -1), sum(t, -1, { keepdims: true })), t);
}

/** `k (p Σt − t)` row by row on buffers, `p = softmax(z)` with logSoftmax's shift. */
function logitsCotangent(k: number, z: Tensor, t: Tensor): Float64Array {
  const Z = raw(z), T = raw(t), C = z.shape[z.rank - 1], out = new Float64Array(Z.length);
  for (let base = 0; base < Z.length; base += C) {
    const m = shiftAt(Z, base, C, 1);
    let S = 0, ts = 0;
    for (let c = 0; c < C; c++) {
      out[base + c] = Math.exp(Z[base + c] - m);
      S += out[base + c];
      ts += T[base + c];
    }
    for (let c = 0; c < C; c++) out[base + c] = k * ((out[base + c] / S) * ts - T[base + c]);
  }
  return out;
}

/**
 * One-hot or probability labels must be finite and non-negative: a negative weight makes the
 * loss negative and rewards the wrong class, and a NaN would spread into every gradient. Only
 * reading them, so derivatives with respect to the labels are untouched.
 */
function checkProbabilities(y: Tensor): void {
  const Y = raw(y);
  for (let i = 0; i < Y.length; i++) {
    if (!(Y[i] >= 0 && Y[i] < Infinity)) {
      throw new ValueError(
        `crossEntropy: label ${Y[i]} at flat index ${i} of labels shaped ${fmtShape(y.shape)}; ` +
          `one-hot or probability labels must be finite and ≥ 0 (class indices go in a ` +
          `tensor of shape [batch])`,
      );
    }
  }
}

function targetsFor(z: Tensor, labels: unknown): Tensor {
  const batch = z.shape.slice(0, -1), C = z.shape[z.rank - 1];
  let y: Tensor;
  if (labels instanceof Tensor) y = labels;
  else if (typeof labels === "number") y = new Tensor(new Float64Array([labels]), []);
  else if (Array.isArray(labels) && labels.every((v) => typeof v === "number")) {
    y = new Tensor(Float64Array.from(labels), [labels.length]);
  } else {
    throw new ValueError(
      `crossEntropy: labels must be a Tensor, an array of class indices or a number, got ` +
        `${describeValue(labels)}`,
    );
  }
  if (C === 0) {
    throw new ValueError(
      `crossEntropy: logits of shape ${fmtShape(z.shape)} have no classes (the last axis is ` +
        `empty); give two logits or more per example`,
    );
  }
  if (z.size === 0) {
    throw new ValueError(
      `crossEntropy: logits of shape ${fmtShape(z.shape)} hold no examples: the mean loss of ` +
        `an empty batch is 0/0, which would be NaN; check the data (an empty minibatch?)`,
    );
  }
  if (C === 1) {
    // softmax over one class is 1, so the loss would be 0 and its gradient 0 whatever the
    // labels: training would silently do nothing.
    throw new ValueError(
      `crossEntropy: logits of shape ${fmtShape(z.shape)} have one class, so softmax is 1 and ` +
        `the loss is 0 whatever the labels; for a yes/no target give two logits per example ` +
        `(e.g. [z, 0]), or use sigmoid(z) with a binary cross-entropy built from ops`,
    );
  }
  if (y.rank === z.rank && y.shape.every((d, k) => d === z.shape[k])) {
    checkProbabilities(y);
    return y;
  }
  if (y.rank !== batch.length || y.shape.some((d, k) => d !== batch[k])) {
    throw new ShapeError(
      `crossEntropy: cannot match labels of shape ${fmtShape(y.shape)} with logits of shape ` +
        `${fmtShape(z.shape)}: pass one-hot labels of shape ${fmtShape(z.shape)} or class ` +
        `indices of shape ${fmtShape(batch)}`,
    );
  }
  // Class indices are discrete: there is nothing to differentiate, so reading them is safe.
  const Y = raw(y);
  const onehot = allocate("crossEntropy", z.shape);
  for (let i = 0; i < Y.length; i++) {
    const c = Y[i];
    if (!Number.isInteger(c) || c < 0 || c >= C) {
      throw new ValueError(
        `crossEntropy: label ${c} at index ${i} is not a class index in [0, ${C}); class ` +
          `indices must be integers from 0 to ${C - 1}, or pass one-hot labels shaped like logits`,
      );
    }
    onehot[i * C + c] = 1;
  }
  return new Tensor(onehot, z.shape);
}
