import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { checkShape, raw, stridesOf, Tensor } from "../tensor.ts";
import { add } from "./add.ts";
import { mul } from "./mul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { sum } from "./sum.ts";

/** Both shapes left-padded with 1s to a common rank, as `numpy.kron` does. */
function padded(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const r = Math.max(a.length, b.length);
  return [
    [...Array(r - a.length).fill(1), ...a],
    [...Array(r - b.length).fill(1), ...b],
  ];
}

/** For each element of `shape` (row-major), its offset in the output: Σ index[k] · step[k]. */
function offsets(shape: readonly number[], step: readonly number[]): Int32Array {
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Int32Array(size);
  const counter = new Array(shape.length).fill(0);
  let off = 0;
  for (let i = 0; i < size; i++) {
    out[i] = off;
    for (let k = shape.length - 1; k >= 0; k--) {
      counter[k]++;
      off += step[k];
      if (counter[k] < shape[k]) break;
      off -= step[k] * counter[k];
      counter[k] = 0;
    }
  }
  return out;
}

/**
 * The gradient of one factor of `kron`: view `g` with each output axis split into its (a, b)
 * pair, multiply by the other factor spread over its own half of the pairs, and sum that half
 * away. Written with matcalc ops so that the rule can itself be differentiated.
 */
function kronFactorGrad(
  g: Tensor,
  pa: readonly number[],
  pb: readonly number[],
  other: Tensor,
  wantA: boolean,
  shape: readonly number[],
): Tensor {
  const r = pa.length;
  const split = pa.flatMap((d, k) => [d, pb[k]]);
  const otherShape = pa.flatMap((d, k) => (wantA ? [1, pb[k]] : [d, 1]));
  const axes = [...Array(r).keys()].map((k) => 2 * k + (wantA ? 1 : 0));
  const prod = mul(reshape(g, split), reshape(other, otherShape));
  return reshape(sum(prod, axes), shape);
}

/** The matrix case, filling the output row by row so every store is sequential. */
function kron2d(A: Float64Array, B: Float64Array, pa: number[], pb: number[]): Float64Array {
  const [m, n] = pa, [p, q] = pb;
  const out = allocate("kron", [m * p, n * q]);
  let o = 0;
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < p; k++) {
      for (let j = 0; j < n; j++) {
        const x = A[i * n + j], bk = k * q;
        for (let l = 0; l < q; l++) out[o++] = x * B[bk + l];
      }
    }
  }
  return out;
}

const kronPrim: Primitive = {
  name: "kron",
  forward: ([a, b]) => {
    const [pa, pb] = padded(a.shape, b.shape);
    const shape = pa.map((d, k) => d * pb[k]);
    checkShape("kron", shape);
    if (pa.length === 2) return new Tensor(kron2d(raw(a), raw(b), pa, pb), shape);
    const os = stridesOf(shape);
    // out[i·pb + j] = a[i]·b[j] on every axis, so the flat offset splits into an a-part and a
    // b-part that are precomputed once: the inner loop is then one multiply and one store.
    const offA = offsets(pa, os.map((s, k) => s * pb[k]));
    const offB = offsets(pb, os);
    const A = raw(a), B = raw(b);
    const out = allocate("kron", shape);
    for (let i = 0; i < A.length; i++) {
      const x = A[i], base = offA[i];
      for (let j = 0; j < B.length; j++) out[base + offB[j]] = x * B[j];
    }
    return new Tensor(out, shape);
  },
  vjp: (g, [a, b]) => {
    const [pa, pb] = padded(a.shape, b.shape);
    return [
      kronFactorGrad(g, pa, pb, b, true, a.shape),
      kronFactorGrad(g, pa, pb, a, false, b.shape),
    ];
  },
  // kron is bilinear: d(A⊗B) = dA⊗B + A⊗dB.
  jvp: ([da, db], [a, b]) => add(kron(da, b), kron(a, db)),
};

/**
 * Kronecker product `a ⊗ b`, with the shape rule of `numpy.kron`: both shapes are left-padded
 * with 1s to the same rank and the result has shape `shapeA[k] · shapeB[k]` on each axis, with
 * block `(i, …)` equal to `a[i, …] · b`.
 *
 * It is the bridge between matrix calculus and matrices: with column-stacking
 * {@linkcode vec}, `vec(A X B) = (Bᵀ ⊗ A) vec(X)`.
 *
 * @example `I₂ ⊗ B` repeats `B` on the diagonal
 * ```ts
 * import { eye, kron, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const B = tensor([[1, 2], [3, 4]]);
 * console.log(kron(eye(2), B));
 * // Tensor([[1, 2, 0, 0],
 * //         [3, 4, 0, 0],
 * //         [0, 0, 1, 2],
 * //         [0, 0, 3, 4]], shape=[4, 4])
 * assertEquals(kron(eye(2), B).toArray(), [
 *   [1, 2, 0, 0],
 *   [3, 4, 0, 0],
 *   [0, 0, 1, 2],
 *   [0, 0, 3, 4],
 * ]);
 * assertEquals(kron(tensor([1, 10]), tensor([1, 2, 3])).toArray(), [1, 2, 3, 10, 20, 30]);
 * assertEquals(kron(tensor([1, 2]), B).shape, [2, 4]);
 * ```
 */
export function kron(a: Operand, b: Operand): Tensor {
  const A = asTensor("kron", a), B = asTensor("kron", b);
  const [pa, pb] = padded(A.shape, B.shape);
  checkShape("kron", pa.map((d, k) => d * pb[k]));
  return bind(kronPrim, [A, B], undefined);
}
