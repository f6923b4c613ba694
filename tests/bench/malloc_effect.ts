/**
 * `deno run -A tests/bench/malloc_effect.ts`: matmul in fresh processes with glibc's default
 * malloc thresholds (`MATCALC_MALLOC=default`) and with the ones matcalc sets on first use
 * (lib/backend/native/malloc.ts), beside the same dgemm into a reused buffer (the BLAS alone).
 * Medians of 9 samples after a warm-up. The children run without GLIBC_TUNABLES, and without
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (as in `bench:compare`: OpenBLAS picks its own kernels).
 *
 * @module
 */
import { matmul, randn, setThreads } from "matcalc";
import { loadNative } from "../../lib/backend/native/library.ts";

if (Deno.args[0] === "--child") {
  const n = Number(Deno.args[1]), threads = Number(Deno.args[2]);
  setThreads(threads);
  const A = randn([n, n], { seed: 1 }), B = randn([n, n], { seed: 2 });
  // The same library matcalc loaded, through the same FFI declarations.
  const native = loadNative();
  if (!native.ok) throw new Error(`malloc_effect: no native BLAS (${native.reason})`);
  const blas = native.lib.blas;
  const a = A.data, b = B.data, c = new Float64Array(n * n);
  const iters = Math.max(10, Math.round(4e9 / (2 * n ** 3)));
  for (let i = 0; i < iters * 2; i++) matmul(A, B);
  const tm: number[] = [], tr: number[] = [];
  for (let r = 0; r < 9; r++) {
    let t = performance.now();
    for (let i = 0; i < iters; i++) matmul(A, B);
    tm.push((performance.now() - t) / iters);
    t = performance.now();
    for (let i = 0; i < iters; i++) {
      blas.cblas_dgemm(101, 111, 111, n, n, n, 1, a, n, b, n, 0, c, n);
    }
    tr.push((performance.now() - t) / iters);
  }
  const med = (x: number[]) => x.sort((p, q) => p - q)[4];
  console.log(JSON.stringify([2 * n ** 3 / med(tm) / 1e6, 2 * n ** 3 / med(tr) / 1e6]));
  Deno.exit(0);
}

async function child(n: number, threads: number, malloc: string): Promise<number[]> {
  const env = { ...Deno.env.toObject(), MATCALC_MALLOC: malloc };
  for (const v of ["GLIBC_TUNABLES", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]) {
    delete (env as Record<string, string>)[v];
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--child", String(n), String(threads)],
    env,
    clearEnv: true,
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

console.log("| n | threads | glibc default: matmul | matcalc's thresholds: matmul | dgemm alone |");
console.log("|---|---|---:|---:|---:|");
for (const threads of [1, 2]) {
  for (const n of [64, 256, 512, 1024]) {
    const [plain] = await child(n, threads, "default");
    const [tuned, alone] = await child(n, threads, "");
    console.log(
      `| ${n} | ${threads} | ${plain.toFixed(1)} GFLOP/s | ${tuned.toFixed(1)} GFLOP/s | ` +
        `${alone.toFixed(1)} GFLOP/s |`,
    );
  }
}
