/**
 * @internal Shape helpers and the front end shared by every reduction (sum, mean, prod, max,
 * min, argmax, logsumexp): one place for axis normalization, option checks and the shapes a
 * reduction produces.
 *
 * @module
 */
import { checkOptions, describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { asTensor, type Operand } from "./operand.ts";

/** @internal The number of elements of a tensor of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** @internal Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** @internal `shape` with `axes` set to 1: what a reduction over `axes` gives with keepdims. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, k) => (axes.includes(k) ? 1 : d));
}

/** @internal The shape of a reduction of `shape` over `axes`. */
export function reducedShape(
  shape: readonly number[],
  axes: readonly number[],
  keepdims: boolean,
): number[] {
  return keepdims ? keptShape(shape, axes) : shape.filter((_, k) => !axes.includes(k));
}

/** The `axis` argument of a reduction: one axis, several, or all when omitted. */
export type Axis = number | readonly number[] | undefined;

/** @internal A reduction's normalized arguments, also the params of a reduction primitive. */
export interface Reduction {
  /** Sorted, non-negative, distinct. */
  axes: number[];
  keepdims: boolean;
}

/**
 * @internal The front end of a reduction `op(a, axis, { keepdims })`: the operand as a tensor,
 * its axes normalized (see {@linkcode normalizeAxes}) and the options checked.
 */
export function reductionArgs(
  op: string,
  a: Operand,
  axis: Axis,
  opts: { keepdims?: boolean },
): { t: Tensor } & Reduction {
  checkOptions(op, opts, ["keepdims"], ["keepdims"]);
  const t = asTensor(op, a);
  return { t, axes: normalizeAxes(op, axis, t.shape), keepdims: opts.keepdims ?? false };
}

/**
 * @internal Normalizes `axis` (a number, an array, or undefined for all axes) against a rank:
 * negative axes count from the end; duplicates and out-of-range axes throw.
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  shape: readonly number[],
): number[] {
  const rank = shape.length;
  if (axis === undefined) return [...Array(rank).keys()];
  // From plain JavaScript (the REPL, notebooks) anything can arrive: say what it was.
  if (typeof axis !== "number" && !Array.isArray(axis)) {
    throw new ValueError(
      `${op}: axis must be an integer or an array of integers, got ${describeValue(axis)}`,
    );
  }
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out: number[] = [];
  for (const a of list) {
    if (typeof a !== "number") {
      throw new ValueError(
        `${op}: axis must be an integer or an array of integers, got ${describeValue(a)}` +
          (list.length > 1 || typeof axis !== "number"
            ? ` in [${list.map(String).join(", ")}]`
            : ""),
      );
    }
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ShapeError(
        `${op}: axis ${a} is out of bounds for a tensor of shape ${fmtShape(shape)} ` +
          `(rank ${rank}); ` +
          // A scalar has no axis to name: "[0, -1]" would be an empty range.
          (rank === 0
            ? `a scalar has no axes: omit axis (or pass [])`
            : `use an integer in [${-rank}, ${rank - 1}]`),
      );
    }
    const n = a < 0 ? a + rank : a;
    if (out.includes(n)) {
      throw new ShapeError(`${op}: axis ${a} is repeated in [${list.join(", ")}]`);
    }
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}
