import { checkOptions, ShapeError, ValueError } from "../errors.ts";
import { fmtShape } from "../errors.ts";
import { tensor } from "../creation.ts";
import { raw, stridesOf, Tensor } from "../tensor.ts";
import type { NestedArray } from "../tensor.ts";
import { broadcastIndex, broadcastShapes } from "./broadcast.ts";

/** Tolerances for {@linkcode allClose} and {@linkcode assertAllClose} (NumPy's defaults). */
export interface CloseOptions {
  /** Relative tolerance, scaled by `|b|`; default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance; default `1e-8`. */
  atol?: number;
  /** Whether `NaN` in both tensors at the same position counts as close; default `false`. */
  equalNan?: boolean;
}

/** What `allClose` accepts: a tensor, a number, or nested arrays of numbers. */
export type Comparable = Tensor | NestedArray;

function toTensor(op: string, x: unknown, what: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number" || Array.isArray(x)) return tensor(x as NestedArray);
  throw new ValueError(
    `${op}: ${what} must be a Tensor, a number or nested arrays of numbers, got ` +
      `${x === null ? "null" : typeof x}`,
  );
}

function tolerances(op: string, opts: CloseOptions): Required<CloseOptions> {
  const rtol = opts.rtol ?? 1e-5, atol = opts.atol ?? 1e-8;
  for (const [name, v] of [["rtol", rtol], ["atol", atol]] as const) {
    if (typeof v !== "number" || !(v >= 0) || v === Infinity) {
      throw new ValueError(`${op}: ${name} must be a finite number ≥ 0, got ${String(v)}`);
    }
  }
  return { rtol, atol, equalNan: opts.equalNan ?? false };
}

interface Worst {
  index: number[];
  x: number;
  y: number;
  /** How far past its tolerance the element is: |x − y| − (atol + rtol·|y|), NaN-aware. */
  excess: number;
  allClose: boolean;
}

function compare(op: string, a: Tensor, b: Tensor, tol: Required<CloseOptions>): Worst {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const ia = broadcastIndex(a.shape, shape), ib = broadcastIndex(b.shape, shape);
  const A = raw(a), B = raw(b);
  let worst = -1, worstExcess = -Infinity, ok = true;
  for (let i = 0; i < ia.length; i++) {
    const x = A[ia[i]], y = B[ib[i]];
    let excess: number;
    if (x !== x || y !== y) {
      excess = tol.equalNan && x !== x && y !== y ? -Infinity : Infinity;
    } else if (x === y) {
      excess = -Infinity; // equal infinities are close, as in NumPy
    } else {
      excess = Math.abs(x - y) - (tol.atol + tol.rtol * Math.abs(y));
      if (excess !== excess) excess = Infinity;
    }
    if (excess > 0) ok = false;
    if (worst < 0 || excess > worstExcess) {
      worst = i;
      worstExcess = excess;
    }
  }
  const strides = stridesOf(shape);
  const index = worst < 0 ? [] : strides.map((s, k) => Math.floor(worst / s) % shape[k]);
  return {
    index,
    x: worst < 0 ? NaN : A[ia[worst]],
    y: worst < 0 ? NaN : B[ib[worst]],
    excess: worstExcess,
    allClose: ok,
  };
}

/**
 * Whether every element of `a` is close to the matching element of `b`, with NumPy's rule
 * `|a − b| ≤ atol + rtol·|b|` (asymmetric: `b` is the reference) and NumPy broadcasting.
 * `NaN` is never close to anything unless `equalNan` is set; equal infinities are close.
 *
 * @example
 * ```ts
 * import { allClose, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(allClose(tensor([1, 2]), tensor([1, 2 + 1e-9])), true);
 * assertEquals(allClose(tensor([1, 2]), [1, 2.1]), false);
 * assertEquals(allClose(tensor([1, 2]), [1, 2.1], { atol: 0.2 }), true);
 * assertEquals(allClose(tensor([NaN]), tensor([NaN])), false);
 * ```
 */
export function allClose(a: Comparable, b: Comparable, opts: CloseOptions = {}): boolean {
  const tol = tolerances("allClose", checkOptions("allClose", opts, ["rtol", "atol", "equalNan"]));
  const A = toTensor("allClose", a, "a"), B = toTensor("allClose", b, "b");
  return compare("allClose", A, B, tol).allClose;
}

/**
 * Throws an `Error` unless `actual` is close to `expected` in the sense of {@linkcode allClose}.
 * The message names the worst element: its index, both values, their difference and the
 * tolerance there. Shapes must be equal unless one side is a scalar (a silent broadcast would
 * hide a shape bug in a test).
 *
 * @example
 * ```ts
 * import { assertAllClose, tensor } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * assertAllClose(tensor([0.1 + 0.2]), [0.3]);
 * assertThrows(() => assertAllClose(tensor([[1, 2], [3, 4]]), [[1, 2], [3, 5]]), Error, "worst at [1, 1]: actual 4, expected 5");
 * ```
 */
export function assertAllClose(
  actual: Comparable,
  expected: Comparable,
  opts: CloseOptions & { msg?: string } = {},
): void {
  const tol = tolerances(
    "assertAllClose",
    checkOptions("assertAllClose", opts, ["rtol", "atol", "equalNan", "msg"]),
  );
  const A = toTensor("assertAllClose", actual, "actual");
  const B = toTensor("assertAllClose", expected, "expected");
  const sameShape = A.rank === B.rank && A.shape.every((d, k) => d === B.shape[k]);
  if (!sameShape && A.rank !== 0 && B.rank !== 0) {
    throw new ShapeError(
      `assertAllClose: cannot compare actual of shape ${fmtShape(A.shape)} with expected of ` +
        `shape ${fmtShape(B.shape)}: shapes must be equal (or one a scalar)` +
        (opts.msg ? ` (${opts.msg})` : ""),
    );
  }
  const w = compare("assertAllClose", A, B, tol);
  if (w.allClose) return;
  const bad = countFailures(A, B, tol);
  const allowed = tol.atol + tol.rtol * Math.abs(w.y);
  const why = w.x !== w.x || w.y !== w.y
    ? `NaN is never close${tol.equalNan ? " to a number" : " (set equalNan to accept NaN = NaN)"}`
    : `|difference| ${short(Math.abs(w.x - w.y))} > tolerance ${short(allowed)} ` +
      `(atol ${tol.atol} + rtol ${tol.rtol} · |expected|)`;
  throw new Error(
    `assertAllClose: ${bad.failed} of ${bad.total} elements differ` +
      (opts.msg ? ` (${opts.msg})` : "") +
      `; worst at [${w.index.join(", ")}]: actual ${w.x}, expected ${w.y}, ${why}`,
  );
}

/** Four significant digits: enough to judge a tolerance, without float noise. */
function short(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function countFailures(a: Tensor, b: Tensor, tol: Required<CloseOptions>) {
  const shape = broadcastShapes("assertAllClose", a.shape, b.shape);
  const ia = broadcastIndex(a.shape, shape), ib = broadcastIndex(b.shape, shape);
  const A = raw(a), B = raw(b);
  let failed = 0;
  for (let i = 0; i < ia.length; i++) {
    const x = A[ia[i]], y = B[ib[i]];
    const nan = x !== x || y !== y;
    const close = nan ? tol.equalNan && x !== x && y !== y : x === y ||
      Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!close) failed++;
  }
  return { failed, total: ia.length };
}
