/**
 * The materialization guard: dense Jacobians grow as the product of the output and input sizes
 * (`m·m·n` numbers for `y = W x`, 550 GB at `m = n = 4096`), so every function that builds one
 * checks its element count against a budget first and points to the structured form instead.
 */
import { fmtShape, ValueError } from "../errors.ts";
import { sizeOf } from "../ops/shape.ts";

/** The default dense budget: 2²⁷ float64 numbers, 1 GiB. */
export const DEFAULT_DENSE_BUDGET = 2 ** 27;

let budget = DEFAULT_DENSE_BUDGET;

/**
 * Sets how many float64 numbers a dense Jacobian (or any guarded materialization) may hold, and
 * returns the previous budget so it can be restored. The default is 2²⁷ numbers (1 GiB).
 *
 * @example Lowering the budget makes `jacobian` refuse big dense results
 * ```ts
 * import { jacobian, matmul, ones, setDenseBudget, ValueError } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * const x = ones([4]);
 * const previous = setDenseBudget(10);
 * try {
 *   // [4, 4, 4] = 64 numbers > 10
 *   assertThrows(() => jacobian((W) => matmul(W, x), ones([4, 4])), ValueError);
 * } finally {
 *   setDenseBudget(previous);
 * }
 * ```
 */
export function setDenseBudget(elements: number): number {
  if (typeof elements !== "number" || !(elements >= 0) || !Number.isInteger(elements)) {
    throw new ValueError(
      `setDenseBudget: the budget must be a non-negative integer number of elements, got ` +
        `${String(elements)}; e.g. setDenseBudget(2 ** 27) for 1 GiB`,
    );
  }
  const previous = budget;
  budget = elements;
  return previous;
}

/**
 * The current dense budget in float64 elements (see {@linkcode setDenseBudget}).
 *
 * @example
 * ```ts
 * import { getDenseBudget } from "matcalc";
 * import { assertStrictEquals } from "@std/assert";
 *
 * assertStrictEquals(getDenseBudget(), 2 ** 27);
 * ```
 */
export function getDenseBudget(): number {
  return budget;
}

/**
 * @internal Throws a ValueError when a dense tensor of `shape` would exceed the budget. `what`
 * names the result ("the dense Jacobian"); `hint` says what to use instead.
 */
export function checkDenseBudget(
  op: string,
  shape: readonly number[],
  what = "the dense Jacobian",
  hint = "use a structured form (jacobianOfMatmul(W, x), kronJacobian(A, B)) whose contract(g) " +
    "applies the chain rule in O(m·n), or vjp(f, x) / jvp(f, x, v) for one product with the " +
    "Jacobian without building it",
): void {
  const size = sizeOf(shape);
  if (size <= budget) return;
  throw new ValueError(
    `${op}: ${what} of shape ${fmtShape(shape)} would need ${formatBytes(size * 8)} ` +
      `(${size} float64 numbers), over the dense budget of ${budget} numbers ` +
      `(${formatBytes(budget * 8)}); ${hint}; or raise the budget with setDenseBudget(n)`,
  );
}

/** @internal Bytes in SI units with 3 significant digits: `550 GB`, `1.07 GB`, `288 B`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  let k = 0;
  let v = bytes;
  while (v >= 999.5 && k < units.length - 1) {
    v /= 1000;
    k++;
  }
  return `${k === 0 ? String(v) : String(Number(v.toPrecision(3)))} ${units[k]}`;
}
