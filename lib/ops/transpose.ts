import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, stridesOf, Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "./operand.ts";

const transposePrim: Primitive<readonly number[]> = {
  name: "transpose",
  forward: ([a], perm) => {
    const A = raw(a);
    const shape = perm.map((p) => a.shape[p]);
    const out = allocate("transpose", shape);
    // The identity permutation moves nothing; sharing the never-mutated buffer is safe.
    if (perm.every((p, k) => p === k)) return new Tensor(A, shape);
    if (a.rank === 2) {
      const [m, n] = a.shape;
      // Blocked so both the reads and the writes stay in cache for large matrices.
      const B = 32;
      for (let i0 = 0; i0 < m; i0 += B) {
        for (let j0 = 0; j0 < n; j0 += B) {
          const i1 = Math.min(i0 + B, m), j1 = Math.min(j0 + B, n);
          for (let i = i0; i < i1; i++) {
            for (let j = j0; j < j1; j++) out[j * m + i] = A[i * n + j];
          }
        }
      }
      return new Tensor(out, shape);
    }
    const inStrides = stridesOf(a.shape);
    const strides = perm.map((p) => inStrides[p]);
    const counter = new Array(shape.length).fill(0);
    let src = 0;
    for (let i = 0; i < out.length; i++) {
      out[i] = A[src];
      for (let k = shape.length - 1; k >= 0; k--) {
        counter[k]++;
        src += strides[k];
        if (counter[k] < shape[k]) break;
        src -= strides[k] * counter[k];
        counter[k] = 0;
      }
    }
    return new Tensor(out, shape);
  },
  vjp: (g, _a, _out, perm) => [transpose(g, inversePerm(perm))],
  jvp: ([da], _a, _out, perm) => transpose(da, perm),
};

function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, k) => (inv[p] = k));
  return inv;
}

/**
 * Permutes the axes of `a`; by default reverses them (the matrix transpose `Aᵀ`), like
 * `numpy.transpose`. Axis `k` of the result is axis `perm[k]` of `a` (negative entries count
 * from the end).
 *
 * @example
 * ```ts
 * import { tensor, transpose, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray(), [[1, 4], [2, 5], [3, 6]]);
 * assertEquals(transpose(zeros([2, 3, 4]), [1, 0, 2]).shape, [3, 2, 4]);
 * ```
 */
export function transpose(a: Operand, perm?: readonly number[]): Tensor {
  const t = asTensor("transpose", a);
  if (perm !== undefined && !Array.isArray(perm)) {
    throw new ValueError(
      `transpose: perm must be an array of axes such as [1, 0], got ${describeValue(perm)}`,
    );
  }
  // Negative axes count from the end, as in NumPy.
  const p = perm === undefined
    ? [...t.shape.keys()].reverse()
    : perm.map((x) => (typeof x === "number" && x < 0 && x >= -t.rank ? x + t.rank : x));
  const ok = p.length === t.rank &&
    p.every((x) => Number.isInteger(x) && x >= 0 && x < t.rank) &&
    new Set(p).size === p.length;
  if (!ok) {
    throw new ShapeError(
      `transpose: perm ${
        fmtShape(perm ?? p)
      } is not a permutation of the axes of a tensor of shape ` +
        `${fmtShape(t.shape)}; give each of 0…${t.rank - 1} exactly once`,
    );
  }
  return bind(transposePrim, [t], p);
}
