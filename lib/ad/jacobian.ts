/**
 * Dense Jacobians. Convention, written once and used by every function here:
 * `jacobian(f, x).shape` is `[...f(x).shape, ...x.shape]` (as in JAX and PyTorch), so entry
 * `J[i…, j…]` is `∂f(x)[i…] / ∂x[j…]`. For `y = W x` with `W: [m, n]` that is `[m, m, n]` with
 * `J[i, j, k] = δᵢⱼ x[k]`.
 */
import { allocate } from "../alloc.ts";
import { raw, Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { broadcastTo } from "../ops/sum.ts";
import { stack } from "../ops/slice.ts";
import { asArgs } from "./args.ts";
import { backward, finish, forward, orderOf, session, type Trace, trace } from "./engine.ts";
import { checkDenseBudget } from "./budget.ts";
import { backwardBatch, batchable } from "./batched.ts";
import { tracerState } from "./state.ts";
import type { TensorFn } from "./grad.ts";

/**
 * The Jacobian of `f` at `x`, shape `[...f(x).shape, ...x.shape]`, built with whichever mode
 * needs fewer sweeps: {@linkcode jacrev} (one reverse sweep per output element) when `f(x)` has
 * at most as many elements as `x`, else {@linkcode jacfwd} (one forward sweep per input element).
 * `f` is traced once either way.
 *
 * Pass an array `[W, b]` to differentiate `f(W, b)` with respect to each: the result is an
 * array of Jacobians. The dense result is guarded by {@linkcode setDenseBudget}; for the
 * Jacobian of a linear map use a structured form such as {@linkcode jacobianOfMatmul}.
 *
 * @example `∂(W x)/∂W` has shape `[m, m, n]` and entries `δᵢⱼ x[k]`
 * ```ts
 * import { jacobian, matmul, tensor, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2, 3]);
 * const J = jacobian((W) => matmul(W, x), zeros([2, 3]));
 * assertEquals(J.shape, [2, 2, 3]);
 * assertEquals(J.toArray(), [[[1, 2, 3], [0, 0, 0]], [[0, 0, 0], [1, 2, 3]]]);
 * console.log(J);
 * // Tensor([[[1, 2, 3],
 * //          [0, 0, 0]],
 * //
 * //         [[0, 0, 0],
 * //          [1, 2, 3]]], shape=[2, 2, 3])
 * ```
 *
 * @example Several inputs: an MLP layer `tanh(W x + b)`
 * ```ts
 * import { add, jacobian, matmul, tanh, tensor, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2]);
 * const [JW, Jb] = jacobian((W, b) => tanh(add(matmul(W, x), b)), [zeros([3, 2]), zeros([3])]);
 * assertEquals(JW.shape, [3, 3, 2]);
 * assertEquals(Jb.toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
 * ```
 */
export function jacobian(f: TensorFn, x: Tensor): Tensor;
/** With an array `[W, b]`, one result per input, in order. */
export function jacobian(f: TensorFn, x: Tensor[]): Tensor[];
export function jacobian(f: TensorFn, x: Tensor | Tensor[]): Tensor | Tensor[] {
  return session(() => {
    const { xs, many } = asArgs("jacobian", x);
    const tr = trace("jacobian", f, xs);
    const inputs = xs.reduce((p, t) => p + t.size, 0);
    const Js = tr.out.size <= inputs
      ? revFromTrace("jacobian", tr, xs)
      : fwdFromTrace("jacobian", tr, xs);
    return many ? Js : Js[0];
  });
}

/**
 * The Jacobian by reverse mode, row by row: one backward sweep (a {@linkcode vjp} with a one-hot
 * cotangent) per element of `f(x)`, over a single trace of `f`. Cheap when `f(x)` is small and
 * `x` is big (a loss of many weights). Same shape and values as {@linkcode jacobian}.
 *
 * @example Same result as `jacfwd`
 * ```ts
 * import { jacfwd, jacrev, matmul, tensor, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2, 3]);
 * const f = (W: typeof x) => matmul(W, x);
 * assertEquals(jacrev(f, zeros([2, 3])).toArray(), jacfwd(f, zeros([2, 3])).toArray());
 * console.log(jacrev(f, zeros([2, 3])));
 * // Tensor([[[1, 2, 3],
 * //          [0, 0, 0]],
 * //
 * //         [[0, 0, 0],
 * //          [1, 2, 3]]], shape=[2, 2, 3])
 * assertEquals(jacrev(f, zeros([2, 3])).shape, [2, 2, 3]);
 * ```
 */
export function jacrev(f: TensorFn, x: Tensor): Tensor;
/** With an array `[W, b]`, one result per input, in order. */
export function jacrev(f: TensorFn, x: Tensor[]): Tensor[];
export function jacrev(f: TensorFn, x: Tensor | Tensor[]): Tensor | Tensor[] {
  return session(() => {
    const { xs, many } = asArgs("jacrev", x);
    const Js = revFromTrace("jacrev", trace("jacrev", f, xs), xs);
    return many ? Js : Js[0];
  });
}

/**
 * The Jacobian by forward mode, column by column: one forward sweep (a {@linkcode jvp} with a
 * one-hot tangent) per element of `x`, over a single trace of `f`. Cheap when `x` is small and
 * `f(x)` is big. Same shape and values as {@linkcode jacobian}.
 *
 * @example Same result as `jacrev`
 * ```ts
 * import { jacfwd, jacrev, matmul, tensor, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = tensor([1, 2, 3]);
 * const f = (W: typeof x) => matmul(W, x);
 * assertEquals(jacfwd(f, zeros([2, 3])).toArray(), jacrev(f, zeros([2, 3])).toArray());
 * console.log(jacfwd(f, zeros([2, 3])));
 * // Tensor([[[1, 2, 3],
 * //          [0, 0, 0]],
 * //
 * //         [[0, 0, 0],
 * //          [1, 2, 3]]], shape=[2, 2, 3])
 * ```
 */
export function jacfwd(f: TensorFn, x: Tensor): Tensor;
/** With an array `[W, b]`, one result per input, in order. */
export function jacfwd(f: TensorFn, x: Tensor[]): Tensor[];
export function jacfwd(f: TensorFn, x: Tensor | Tensor[]): Tensor | Tensor[] {
  return session(() => {
    const { xs, many } = asArgs("jacfwd", x);
    const Js = fwdFromTrace("jacfwd", trace("jacfwd", f, xs), xs);
    return many ? Js : Js[0];
  });
}

/** A one-hot tensor of `shape` with a 1 at flat index `i`. */
function oneHot(shape: readonly number[], size: number, i: number): Tensor {
  const d = new Float64Array(size);
  d[i] = 1;
  return new Tensor(d, shape);
}

/**
 * @internal Rows of the Jacobian by backward sweeps over `tr`. At top level the rows are copied
 * into one buffer; inside another transform they are joined with the differentiable `stack` op
 * so the enclosing transform can differentiate the Jacobian itself (hessian).
 */
export function revFromTrace(op: string, tr: Trace, xs: readonly Tensor[]): Tensor[] {
  const outShape = tr.out.shape, M = tr.out.size;
  const shapes = xs.map((x) => [...outShape, ...x.shape]);
  shapes.forEach((s) => checkDenseBudget(op, s));
  const nested = tracerState.transformDepth > 0;
  if (!nested && M > 1 && batchable(tr)) return revBatched(op, tr, xs, shapes);
  const bufs = xs.map((_, a) => (nested ? null : allocate(op, shapes[a])));
  const rows: Tensor[][] = xs.map(() => []);
  for (let i = 0; i < M; i++) {
    const gs = backward(tr, oneHot(outShape, M, i));
    gs.forEach((g, a) => {
      const buf = bufs[a];
      if (buf !== null) {
        if (g !== null) buf.set(raw(g), i * xs[a].size);
      } else rows[a].push(g ?? zeros(xs[a].shape));
    });
  }
  return xs.map((_, a) => {
    const buf = bufs[a];
    if (buf !== null) return new Tensor(buf, shapes[a]);
    return M === 0 ? zeros(shapes[a]) : finish(reshape(stack(rows[a]), shapes[a]));
  });
}

/**
 * Entries held by the intermediates of one batched sweep at most (32 MB): the rows of the
 * Jacobian go through in chunks of as many cotangents as fit.
 */
const BATCH_ENTRIES = 2 ** 22;

/**
 * Rows of the Jacobian by backward sweeps of many one-hot cotangents at once (see
 * `batched.ts`), at top level only: the result is a plain buffer, as in the row-by-row loop.
 */
function revBatched(
  op: string,
  tr: Trace,
  xs: readonly Tensor[],
  shapes: number[][],
): Tensor[] {
  const outShape = tr.out.shape, M = tr.out.size;
  const widest = Math.max(1, ...orderOf(tr).map((t) => t.size));
  const K = Math.max(1, Math.min(M, Math.floor(BATCH_ENTRIES / widest)));
  if (K === M && xs.length === 1) {
    // One sweep gives the whole Jacobian of the only input: its cotangent stack is a fresh
    // buffer built from the one-hot stack (never a caller's), so it is the result as it is.
    const G = allocate(op, [M, M]);
    for (let r = 0; r < M; r++) G[r * M + r] = 1;
    const [g] = backwardBatch(tr, new Tensor(G, [M, ...outShape]));
    if (g === null) return [new Tensor(allocate(op, shapes[0]), shapes[0])];
    return [new Tensor(raw(g), shapes[0])];
  }
  const bufs = xs.map((_, a) => allocate(op, shapes[a]));
  for (let i0 = 0; i0 < M; i0 += K) {
    const k = Math.min(K, M - i0), G = new Float64Array(k * M);
    for (let r = 0; r < k; r++) G[r * M + i0 + r] = 1;
    const gs = backwardBatch(tr, new Tensor(G, [k, ...outShape]));
    gs.forEach((g, a) => {
      if (g !== null) bufs[a].set(raw(g), i0 * xs[a].size);
    });
  }
  return xs.map((_, a) => new Tensor(bufs[a], shapes[a]));
}

/** @internal Columns of the Jacobian by forward sweeps over `tr`; see {@linkcode revFromTrace}. */
export function fwdFromTrace(op: string, tr: Trace, xs: readonly Tensor[]): Tensor[] {
  const outShape = tr.out.shape, M = tr.out.size;
  const shapes = xs.map((x) => [...outShape, ...x.shape]);
  shapes.forEach((s) => checkDenseBudget(op, s));
  const nested = tracerState.transformDepth > 0;
  const zs = xs.map((x) => zeros(x.shape));
  return xs.map((x, a) => {
    const N = x.size;
    const buf = nested ? null : allocate(op, shapes[a]);
    const cols: Tensor[] = [];
    for (let j = 0; j < N; j++) {
      const tangents = zs.slice();
      tangents[a] = oneHot(x.shape, N, j);
      let t = forward(tr, tangents);
      if (t !== null && t.size !== M) t = broadcastTo(t, outShape);
      if (buf !== null) {
        if (t === null) continue;
        const T = raw(t);
        for (let i = 0; i < M; i++) buf[i * N + j] = T[i];
      } else cols.push(t ?? zeros(outShape));
    }
    if (buf !== null) return new Tensor(buf, shapes[a]);
    if (N === 0 || M === 0) return zeros(shapes[a]);
    return finish(reshape(transpose(reshape(stack(cols), [N, M]), [1, 0]), shapes[a]));
  });
}
