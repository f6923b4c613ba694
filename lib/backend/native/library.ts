/**
 * @internal Finds and opens a BLAS + LAPACK library through Deno's FFI. The order: the path in
 * `MATCALC_BLAS`, then the usual names of the platform (OpenBLAS on Linux, then the reference
 * names `libblas.so.3` + `liblapack.so.3` that Debian's alternatives point at a fast library;
 * the Accelerate framework on macOS; `libopenblas.dll` on Windows). Nothing here throws: a
 * failure comes back as the list of what was tried and why each failed.
 *
 * @module
 */

/** The CBLAS symbols the products need. */
const BLAS_SYMBOLS = {
  cblas_dgemm: {
    // order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f64",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f64",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  // OpenBLAS only: the others run on their own thread pools (or on one thread).
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
} as const satisfies Deno.ForeignLibraryInterface;

/**
 * Fortran LAPACK: every argument by pointer (integers and characters in small buffers), and
 * after them one hidden length per character argument, as gfortran passes them (`L`; always 1).
 * A routine written in C (OpenBLAS replaces a few) ignores the extra arguments.
 */
const P = "buffer" as const, L = "usize" as const;
const LAPACK_SYMBOLS = {
  // m, n, a, lda, ipiv, info
  dgetrf_: { parameters: [P, P, P, P, P, P], result: "void" },
  // trans, n, nrhs, a, lda, ipiv, b, ldb, info
  dgetrs_: { parameters: [P, P, P, P, P, P, P, P, P, L], result: "void" },
  // n, a, lda, ipiv, work, lwork, info
  dgetri_: { parameters: [P, P, P, P, P, P, P], result: "void" },
  // norm, n, a, lda, anorm, rcond, work, iwork, info
  dgecon_: { parameters: [P, P, P, P, P, P, P, P, P, L], result: "void" },
  // norm, m, n, a, lda, work → the norm
  dlange_: { parameters: [P, P, P, P, P, P, L], result: "f64" },
  // uplo, n, a, lda, info
  dpotrf_: { parameters: [P, P, P, P, P, L], result: "void" },
  // uplo, trans, diag, n, nrhs, a, lda, b, ldb, info
  dtrtrs_: { parameters: [P, P, P, P, P, P, P, P, P, P, L, L, L], result: "void" },
  // jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info
  dsyevd_: { parameters: [P, P, P, P, P, P, P, P, P, P, P, L, L], result: "void" },
  // jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork, info
  dgesdd_: { parameters: [P, P, P, P, P, P, P, P, P, P, P, P, P, P, L], result: "void" },
  // m, n, a, lda, tau, work, lwork, info
  dgeqrf_: { parameters: [P, P, P, P, P, P, P, P], result: "void" },
  // m, n, k, a, lda, tau, work, lwork, info
  dorgqr_: { parameters: [P, P, P, P, P, P, P, P, P], result: "void" },
  // OpenBLAS only (found through the LAPACK library's own dependencies too): lapack.ts runs
  // getrf on one thread, as its threaded driver needs more stack than `deno test` threads have.
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened BLAS symbols. */
export type Blas = Deno.DynamicLibrary<typeof BLAS_SYMBOLS>["symbols"];
/** The opened LAPACK symbols. */
export type Lapack = Deno.DynamicLibrary<typeof LAPACK_SYMBOLS>["symbols"];

/** A library that loaded: its symbols and where they came from. */
export interface NativeLibrary {
  blas: Blas;
  lapack: Lapack;
  /** The path (or paths, `blas + lapack`) that were opened. */
  path: string;
}

/** The result of {@link loadNative}: the library, or why none loaded. */
export type LoadResult =
  | { ok: true; lib: NativeLibrary }
  | { ok: false; reason: string; tried: string[] };

/** `[blas, lapack]` path pairs to try, in order, on this platform. */
export function candidates(env: string | undefined, os: string): [string, string][] {
  const list: [string, string][] = [];
  if (env) list.push([env, env]);
  if (os === "linux") {
    list.push(["libopenblas.so.0", "libopenblas.so.0"]);
    list.push(["libblas.so.3", "liblapack.so.3"]);
  } else if (os === "darwin") {
    const acc = "/System/Library/Frameworks/Accelerate.framework/Accelerate";
    list.push(["libopenblas.dylib", "libopenblas.dylib"]);
    list.push([acc, acc]);
  } else if (os === "windows") {
    list.push(["libopenblas.dll", "libopenblas.dll"]);
  }
  return list;
}

function granted(desc: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(desc).state === "granted";
  } catch {
    return false;
  }
}

/** `MATCALC_BLAS` or `MATCALC_BACKEND`, when readable without a prompt. */
export function readEnv(name: string): string | undefined {
  if (typeof Deno === "undefined" || !granted({ name: "env", variable: name })) return undefined;
  return Deno.env.get(name) || undefined;
}

/** Whether this runtime may open native libraries (Deno with --allow-ffi). */
export function ffiAllowed(): boolean {
  return typeof Deno !== "undefined" && typeof Deno.dlopen === "function" &&
    granted({ name: "ffi" });
}

/** Opens the first candidate that has every symbol; never throws. */
export function loadNative(): LoadResult {
  if (!ffiAllowed()) {
    return {
      ok: false,
      reason: "FFI is not permitted (run Deno with --allow-ffi or -A)",
      tried: [],
    };
  }
  const tried: string[] = [];
  for (const [blasPath, lapackPath] of candidates(readEnv("MATCALC_BLAS"), Deno.build.os)) {
    const label = blasPath === lapackPath ? blasPath : `${blasPath} + ${lapackPath}`;
    let blasLib: Deno.DynamicLibrary<typeof BLAS_SYMBOLS> | undefined;
    try {
      blasLib = Deno.dlopen(blasPath, BLAS_SYMBOLS);
      const lapack = Deno.dlopen(lapackPath, LAPACK_SYMBOLS).symbols;
      return { ok: true, lib: { blas: blasLib.symbols, lapack, path: label } };
    } catch (e) {
      blasLib?.close();
      tried.push(`${label} (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
    }
  }
  return { ok: false, reason: "no BLAS + LAPACK library loaded", tried };
}
