import { bind, type Primitive } from "../ad/node.ts";
import { ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { mapData } from "./broadcast.ts";
import { asTensor, type Operand } from "./operand.ts";
import { where } from "./where.ts";

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
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(clip(tensor([-2, 0.5, 3]), 0, 1).toArray(), [0, 0.5, 1]);
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
