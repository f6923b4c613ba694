import { getMatmulThreads, setMatmulThreads } from "./wasm/matmul_kernel.ts";

/**
 * Sets how many threads large matrix products may use (default 1). With 2 or more, a product of
 * at least 96³ multiply-adds with more than 16 columns and at least 12 rows is shared with Web
 * Workers over one WebAssembly memory (matrix·vector, outer and narrow products, such as a
 * softmax layer's 10 columns, stay on one thread, where they are memory-bound anyway): the right
 * operand is packed once for all threads, and blocks of rows of the result go to whichever
 * thread is free, so a core busy with something else simply does fewer of them. Smaller
 * products never pay for a thread. Workers start on the first large product (which still runs
 * on one thread), spin for up to 2 ms after each product (when there are no more threads than
 * cores) so the next one in a loop finds them awake on their own core, and close themselves
 * after a second without work, so they never keep a script alive.
 *
 * @example Use both cores of a two-core machine
 * ```ts
 * import { getThreads, setThreads } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * setThreads(2);
 * assert.equal(getThreads(), 2);
 * setThreads(1);
 * assert.throws(() => setThreads(0), /setThreads: cannot use 0 threads/);
 * ```
 */
export function setThreads(count: number): void {
  setMatmulThreads(count);
}

/**
 * The thread count set by {@link setThreads}.
 *
 * @example
 * ```ts
 * import { getThreads } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assert.equal(getThreads(), 1);
 * ```
 */
export function getThreads(): number {
  return getMatmulThreads();
}
