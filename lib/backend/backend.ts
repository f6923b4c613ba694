/**
 * The compute backend behind every matrix product: native BLAS through Deno's FFI when a library
 * loads (see `native/library.ts` for the search order), otherwise matcalc's own WebAssembly
 * kernel. Both run float64 on row-major buffers and give the same results up to rounding.
 *
 * @module
 */
import { allocate } from "../alloc.ts";
import { describeValue, ValueError } from "../errors.ts";
import { getMatmulThreads, matmulKernel, setMatmulThreads } from "./wasm/matmul_kernel.ts";
import { ffiAllowed, loadNative, type NativeLibrary, readEnv } from "./native/library.ts";
import { nativeGemm } from "./native/blas.ts";
import { lapackKernels } from "./native/lapack.ts";
import { sparseOuter } from "./sparse_outer.ts";
import { tuneMalloc } from "./native/malloc.ts";
import type { LinalgKernels } from "./linalg_kernels.ts";

/** The products a backend computes. */
export interface Backend {
  /** `"native"` (BLAS through FFI) or `"wasm"` (matcalc's WebAssembly kernel). */
  readonly name: BackendName;
  /**
   * `C[m×n] = op(A)[m×k] · op(B)[k×n]`, row-major, as a fresh buffer; with `ta`, `A` is stored
   * as `[k, m]` (likewise `tb`: `B` stored as `[n, k]`), so transposed operands need no copies.
   */
  gemm(
    a: Float64Array,
    b: Float64Array,
    m: number,
    k: number,
    n: number,
    ta: boolean,
    tb: boolean,
  ): Float64Array;
  /** {@link Backend.gemm} written into `c` (a view of `m·n` entries), for batched products. */
  gemmInto(
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    m: number,
    k: number,
    n: number,
    ta: boolean,
    tb: boolean,
  ): void;
  /** Sets the threads of this backend (already checked by `setThreads`). */
  setThreads(count: number): void;
  /** The threads this backend uses for large products. */
  threads(): number;
}

/** The backends {@link setBackend} accepts. */
export type BackendName = "native" | "wasm";

/** What {@link getBackend} reports. */
export interface BackendInfo {
  /** The active backend. */
  name: BackendName;
  /** The threads large products use. */
  threads: number;
  /** The native library in use (`null` for wasm). */
  library: string | null;
  /** Why the native backend is not active (`null` when it is). */
  fallback: string | null;
}

const wasmBackend: Backend = {
  name: "wasm",
  gemm: (a, b, m, k, n, ta, tb) =>
    (k === 1 ? sparseOuter(a, b, m, n) : null) ?? matmulKernel(a, b, m, k, n, ta, tb),
  gemmInto: (a, b, c, m, k, n, ta, tb) => c.set(matmulKernel(a, b, m, k, n, ta, tb)),
  setThreads: (count) => setMatmulThreads(count),
  threads: () => getMatmulThreads(),
};

let active: Backend | undefined;
interface Native {
  backend: Backend;
  lib: NativeLibrary;
  linalg: LinalgKernels;
}
let native: Native | undefined;
let fallback: string | null = null;

/** Opens the native library once; returns it or a sentence saying why it cannot be used. */
function openNative(): Native | string {
  if (native !== undefined) return native;
  const r = loadNative();
  if (!r.ok) {
    return r.tried.length === 0 ? r.reason : `${r.reason}; tried: ${r.tried.join("; ")}`;
  }
  const lib = r.lib;
  // netlib's reference dgemm skips the zero entries of B, so a NaN in A would vanish from the
  // product: such a library would give wrong answers where the wasm kernel gives NaN.
  const probe = Float64Array.of(0);
  nativeGemm(
    lib.blas,
    Float64Array.of(NaN, 1),
    Float64Array.of(0, 0),
    probe,
    1,
    2,
    1,
    false,
    false,
  );
  if (!Number.isNaN(probe[0])) {
    return `${lib.path} skips zeros in products (NaN · 0 gave ${probe[0]}), so NaN would not ` +
      `propagate; use OpenBLAS (MATCALC_BLAS=/path/to/libopenblas.so)`;
  }
  const backend: Backend = {
    name: "native",
    gemm: (a, b, m, k, n, ta, tb) => {
      const sparse = k === 1 ? sparseOuter(a, b, m, n) : null;
      if (sparse !== null) return sparse;
      const c = allocate("matmul", [m, n]);
      nativeGemm(lib.blas, a, b, c, m, k, n, ta, tb);
      return c;
    },
    gemmInto: (a, b, c, m, k, n, ta, tb) => nativeGemm(lib.blas, a, b, c, m, k, n, ta, tb),
    setThreads: (count) => lib.blas.openblas_set_num_threads?.(count),
    threads: () => lib.blas.openblas_get_num_threads?.() ?? 1,
  };
  native = { backend, lib, linalg: lapackKernels(lib.lapack) };
  if (requestedThreads !== undefined) backend.setThreads(requestedThreads);
  return native;
}

/** The first use picks a backend: `MATCALC_BACKEND` if set, else native when it loads. */
function init(): Backend {
  tuneMalloc();
  const want = readEnv("MATCALC_BACKEND");
  if (want !== undefined && want !== "auto") {
    setBackend(want as BackendName);
    return active!;
  }
  const n = openNative();
  if (typeof n === "string") {
    fallback = n;
    active = wasmBackend;
  } else {
    fallback = null;
    active = n.backend;
  }
  return active;
}

/** @internal The active backend (chosen on first use). */
export function backend(): Backend {
  return active ?? init();
}

/**
 * Chooses the backend for every product from now on: `"native"` (BLAS and LAPACK through Deno's
 * FFI; needs `--allow-ffi` and a library, see the README) or `"wasm"` (matcalc's WebAssembly
 * kernel, always available). The default is native when it loads; the environment variable
 * `MATCALC_BACKEND` (`native`, `wasm` or `auto`) sets the choice at startup, and `MATCALC_BLAS`
 * names a library to try first. The thread count set by `setThreads` carries over.
 *
 * @example Switch to the WebAssembly kernel and back
 * ```ts
 * import { getBackend, matmul, setBackend, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const before = getBackend().name;
 * setBackend("wasm");
 * assertEquals(getBackend().name, "wasm");
 * assertEquals(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(), [[11]]);
 * setBackend(before);
 * ```
 */
export function setBackend(name: BackendName): void {
  if (name === "wasm") {
    active = wasmBackend;
    fallback = "chosen with setBackend or MATCALC_BACKEND";
  } else if (name === "native") {
    const n = openNative();
    if (typeof n === "string") {
      throw new ValueError(
        `setBackend: cannot use the native backend: ${n}. Install OpenBLAS ` +
          `(Debian: apt-get install libopenblas0-pthread), set MATCALC_BLAS to a BLAS + LAPACK ` +
          `library, or use setBackend("wasm")`,
      );
    }
    active = n.backend;
    fallback = null;
  } else {
    throw new ValueError(
      `setBackend: unknown backend ${
        typeof name === "string" ? JSON.stringify(name) : describeValue(name)
      }: expected "native" or "wasm"` +
        (typeof name === "string" ? " (from setBackend or MATCALC_BACKEND)" : ""),
    );
  }
}

/**
 * Which backend computes products, with how many threads, and from which library.
 *
 * @example
 * ```ts
 * import { getBackend } from "matcalc";
 * import { assert } from "@std/assert";
 *
 * const b = getBackend();
 * assert(b.name === "native" || b.name === "wasm");
 * assert(b.threads >= 1);
 * assert((b.name === "native") === (b.library !== null));
 * ```
 */
export function getBackend(): BackendInfo {
  const b = backend();
  return {
    name: b.name,
    threads: b.threads(),
    library: b.name === "native" ? native!.lib.path : null,
    fallback: b.name === "native" ? null : fallback,
  };
}

/**
 * @internal The LAPACK kernels when the native backend is active, else `null` (then
 * `lib/linalg/` uses its TypeScript kernels).
 */
export function nativeLinalg(): LinalgKernels | null {
  return backend().name === "native" ? native!.linalg : null;
}

/** The count given to `setThreads`, applied to the native library when it loads later. */
let requestedThreads: number | undefined;

/** @internal Sets the native library's threads, now or when it loads (for `setThreads`). */
export function setNativeThreads(count: number): void {
  requestedThreads = count;
  native?.backend.setThreads(count);
}

/** @internal Whether FFI is permitted here (for tests that skip the native backend). */
export { ffiAllowed };
