// Regression test for a segfault: OpenBLAS's threaded getrf keeps 512 KiB job tables on the
// stack at each recursion level (2.2–3.2 MB in all), more than the 2 MiB stack of the thread
// `deno test` runs a module on; its frames jumped over the guard page and wrote into the stack of
// the thread mapped below. Here the bottom MiB of this thread's own stack is filled with a
// pattern, and a 400×400 LU on two OpenBLAS threads must leave it untouched (Linux + glibc only:
// the stack bounds come from pthread_getattr_np).
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { loadNative } from "../../lib/backend/native/library.ts";
import { lapackKernels } from "../../lib/backend/native/lapack.ts";

const loaded = loadNative();
const libc = (() => {
  if (Deno.build.os !== "linux") return undefined;
  try {
    return Deno.dlopen("libc.so.6", {
      pthread_self: { parameters: [], result: "usize" },
      pthread_getattr_np: { parameters: ["usize", "buffer"], result: "i32" },
      pthread_attr_getstack: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
      pthread_attr_destroy: { parameters: ["buffer"], result: "i32" },
      memset: { parameters: ["pointer", "i32", "usize"], result: "pointer" },
    }).symbols;
  } catch {
    return undefined; // not glibc
  }
})();
const blas = loaded.ok ? loaded.lib.blas : undefined;

Deno.test({
  name: "lapack lu of 400×400 on two OpenBLAS threads stays inside a 2 MiB thread stack",
  ignore: !loaded.ok || libc === undefined || !blas?.openblas_set_num_threads,
  fn() {
    const K = lapackKernels(loaded.ok ? loaded.lib.lapack : undefined!);
    const attr = new Uint8Array(128), base = new BigUint64Array(1), size = new BigUint64Array(1);
    assertEquals(libc!.pthread_getattr_np(libc!.pthread_self(), attr), 0);
    libc!.pthread_attr_getstack(attr, base, size);
    libc!.pthread_attr_destroy(attr);
    // The JS frames sit at the top of the stack; the bottom MiB is unused until a call goes deep.
    const paint = Math.min(1 << 20, Number(size[0]) / 2),
      bottom = Deno.UnsafePointer.create(base[0])!;
    const n = 400, a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * n + j] = i === j ? 1e3 : Math.sin(i + 2 * j);
    }
    const threads = blas!.openblas_get_num_threads!();
    blas!.openblas_set_num_threads!(2);
    try {
      libc!.memset(bottom, 0xab, BigInt(paint));
      const f = K.lu(a, n);
      const seen = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(bottom, paint));
      const touched = seen.findIndex((b) => b !== 0xab);
      assertEquals(touched, -1, `getrf reached ${paint - touched} bytes into the bottom MiB`);
      // Diagonally dominant: det ≈ 1e3ⁿ, and the thread count is put back.
      assertAlmostEquals(f.logAbsDet, n * Math.log(1e3), 1e-2);
      assertEquals(blas!.openblas_get_num_threads!(), 2);
    } finally {
      blas!.openblas_set_num_threads!(threads);
    }
  },
});
