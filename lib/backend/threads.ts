import { describeValue, ValueError } from "../errors.ts";
import { setMatmulThreads } from "./wasm/matmul_kernel.ts";
import { backend, setNativeThreads } from "./backend.ts";

/**
 * The most threads {@link setThreads} accepts: four per core (at least 4, at most 64). Past the
 * cores, threads only queue for them, and each one costs memory (OpenBLAS reserves buffers per
 * thread: 100 threads took 627 MB and ran 40× slower than 2 on a two-core machine).
 */
export function maxThreads(): number {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 1 : 1;
  return Math.min(64, Math.max(4, 4 * cores));
}

/**
 * Sets how many threads large matrix products may use, on both backends (see `getBackend`).
 * The native backend (OpenBLAS) starts with one per core; the WebAssembly kernel starts with 1,
 * and with 2 or more shares a product of at least 96³ multiply-adds with more than 16 columns
 * and at least 12 rows with Web Workers over one WebAssembly memory (matrix·vector, outer and
 * narrow products, such as a softmax layer's 10 columns, stay on one thread, where they are
 * memory-bound anyway). Its workers start on the first large product, spin for up to 2 ms after
 * each product (when there are no more threads than cores) so the next one in a loop finds them
 * awake, and close themselves after a second without work, so they never keep a script alive.
 * More than {@link maxThreads} (four per core) is refused.
 *
 * @example Use both cores of a two-core machine
 * ```ts
 * import { getThreads, setThreads } from "matcalc";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const before = getThreads();
 * setThreads(2);
 * assertEquals(getThreads(), 2);
 * setThreads(before);
 * assertThrows(() => setThreads(0), Error, "setThreads: cannot use 0 threads");
 * assertThrows(() => setThreads(1000), Error, "at most");
 * ```
 */
export function setThreads(count: number): void {
  const cap = maxThreads();
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw new ValueError(
      `setThreads: cannot use ${typeof count === "number" ? count : describeValue(count)} ` +
        `threads: expected an integer ≥ 1`,
    );
  }
  if (count > cap) {
    throw new ValueError(
      `setThreads: cannot use ${count} threads: at most ${cap} (four per core, ` +
        `${navigator.hardwareConcurrency} cores here); more threads than cores only queue ` +
        `for them and cost memory, so use at most the core count`,
    );
  }
  setMatmulThreads(count);
  setNativeThreads(count);
}

/**
 * The thread count of the active backend (see {@link setThreads}).
 *
 * @example
 * ```ts
 * import { getBackend, getThreads } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getThreads(), getBackend().threads);
 * ```
 */
export function getThreads(): number {
  return backend().threads();
}
