import { getMatmulThreads, setMatmulThreads } from "./matmul_kernel.ts";

/**
 * Sets how many threads large matrix products may use (default 1). With 2 or more, a product of
 * at least 96³ multiply-adds splits the rows of the result across Web Workers that share one
 * WebAssembly memory; smaller products never pay for a thread. Workers start on the first large
 * product (which still runs on one thread) and close themselves after a second without work, so
 * they never keep a script alive.
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
