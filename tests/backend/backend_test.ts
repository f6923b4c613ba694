// The two backends side by side: the same products on random shapes (transposed operands, empty,
// 1×n, n×1, large), the choice of backend, and the fallback when FFI is not permitted.
import { transposed, uniformStream } from "./helpers.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  getBackend,
  grad,
  matmul,
  mul,
  setBackend,
  sum,
  type Tensor,
  tensor,
} from "../../lib/mod.ts";
import { backend } from "../../lib/backend/backend.ts";
import { candidates, loadNative } from "../../lib/backend/native/library.ts";
import { matmulReference } from "../../lib/backend/matmul_reference.ts";

const hasNative = loadNative().ok;

const rand = uniformStream(7);
function close(got: Float64Array, want: Float64Array, k: number, what: string) {
  assertEquals(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    assert(Math.abs(got[i] - want[i]) <= 1e-13 * Math.max(1, k), `${what}[${i}]`);
  }
}
function withBackend<T>(name: "native" | "wasm", f: () => T): T {
  const before = getBackend().name;
  setBackend(name);
  try {
    return f();
  } finally {
    setBackend(before);
  }
}

const SHAPES: [number, number, number][] = [
  [0, 3, 4],
  [3, 0, 4],
  [3, 4, 0],
  [1, 1, 1],
  [1, 50, 1],
  [1, 30, 40],
  [40, 30, 1],
  [40, 1, 30],
  [7, 9, 5],
  [33, 17, 65],
  [100, 784, 10],
  [784, 100, 10],
  [200, 150, 170],
];

Deno.test({ name: "native and wasm gemm agree on random shapes", ignore: !hasNative }, () => {
  for (const [m, k, n] of SHAPES) {
    const A = rand(m * k), B = rand(k * n), want = matmulReference(A, B, m, k, n);
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = ta ? transposed(A, m, k) : A, b = tb ? transposed(B, k, n) : B;
        for (const name of ["native", "wasm"] as const) {
          const got = withBackend(name, () => backend().gemm(a, b, m, k, n, ta, tb));
          close(got, want, k, `${name} ${m}×${k}×${n} ta=${ta} tb=${tb}`);
          const c = new Float64Array(m * n + 2).fill(NaN), view = c.subarray(1, 1 + m * n);
          withBackend(name, () => backend().gemmInto(a, b, view, m, k, n, ta, tb));
          close(view, want, k, `${name} gemmInto ${m}×${k}×${n}`);
          assert(Number.isNaN(c[0]) && Number.isNaN(c[m * n + 1]), "gemmInto stays in its view");
        }
      }
    }
  }
});

Deno.test({ name: "matmul and its gradient agree across backends", ignore: !hasNative }, () => {
  const W = tensor(Array.from({ length: 30 }, (_, i) => Array.from(rand(20), (v) => v + i)));
  const x = tensor(Array.from({ length: 20 }, () => Array.from(rand(15))));
  // ½‖W x‖²: the backward sweep multiplies by transposed operands (G xᵀ).
  const f = (w: Tensor) => {
    const y = matmul(w, x);
    return sum(mul(y, y));
  };
  const run = () => ({ y: matmul(W, x).data.slice(), g: grad(f, W) as Tensor });
  const nat = withBackend("native", run), wasm = withBackend("wasm", run);
  close(nat.y, wasm.y, 20, "forward");
  close(nat.g.data, wasm.g.data, 20, "gradient");
});

Deno.test("setBackend refuses an unknown name; getBackend reports the choice", () => {
  assertThrows(() => setBackend("gpu" as "wasm"), Error, 'expected "native" or "wasm"');
  withBackend("wasm", () => {
    const b = getBackend();
    assertEquals([b.name, b.library], ["wasm", null]);
    assert(b.fallback !== null);
  });
  if (hasNative) {
    withBackend("native", () => {
      const b = getBackend();
      assertEquals(b.name, "native");
      assertMatch(b.library!, /blas|Accelerate/);
      assertEquals(b.fallback, null);
    });
  }
});

Deno.test("candidates: MATCALC_BLAS first, then the platform's names", () => {
  assertEquals(candidates("/x/libmine.so", "linux"), [
    ["/x/libmine.so", "/x/libmine.so"],
    ["libopenblas.so.0", "libopenblas.so.0"],
    ["libblas.so.3", "liblapack.so.3"],
  ]);
  assertEquals(candidates(undefined, "windows"), [["libopenblas.dll", "libopenblas.dll"]]);
  assertMatch(candidates(undefined, "darwin").at(-1)![0], /Accelerate/);
});

/** Runs a snippet in a child Deno with the given flags and env; returns its stdout. */
async function child(flags: string[], env: Record<string, string>, code: string) {
  const url = new URL("../../lib/mod.ts", import.meta.url).href;
  // `deno eval` would grant every permission: a file run with the flags given does not.
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, `import * as mc from "${url}"; ${code}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-lock", ...flags, file],
    env: { MATCALC_BACKEND: "", MATCALC_BLAS: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(file);
  return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
}

Deno.test("without --allow-ffi the wasm backend runs; MATCALC_BACKEND chooses", async () => {
  const show = "const b = mc.getBackend(); console.log(b.name, String(mc.matmul(" +
    "mc.tensor([[1, 2]]), mc.tensor([[3], [4]])).toArray()), b.fallback)";
  const noFfi = await child(["--allow-read", "--allow-env", "--allow-net"], {}, show);
  assertMatch(noFfi, /^wasm 11 FFI is not permitted/);
  const chosen = await child(["-A"], { MATCALC_BACKEND: "wasm" }, show);
  assertMatch(chosen, /^wasm 11/);
  const bad = await child(["-A"], { MATCALC_BACKEND: "cuda" }, show);
  assertMatch(bad, /unknown backend "cuda"/);
  if (hasNative) {
    assertMatch(await child(["-A"], {}, show), /^native 11 null/);
    // A count set before the library loads (on the first product) is applied when it does.
    const early = "mc.setThreads(1); console.log(mc.getBackend().threads)";
    assertMatch(await child(["-A"], { OPENBLAS_NUM_THREADS: "2" }, early), /^1\n/);
    // A library that does not exist is named in the message, and the usual names follow it.
    const missing = await child(
      ["-A"],
      { MATCALC_BLAS: "/nonexistent/libnothing.so" },
      "console.log(mc.getBackend().library)",
    );
    assertMatch(missing, /libopenblas|libblas/);
    const failed = await child(
      ["--allow-read", "--allow-env", "--allow-net"],
      {},
      'try { mc.setBackend("native") } catch (e) { console.log(e.message) }',
    );
    assertMatch(failed, /cannot use the native backend: FFI is not permitted/);
  }
});

Deno.test("both backends propagate NaN and Infinity like IEEE arithmetic", () => {
  for (const name of hasNative ? ["native", "wasm"] as const : ["wasm"] as const) {
    withBackend(name, () => {
      // A BLAS that skips zero entries of B (netlib's reference dgemm does) would give 0 here.
      assertEquals(matmul(tensor([[NaN, 1]]), tensor([[0], [0]])).toArray(), [[NaN]]);
      assertEquals(
        matmul(tensor([[Infinity, 1], [1, 1]]), tensor([[0, 1], [0, 1]])).toArray(),
        [[NaN, Infinity], [0, 2]],
      );
    });
  }
});
