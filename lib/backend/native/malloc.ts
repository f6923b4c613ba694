/**
 * @internal Keeps glibc's malloc from handing result buffers back to the system between
 * garbage collections.
 *
 * numpy frees an array the moment its last reference goes, so the next result of that size
 * reuses memory still mapped and in cache. V8 frees an ArrayBuffer only at a later GC, dozens of
 * results later, and glibc's default thresholds then return that memory to the system (results
 * of 128 kB and up are mapped one by one and unmapped on free; the heap's top is trimmed past
 * a few MB). Every fresh result then faults its pages back in, zeroed by the kernel, and in a
 * VM that is slow: here a 256² product ran at 14 GFLOP/s on 2 threads instead of 97, and the
 * 1024² one at 47 instead of 144 (`deno run -A tests/bench/malloc_effect.ts` prints both).
 *
 * On first use the backend raises two of malloc's thresholds through `mallopt`: results up to
 * 32 MiB come from the heap (glibc's own dynamic threshold goes that far, but only after it sees
 * such a chunk freed), and up to 256 MiB of freed memory stays in the heap for reuse. Larger
 * results are still mapped and unmapped one by one, so a 134 MB outer product is given back at
 * once. The price is that a process keeps up to 256 MiB it no longer uses.
 *
 * Nothing is changed when the user has set either threshold in `GLIBC_TUNABLES`, when
 * `MATCALC_MALLOC=default`, when FFI is not permitted, or off glibc (no `libc.so.6`).
 *
 * @module
 */
import { ffiAllowed, readEnv } from "./library.ts";

/** `mallopt`'s parameter numbers (glibc's malloc.h). */
const M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;

/** The thresholds set, in bytes. */
export const MALLOC_THRESHOLDS = { mmap: 32 * 2 ** 20, trim: 256 * 2 ** 20 } as const;

/**
 * Whether to tune malloc, given the platform and the environment: `null` to go ahead, or why
 * not.
 *
 * @example
 * ```ts
 * import { mallocDecision } from "./malloc.ts";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * assertEquals(mallocDecision("linux", {}), null);
 * assertMatch(mallocDecision("darwin", {})!, /glibc/);
 * assertMatch(mallocDecision("linux", { MATCALC_MALLOC: "default" })!, /MATCALC_MALLOC/);
 * assertMatch(
 *   mallocDecision("linux", { GLIBC_TUNABLES: "glibc.malloc.trim_threshold=0" })!,
 *   /GLIBC_TUNABLES/,
 * );
 * ```
 */
export function mallocDecision(
  os: string,
  env: { MATCALC_MALLOC?: string; GLIBC_TUNABLES?: string },
): string | null {
  if (os !== "linux") return "not Linux (glibc's malloc only)";
  if (env.MATCALC_MALLOC === "default") return "MATCALC_MALLOC=default";
  if (/glibc\.malloc\.(mmap_threshold|trim_threshold|mmap_max)/.test(env.GLIBC_TUNABLES ?? "")) {
    return "GLIBC_TUNABLES sets malloc's thresholds";
  }
  return null;
}

let done = false;

/**
 * Raises malloc's thresholds once per process (see the module comment); never throws. Returns
 * whether they were set.
 */
export function tuneMalloc(): boolean {
  if (done) return false;
  done = true;
  if (typeof Deno === "undefined" || !ffiAllowed()) return false;
  const env = {
    MATCALC_MALLOC: readEnv("MATCALC_MALLOC"),
    GLIBC_TUNABLES: readEnv("GLIBC_TUNABLES"),
  };
  if (mallocDecision(Deno.build.os, env) !== null) return false;
  let libc: Deno.DynamicLibrary<{ mallopt: { parameters: ["i32", "i32"]; result: "i32" } }>;
  try {
    libc = Deno.dlopen("libc.so.6", { mallopt: { parameters: ["i32", "i32"], result: "i32" } });
  } catch {
    return false;
  }
  try {
    // mallopt returns 1 on success; the settings outlive the handle.
    return libc.symbols.mallopt(M_MMAP_THRESHOLD, MALLOC_THRESHOLDS.mmap) === 1 &&
      libc.symbols.mallopt(M_TRIM_THRESHOLD, MALLOC_THRESHOLDS.trim) === 1;
  } finally {
    libc.close();
  }
}
