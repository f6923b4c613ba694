import { allocate } from "../alloc.ts";
import { bind, type Primitive } from "../ad/node.ts";
import { fmtShape, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { keptShape, reducedShape, type Reduction, reductionArgs, sizeOf } from "./shape.ts";
import { reductionIndex } from "./broadcast.ts";
import { mul } from "./mul.ts";
import { where } from "./where.ts";
import type { Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { broadcastTo, sum } from "./sum.ts";

function extremum(
  a: Tensor,
  { axes, keepdims }: Reduction,
  better: (x: number, best: number) => boolean,
): Tensor {
  const kept = keptShape(a.shape, axes);
  const A = raw(a);
  const size = sizeOf(kept);
  const out = allocate("max", kept).fill(NaN);
  const seen = new Uint8Array(size);
  const idx = reductionIndex(a.shape, axes);
  for (let i = 0; i < A.length; i++) {
    const o = idx[i], x = A[i];
    // NaN propagates, as in numpy.max: once a cell holds NaN nothing replaces it.
    if (!seen[o]) {
      out[o] = x;
      seen[o] = 1;
    } else if (x !== x || better(x, out[o])) {
      if (out[o] === out[o]) out[o] = x;
    }
  }
  return new Tensor(out, reducedShape(a.shape, axes, keepdims));
}

/**
 * Where each element of `a` attains its cell's extremum, divided by how many elements tie there:
 * a constant (the extremum is piecewise linear), so it is built from raw buffers once and then
 * multiplied in with matcalc ops, which keeps the rules differentiable again.
 */
export function tieMask(a: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  const A = raw(a), M = raw(out);
  const idx = reductionIndex(a.shape, axes);
  const counts = new Float64Array(M.length);
  const hit = (x: number, m: number) => x === m || (x !== x && m !== m);
  for (let i = 0; i < A.length; i++) if (hit(A[i], M[idx[i]])) counts[idx[i]]++;
  const mask = new Float64Array(A.length);
  for (let i = 0; i < A.length; i++) {
    if (hit(A[i], M[idx[i]])) mask[i] = 1 / counts[idx[i]];
  }
  return new Tensor(mask, a.shape);
}

function reducePrim(name: string, better: (x: number, best: number) => boolean) {
  const prim: Primitive<Reduction> = {
    name,
    forward: ([a], params) => extremum(a, params, better),
    vjp: (g, [a], out, { axes }) => {
      const kept = keptShape(a.shape, axes);
      const mask = tieMask(a, reshape(out, kept), axes);
      // Entries that are not the extremum get 0 outright (0·Infinity would be NaN).
      return [where(mask, mul(broadcastTo(reshape(g, kept), a.shape), mask), 0)];
    },
    jvp: ([da], [a], out, { axes, keepdims }) => {
      const mask = tieMask(a, reshape(out, keptShape(a.shape, axes)), axes);
      return sum(where(mask, mul(da, mask), 0), axes, { keepdims });
    },
  };
  return prim;
}

const maxPrim = reducePrim("max", (x, best) => x > best);
const minPrim = reducePrim("min", (x, best) => x < best);

function reduce(
  name: "max" | "min",
  prim: Primitive<Reduction>,
  a: Operand,
  axis: number | readonly number[] | undefined,
  opts: { keepdims?: boolean },
): Tensor {
  const { t, axes, keepdims } = reductionArgs(name, a, axis, opts);
  if (axes.some((k) => t.shape[k] === 0)) {
    throw new ValueError(
      `${name}: cannot reduce a tensor of shape ${fmtShape(t.shape)} over axes ` +
        `[${axes.join(", ")}]: an empty axis has no ${name === "max" ? "maximum" : "minimum"}; ` +
        `reduce over non-empty axes only`,
    );
  }
  return bind(prim, [t], { axes, keepdims });
}

/**
 * Largest element over `axis` (all axes when omitted), like `numpy.max`; `NaN` propagates.
 *
 * Derivative: the gradient flows to the positions that attain the maximum; when several tie,
 * it is split evenly among them (as in TensorFlow), so the rule is symmetric and the VJP and
 * JVP agree with each other.
 *
 * @example Column maxima and the gradient of the overall maximum
 * ```ts
 * import { grad, max, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 5, 2], [4, 0, 6]]);
 * assertEquals(max(A).item(), 6);
 * assertEquals(max(A, 0).toArray(), [4, 5, 6]);
 * assertEquals(max(A, 1, { keepdims: true }).toArray(), [[5], [6]]);
 * // Ties share the gradient: two 3s get 0.5 each.
 * assertEquals(grad((x) => max(x), tensor([3, 1, 3])).toArray(), [0.5, 0, 0.5]);
 * ```
 */
export function max(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  return reduce("max", maxPrim, a, axis, opts);
}

/**
 * Smallest element over `axis` (all axes when omitted), like `numpy.min`; `NaN` propagates.
 * The gradient is split evenly among tied minima, as for {@linkcode max}.
 *
 * @example
 * ```ts
 * import { min, tensor } from "matcalc";
 * import { assertEquals, assertStrictEquals } from "@std/assert";
 *
 * const A = tensor([[1, 5, 2], [4, 0, 6]]);
 * assertStrictEquals(min(A).item(), 0);
 * assertEquals(min(A, 1).toArray(), [1, 0]);
 * ```
 */
export function min(
  a: Operand,
  axis?: number | readonly number[],
  opts: { keepdims?: boolean } = {},
): Tensor {
  return reduce("min", minPrim, a, axis, opts);
}
