import { allocate, checkResultSize } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ShapeError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { backend } from "../backend/backend.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { add } from "./add.ts";
import { broadcastTo } from "./sum.ts";

/** Whether each operand is used transposed: `[ta, tb]` gives `op(a) · op(b)`. */
type Transposes = readonly [boolean, boolean];
const PLAIN: Transposes = [false, false];

/**
 * The matrix × matrix primitive `op(a) · op(b)`, `op(x)` being `x` or `xᵀ` (of the last two
 * axes), over any leading batch axes, which both operands have alike (the public `matmul`
 * broadcasts them first); vectors are reshaped to matrices around it. The public `matmul` uses
 * no transposes; the VJP uses them so that `G Bᵀ` and `Aᵀ G` are computed from `B` and `A` as
 * stored, without transposed copies.
 */
const matmulPrim: Primitive<Transposes> = {
  name: "matmul",
  forward: ([a, b], [ta, tb]) => {
    const r = a.rank, batch = a.shape.slice(0, r - 2);
    const m = ta ? a.shape[r - 1] : a.shape[r - 2], k = ta ? a.shape[r - 2] : a.shape[r - 1];
    const n = tb ? b.shape[r - 2] : b.shape[r - 1];
    const be = backend();
    if (r === 2) return new Tensor(be.gemm(raw(a), raw(b), m, k, n, ta, tb), [m, n]);
    const count = batch.reduce((p, d) => p * d, 1);
    const A = raw(a), B = raw(b), C = allocate("matmul", [...batch, m, n]);
    for (let i = 0; i < count; i++) {
      be.gemmInto(
        A.subarray(i * m * k, (i + 1) * m * k),
        B.subarray(i * k * n, (i + 1) * k * n),
        C.subarray(i * m * n, (i + 1) * m * n),
        m,
        k,
        n,
        ta,
        tb,
      );
    }
    return new Tensor(C, [...batch, m, n]);
  },
  // C = A B  ⇒  dA = G Bᵀ, dB = Aᵀ G; with op(·) on either side the transposes move around
  // (e.g. C = Aᵀ B ⇒ dA = B Gᵀ). A constant operand (no autodiff node) gets no cotangent:
  // the engine would drop it, so it is not computed. Batch axes go along unchanged.
  vjp: (g, [a, b], _out, [ta, tb]) => [
    a._node === undefined ? null : ta ? mm(b, g, tb, true) : mm(g, b, false, !tb),
    b._node === undefined ? null : tb ? mm(g, a, true, ta) : mm(a, g, !ta, false),
  ],
  jvp: ([da, db], [a, b], _out, t) => add(mm(da, b, t[0], t[1]), mm(a, db, t[0], t[1])),
};

/** `op(a) · op(b)` for matrices (or equal stacks of them) whose shapes the caller has checked. */
function mm(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  return bind(matmulPrim, [a, b], ta || tb ? [ta, tb] : PLAIN);
}

/**
 * @internal `op(a) · op(b)` for matrices, `op(x)` being `xᵀ` when its flag is set, without
 * transposed copies (the backend reads the operand as stored). Differentiable.
 */
export function matmulT(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  const k = ta ? a.shape[0] : a.shape[1], k2 = tb ? b.shape[1] : b.shape[0];
  if (a.rank !== 2 || b.rank !== 2 || k !== k2) {
    throw new ShapeError(
      `matmul: cannot multiply ${fmtShape(a.shape)}${ta ? "ᵀ" : ""} by ` +
        `${fmtShape(b.shape)}${tb ? "ᵀ" : ""}: inner dimensions ${k} and ${k2} differ`,
    );
  }
  return mm(a, b, ta, tb);
}

/**
 * Matrix product, like `numpy.matmul`: matrix × matrix, matrix × vector (`[m, n] × [n] → [m]`),
 * vector × matrix (`[m] × [m, n] → [n]`), vector · vector (a scalar), and stacks of matrices:
 * `[..., m, k] × [..., k, n] → [..., m, n]`, the leading (batch) axes broadcast as in `add`. A
 * vector operand takes part as a matrix of one row (left) or one column (right) that is dropped
 * from the result.
 *
 * @example `y = W x`
 * ```ts
 * import { matmul, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const W = tensor([[1, 2, 3], [4, 5, 6]]);
 * const x = tensor([1, 0, -1]);
 * assertEquals(matmul(W, x).toArray(), [-2, -2]);
 * console.log(matmul(W, x));
 * // Tensor([-2, -2], shape=[2])
 * assertEquals(matmul(W, tensor([[1], [1], [1]])).toArray(), [[6], [15]]);
 * ```
 *
 * @example A batch of products, with the batch axis broadcast
 * ```ts
 * import { matmul, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[[1, 0], [0, 1]], [[2, 0], [0, 3]]]); // [2, 2, 2]
 * const B = tensor([[[1, 2], [3, 4]]]); // [1, 2, 2], broadcast to [2, 2, 2]
 * assertEquals(matmul(A, B).toArray(), [[[1, 2], [3, 4]], [[2, 4], [9, 12]]]);
 * assertEquals(matmul(A, tensor([1, 1])).toArray(), [[1, 1], [2, 3]]);
 * ```
 */
export function matmul(a: Operand, b: Operand): Tensor {
  const A = asTensor("matmul", a), B = asTensor("matmul", b);
  if (A.rank < 1 || B.rank < 1) {
    throw new ShapeError(
      `matmul: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: operands must be ` +
        `vectors, matrices or stacks of matrices (rank 1 or more); use mul for scalars`,
    );
  }
  const a2 = A.rank === 1 ? reshape(A, [1, A.shape[0]]) : A;
  const b2 = B.rank === 1 ? reshape(B, [B.shape[0], 1]) : B;
  const ra = a2.rank, rb = b2.rank;
  const m = a2.shape[ra - 2], k = a2.shape[ra - 1], n = b2.shape[rb - 1];
  if (k !== b2.shape[rb - 2]) {
    throw new ShapeError(
      `matmul: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: inner dimensions ` +
        `${k} and ${b2.shape[rb - 2]} differ`,
    );
  }
  // The result's shape, before a vector operand's axis is dropped.
  let c: Tensor;
  if (ra === 2 && rb === 2) {
    checkResultSize("matmul", [m, n]);
    c = bind(matmulPrim, [a2, b2], PLAIN);
  } else if (rb === 2) {
    // A stack times one matrix is one product with the batch folded into the rows.
    const batch = a2.shape.slice(0, ra - 2);
    checkResultSize("matmul", [...batch, m, n]);
    const rows = batch.reduce((p, d) => p * d, m);
    const flat = bind(matmulPrim, [reshape(a2, [rows, k]), b2], PLAIN);
    c = reshape(flat, [...batch, m, n]);
  } else {
    const ba = a2.shape.slice(0, ra - 2), bb = b2.shape.slice(0, rb - 2);
    let batch: number[];
    try {
      batch = broadcastShape(ba, bb);
    } catch {
      throw new ShapeError(
        `matmul: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: batch axes ` +
          `${fmtShape(ba)} and ${fmtShape(bb)} do not broadcast (sizes must match or be 1)`,
      );
    }
    checkResultSize("matmul", [...batch, m, n]);
    const ea = sameShape(ba, batch) ? a2 : broadcastTo(a2, [...batch, m, k]);
    const eb = sameShape(bb, batch) ? b2 : broadcastTo(b2, [...batch, k, n]);
    c = bind(matmulPrim, [ea, eb], PLAIN);
  }
  if (A.rank !== 1 && B.rank !== 1) return c;
  const shape = c.shape.slice(0, c.rank - 2);
  if (A.rank !== 1) shape.push(m);
  if (B.rank !== 1) shape.push(n);
  return reshape(c, shape);
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length), out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1, y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error("no broadcast");
    out.push(x === 1 ? y : x);
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
