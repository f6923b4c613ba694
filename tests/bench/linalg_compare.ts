/**
 * det, inv, solve, eigh and svd at n = 256 (one random matrix, symmetric for eigh): matcalc on
 * its TypeScript kernels and, when the native backend loads, on LAPACK, beside numpy (via
 * python3), all on one thread. Each is called a few times in one run; the table shows the median
 * time and the ratio to numpy. Speed is measured here, never asserted in tests.
 *
 *     deno run -A tests/bench/linalg_compare.ts [--n=256]
 *
 * @module
 */
import { add, det, eigh, inv, randn, setThreads, solve, svd, transpose } from "matcalc";
import { allKernels, useKernels } from "../../lib/linalg/kernels.ts";

const N = Number(Deno.args.find((a) => a.startsWith("--n="))?.slice(4) ?? 256);
setThreads(1);
const A = randn([N, N], { seed: 1 }), B = randn([N, N], { seed: 2 });
const S = add(A, transpose(A));

const tasks: Record<string, () => unknown> = {
  det: () => det(A),
  inv: () => inv(A),
  "solve (k = n)": () => solve(A, B),
  eigh: () => eigh(S),
  svd: () => svd(A),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(f: () => unknown, reps: number): number {
  for (let w = 0; w < 2; w++) f(); // warm-up (JIT, FFI symbol binding)
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const py = `
import numpy as np, time, json
rng = np.random.default_rng(0)
n = ${N}
A = rng.standard_normal((n, n)); B = rng.standard_normal((n, n)); S = A + A.T
tasks = {"det": lambda: np.linalg.det(A), "inv": lambda: np.linalg.inv(A),
         "solve (k = n)": lambda: np.linalg.solve(A, B), "eigh": lambda: np.linalg.eigh(S),
         "svd": lambda: np.linalg.svd(A, full_matrices=False)}
out = {}
for k, f in tasks.items():
    f(); ts = []
    for _ in range(7):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1e3)
    out[k] = sorted(ts)[3]
print(json.dumps(out))
`;
let numpy: Record<string, number> = {};
try {
  const env = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const r = await new Deno.Command("python3", { args: ["-c", py], env }).output();
  numpy = JSON.parse(new TextDecoder().decode(r.stdout));
} catch (e) {
  console.error(`numpy not available: ${e}`);
}

const kernels = allKernels();
const rows: string[][] = [];
for (const [name, f] of Object.entries(tasks)) {
  const row = [name];
  for (const k of kernels) {
    const saved = useKernels(k);
    try {
      row.push(time(f, k.name === "typescript" ? 3 : 7).toFixed(1));
    } finally {
      useKernels(saved);
    }
  }
  const np = numpy[name];
  row.push(np === undefined ? "–" : np.toFixed(1));
  if (np !== undefined) {
    for (let i = 1; i <= kernels.length; i++) row.push(`${(Number(row[i]) / np).toFixed(1)}×`);
  }
  rows.push(row);
}
const head = [
  "op",
  ...kernels.map((k) => `matcalc ${k.name} (ms)`),
  "numpy (ms)",
  ...kernels.map((k) => `${k.name} / numpy`),
];
console.log(`n = ${N}, one thread, median of 3 (typescript) or 7 calls\n`);
console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
