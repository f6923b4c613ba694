/**
 * `deno task bench:compare`: matcalc on both backends (native BLAS through FFI, and its own
 * WebAssembly kernel; 1 and 2 threads for matmul) beside numpy (1 thread and default threads,
 * via python3), ml-matrix and TensorFlow.js (float32; cpu and wasm backends) on matmul, kron, outer, grad,
 * jacobian and one MNIST epoch. Repetitions are interleaved (every implementation once per round)
 * so machine load hits all alike; the table shows medians and the ratio to numpy on one thread.
 * Writes tests/bench/RESULTS.md. Speed is measured here, never asserted in tests.
 *
 * @module
 */
import { randn, type Tensor } from "matcalc";
import { Matrix } from "ml-matrix";
import { loadMnist } from "./mnist_epoch.ts";
import { Child } from "./child.ts";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { matmulReference } from "../../lib/backend/matmul_reference.ts";

const QUICK = Deno.args.includes("--quick");
/** `--only=kron,outer`: run just the rows whose task names contain one of these (no RESULTS.md). */
const ONLY = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? [];
/**
 * `--impl=native`: run only the implementations whose names contain one of these, beside
 * numpy (always run: it is the reference); no RESULTS.md. Interleaving fewer implementations
 * shows what the others' leftover work (their threads, their garbage) costs the rest.
 */
const IMPLS = Deno.args.find((a) => a.startsWith("--impl="))?.slice(7).split(",") ?? [];
const ROUNDS = QUICK ? 3 : 9;
/** Each timed sample runs a call this long (seconds) at least, repeating fast calls. */
const SAMPLE_S = QUICK ? 0.02 : 0.05;
/**
 * Untimed calls for this long (seconds) before an implementation's samples: V8 optimizes code
 * (JavaScript and WebAssembly alike) over many calls, and one warm-up call leaves the first
 * samples of a slow task (the MNIST epoch) still in the slower tiers.
 */
const WARM_S = QUICK ? 0.1 : 0.5;

// ---- numpy over a pipe ---------------------------------------------------------------------

/** numpy over a pipe, on one thread or OpenBLAS's default. */
class Numpy extends Child {
  /** Whether numpy may use several threads (whose spinning then needs a pause). */
  readonly threaded: boolean;
  constructor(threads: "1" | "default") {
    const env = Deno.env.toObject();
    // The machine may pin OpenBLAS to an old core type for safety; that slows a current numpy,
    // so the benchmark (only) lets it pick its own kernels.
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    // numpy runs as users run it: it asks for huge pages for its large arrays itself.
    delete env.GLIBC_TUNABLES;
    if (threads === "1") {
      env.OPENBLAS_NUM_THREADS = "1";
      env.OMP_NUM_THREADS = "1";
    } else {
      delete env.OPENBLAS_NUM_THREADS;
      delete env.OMP_NUM_THREADS;
    }
    super("python3", ["-u", new URL("compare_numpy.py", import.meta.url).pathname], env);
    this.threaded = threads === "default";
  }
}

/**
 * matcalc in a Deno process of its own (`compare_child.ts`), as numpy has one; with
 * `tunables: false` it runs without `GLIBC_TUNABLES` (glibc's default malloc).
 */
class Matcalc extends Child {
  constructor(tunables: boolean) {
    const env = Deno.env.toObject();
    // As for numpy: OpenBLAS picks its own kernels.
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    if (!tunables) delete env.GLIBC_TUNABLES;
    super(
      Deno.execPath(),
      ["run", "-A", new URL("compare_child.ts", import.meta.url).pathname],
      env,
    );
  }
}

// ---- implementations -----------------------------------------------------------------------

interface Impl {
  lib: string;
  /** Seconds per call, averaged over `iters` calls. */
  run(iters: number): Promise<number>;
  /** Untimed work before each sample (e.g. waking worker threads). */
  before?: () => Promise<void>;
}
interface Row {
  task: string;
  flops?: number;
  impls: Impl[];
}

function js(lib: string, f: () => unknown, before?: () => Promise<void>): Impl {
  return {
    lib,
    before,
    run(iters) {
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) f();
      return Promise.resolve((performance.now() - t0) / 1e3 / iters);
    },
  };
}

/**
 * A call timed in a child process (numpy or matcalc). With `threads`, the sample needs both
 * cores: it starts after an untimed pause, so that whatever ran before (OpenBLAS threads
 * spinning after a call, a V8 heap being swept on a helper thread) is done, and it is followed
 * by the same pause, for its own OpenBLAS threads spin after it.
 */
function remote(
  child: Child,
  lib: string,
  task: string,
  args: Record<string, unknown>,
  threads = false,
): Impl {
  const settle = () => new Promise<void>((r) => setTimeout(r, BLAS_SPIN_MS));
  return {
    lib,
    before: threads ? settle : undefined,
    run: async (iters) => {
      const seconds = (await child.ask({ task, args, iters })) as number;
      if (threads) await settle();
      return seconds;
    },
  };
}

const py = (np: Numpy, lib: string, task: string, args: Record<string, unknown>) =>
  remote(np, lib, task, args, np.threaded);

/**
 * matcalc on one backend and thread count; multi-threaded samples get the pauses numpy's do
 * (see {@linkcode remote}).
 */
function mc(
  mcp: Matcalc,
  lib: string,
  backend: "native" | "wasm",
  threads: number,
  task: string,
  args: Record<string, unknown>,
): Impl {
  const wake = backend === "wasm" && threads > 1;
  return remote(mcp, lib, task, { ...args, backend, threads, wake }, threads > 1);
}

/**
 * After a call, OpenBLAS's worker threads busy-wait for new work (about 0.1 s of CPU, measured
 * here): on 2 cores that would slow whatever runs next. Samples of multi-threaded numpy and
 * matcalc are followed by an untimed pause so the next implementation gets the machine as
 * everyone else does, and preceded by one so that they get both cores idle.
 */
const BLAS_SPIN_MS = 200;

function tfjs(lib: string, backend: string, f: () => tf.Tensor | tf.Tensor[]): Impl {
  return {
    lib,
    async run(iters) {
      await tf.setBackend(backend);
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) {
        const out = tf.tidy(f);
        // dataSync waits for the backend, so the time includes the whole computation.
        for (const o of Array.isArray(out) ? out : [out]) {
          o.dataSync();
          o.dispose();
        }
      }
      return (performance.now() - t0) / 1e3 / iters;
    },
  };
}

const rnd = (shape: number[], seed: number) => randn(shape, { seed });
const f32 = (t: Tensor) => tf.tensor(Float32Array.from(t.data), t.shape as number[]);
const mlm = (t: Tensor) => new Matrix(t.toArray() as number[][]);

// ---- rows ----------------------------------------------------------------------------------

async function tfWasmStatus(): Promise<string> {
  try {
    const dir = new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url);
    setWasmPaths(dir.href);
    const ok = await tf.setBackend("wasm");
    await tf.ready();
    return ok ? "ok" : "setBackend('wasm') returned false";
  } catch (e) {
    return `failed: ${(e as Error).message.split("\n")[0]}`;
  }
}

function rows(
  np1: Numpy,
  npN: Numpy,
  mcp: Matcalc,
  plain: Matcalc,
  native: boolean,
  tfWasm: boolean,
  mnistFile: string,
  digits: number,
) {
  const PLAIN = "(glibc default malloc)";
  const out: Row[] = [];
  const both = (task: string, args: Record<string, unknown>) => [
    py(np1, "numpy 1 thread", task, args),
    py(npN, "numpy default threads", task, args),
  ];
  /** The same matcalc call on the native backend (if it loads) and on the wasm kernel. */
  const mcBoth = (lib: string, task: string, args: Record<string, unknown>) => [
    ...(native ? [mc(mcp, `matcalc native: ${lib}`, "native", 1, task, args)] : []),
    mc(mcp, `matcalc wasm: ${lib}`, "wasm", 1, task, args),
  ];
  for (const n of [64, 256, 512, 1024]) {
    const A = rnd([n, n], 1), B = rnd([n, n], 2);
    const a = A.data, b = B.data;
    const ta = f32(A), tb = f32(B);
    const ma = mlm(A), mb = mlm(B);
    out.push({
      task: `matmul ${n}×${n}`,
      flops: 2 * n ** 3,
      impls: [
        ...both("matmul", { n }),
        ...(native
          ? [
            mc(mcp, "matcalc native 1 thread", "native", 1, "matmul", { n }),
            mc(mcp, "matcalc native 2 threads", "native", 2, "matmul", { n }),
          ]
          : []),
        mc(mcp, "matcalc wasm 1 thread", "wasm", 1, "matmul", { n }),
        mc(mcp, "matcalc wasm 2 threads", "wasm", 2, "matmul", { n }),
        ...(n <= 512
          ? [js("plain TS loop (reference)", () => matmulReference(a, b, n, n, n))]
          : []),
        js("ml-matrix", () => ma.mmul(mb)),
        tfjs("tfjs cpu (float32)", "cpu", () => tf.matMul(ta, tb)),
        ...(tfWasm ? [tfjs("tfjs wasm (float32)", "wasm", () => tf.matMul(ta, tb))] : []),
      ],
    });
  }
  {
    const p = 48, A = rnd([p, p], 3), B = rnd([p, p], 4);
    const ma = mlm(A), mb = mlm(B);
    // The same seeds as compare_child's "kron", so ml-matrix multiplies the same numbers.
    out.push({
      task: `kron ${p}×${p} ⊗ ${p}×${p}`,
      impls: [
        ...both("kron", { p }),
        ...mcBoth("kron", "kron", { p }),
        remote(plain, `matcalc ${PLAIN}`, "kron", { p }),
        js("ml-matrix", () => ma.kroneckerProduct(mb)),
      ],
    });
  }
  {
    const n = 4096;
    out.push({
      task: `outer(g, x) ${n}, chain rule of y = W x`,
      impls: [
        ...both("outer", { n }),
        ...mcBoth("outer", "outer", { n }),
        ...mcBoth("jacobianOfMatmul.contract", "contract", { n }),
        remote(plain, `matcalc outer ${PLAIN}`, "outer", { n }),
        remote(plain, `matcalc contract ${PLAIN}`, "contract", { n }),
      ],
    });
  }
  {
    const m = 64, n = 64;
    out.push({
      task: `dense jacobian ∂(W x)/∂W ${m}×${m}×${n}`,
      impls: [
        ...both("jacobian", { m, n }),
        ...mcBoth("jacobian (autodiff)", "jacobian", { m, n }),
        ...mcBoth("jacobianOfMatmul.materialize", "materialize", { m, n }),
        remote(plain, `matcalc materialize ${PLAIN}`, "materialize", { m, n }),
      ],
    });
  }
  {
    const n = 1024, W = rnd([n, n], 9), x = rnd([n], 10), t = rnd([n], 11);
    const tW = f32(W), tx = f32(x), tt = f32(t);
    out.push({
      task: `grad ½‖Wx − t‖², W ${n}×${n}`,
      impls: [
        ...both("grad_lsq", { n }),
        ...mcBoth("valueAndGrad (autodiff)", "grad_lsq", { n }),
        ...mcBoth("closed form (Wx − t) xᵀ", "grad_lsq_closed", { n }),
        tfjs("tfjs cpu closed form (float32)", "cpu", () => {
          const r = tf.sub(tf.reshape(tf.matMul(tW, tf.reshape(tx, [n, 1])), [n]), tt);
          return [
            tf.mul(0.5, tf.sum(tf.square(r))),
            tf.outerProduct(r as tf.Tensor1D, tx as tf.Tensor1D),
          ];
        }),
      ],
    });
  }
  {
    const args = { batch: 100, d: 784, h: 128, o: 10 };
    out.push({
      task: `grad 2-layer MLP 784→128→10, batch ${args.batch}`,
      impls: [
        ...both("grad_mlp", args),
        ...mcBoth("valueAndGrad (autodiff)", "grad_mlp", args),
        ...mcBoth("closed form (backprop by hand)", "grad_mlp_closed", args),
      ],
    });
  }
  out.push({
    task: `MNIST softmax regression, 1 epoch (${digits} digits, batch 100, lr 0.5)`,
    impls: [
      ...both("mnist", { file: mnistFile, n: digits }),
      ...mcBoth("valueAndGrad + crossEntropy", "mnist", {}),
    ],
  });
  return out;
}

const NOTES = `Notes
- Processes: numpy runs in a Python process and matcalc in a Deno process of its own
  (tests/bench/compare_child.ts); ml-matrix, TensorFlow.js and the plain TS loop run in the
  parent, so matcalc's garbage collector never walks their heaps (as numpy's process holds
  numpy's work alone). Run-to-run noise on this VM is larger than what this changed: the same
  256² native product came out at 1.02×, 1.16×, 1.34× and 1.42× numpy's time in four runs.
- Backends: "matcalc native" rows call Debian's OpenBLAS (libopenblas0-pthread, 0.3.21) through
  Deno's FFI (cblas_dgemm, transposed operands by flag); numpy bundles its own OpenBLAS
  (scipy-openblas 0.3.31). Both pick their kernels for this CPU (OPENBLAS_CORETYPE and
  OPENBLAS_L2_SIZE, which this machine sets, are unset for both); both choose the Cooperlake
  (AVX-512) kernels here and, called alone on the same buffers, run dgemm at the same speed
  (77–86 GFLOP/s on one thread, 105–150 on two). What the matmul rows add on matcalc's side is
  the result: a fresh zeroed ArrayBuffer per call (numpy reuses the block it freed a moment
  before, unzeroed); matcalc keeps glibc from unmapping freed results (see the README,
  Backends: Memory), which is what brought the two-thread rows to numpy's. "matcalc wasm" rows are
  matcalc's WebAssembly kernel, the fallback when FFI is not permitted or no library loads; the
  notes below about the kernel, its threads and its copies concern those rows.
- Rows other than matmul run matcalc on one thread on each backend; the products inside them
  (the MNIST step, the MLP layers, the outer products) are small or memory-bound, and the rest of
  their time is matcalc's own elementwise ops and autodiff, the same code on both backends.
- Memory-bound rows (kron, outer, dense Jacobians, the 1024² gradient) are dominated by the
  first touch of a large fresh result. numpy asks Linux for transparent huge pages (2 MiB) on
  its large arrays; Deno's ArrayBuffers come from glibc's malloc, which does the same only when
  started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (this machine's THP mode is "madvise").
  \`deno task bench:compare\`, \`deno task notebooks\`, \`deno task repl\` and the matcalc
  Jupyter kernel set it; the rows marked "glibc default malloc" show the same code without it
  (4 KiB faults: about 4 µs each in this VM, 138 ms per 134 MB).
- Spikes in the memory-bound rows: this VM hands memory the guest frees back to the host at
  once (free page reporting, min_free_ms=0 in the machine line above), and a fresh result that
  lands on such pages faults them in from the host. The first touch of a 134 MB result then
  takes 155–185 ms instead of 17 ms. V8 frees a large buffer at its next scavenge; in loops of
  fresh 4096² buffers 10–12 of 180 calls were hit, against 1 of 180 with reporting delayed
  5 s (min_free_ms=5000, set for that test only) and none of numpy's 180 np.outer calls. One
  cluster of such calls moves a median: outer ran at 1.6× numpy in one \`--only=outer\` run
  and 2.0× in a full run, with the same code.
- Keeping freed memory in malloc instead (GLIBC_TUNABLES adds glibc.malloc.mmap_max=0 and
  glibc.malloc.trim_threshold=1073741824: large results come from the heap and are reused
  without page faults) ran outer at 1.14–1.21× numpy and kron at 0.95–1.01× in two
  \`--only\` runs, but the process then keeps its peak memory (1.4 GB after 30 fresh 4096²
  products, against 99 MB with the defaults), so the tasks and the kernel do not set it; the
  README shows how to.
- Dense Jacobian 64×64×64 (2 MB, 64 nonzero strips): the time is the allocation itself.
  \`new Float64Array(262144)\` alone takes about 175 µs here (glibc's calloc zeroes a
  cache-cold chunk: V8 frees garbage only at its next GC), while numpy's \`np.zeros\` of the same
  size takes about 44 µs (reference counting frees the previous array at once, so calloc
  zeroes a cache-hot one). Pooling buffers would close the gap but a result is the caller's to
  keep, so matcalc does not.
- matmul 1 thread: the wasm kernel (6×4 register tile of f64x2, relaxed-SIMD FMA) runs at about
  18–19 GFLOP/s on its own (128-bit SIMD: half the width of numpy's AVX2 kernel), about 90 % of
  this core's 128-bit FMA peak; copies in and out of WebAssembly memory cost the rest.
- Noise: on this VM the same wasm kernel swings between about 10 and 19 GFLOP/s, within seconds,
  and a slow phase can last a whole section of a run while numpy keeps its speed (the last
  column, fastest round over fastest round, shows what the machine gives in its good phases).
  What was ruled out: JIT tiering (\`--trace-wasm-compilation-times\`, \`--no-liftoff\`), GC and
  memory growth (the kernel alone, in a loop, shows it), huge pages (THP "always"), the
  guest's DAMON page reclaim (switched off for a test), its free page reporting (delayed 5 s
  for a test), and the kernel's own shape (other blockings, loop orders, prefetching by loads:
  all slow down alike).
  A register-only FMA loop keeps 24–25 GFLOP/s right through the kernel's slow phases, so it
  is the memory side: at times the kernel's L2/L3 traffic gets slower, more so when both cores
  run it (two copies side by side ran 17 + 17 GFLOP/s in one test, 11 + 11 in another).
- matmul 2 threads: B is packed once, by whichever thread gets to it first (usually the worker,
  while the caller copies A into the shared WebAssembly memory); then both threads claim blocks
  of rows of C from a shared counter, so a thread slowed by its core does fewer blocks; the
  caller copies finished blocks out between its own. Threads spin up to 2 ms before sleeping
  on a shared word (if there are no more threads than cores): a worker that slept between
  products was probably woken onto the caller's core (after an idle pause, calls 4–10 ran
  slower on two threads than on one). A worker closes after 1 s idle, so the samples wake it
  (untimed) first.
- MNIST step: [100×784]·[784×10] and its weight gradient Xᵀ·G have 10 columns, so they run the
  narrow kernels (no packing: dot products along rows of X, and axpy updates down Xᵀ's
  columns). The batch is copied into WebAssembly memory once per step: the backward sweep
  reuses the forward's copy within one grad call, never across calls (.data is writable).`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fmtTime(s: number): string {
  return s >= 1
    ? `${s.toFixed(2)} s`
    : s >= 1e-3
    ? `${(s * 1e3).toFixed(2)} ms`
    : `${(s * 1e6).toFixed(1)} µs`;
}

/** The guest's free page reporting settings, which decide how often a fresh result is slow. */
async function pageReporting(): Promise<string> {
  const dir = "/sys/module/page_reporting/parameters";
  const read = async (f: string) =>
    (await Deno.readTextFile(`${dir}/${f}`).catch(() => "?")).trim();
  try {
    await Deno.stat(dir);
  } catch {
    return "none";
  }
  return `page_reporting_order=${await read("page_reporting_order")}, min_free_ms=${await read(
    "min_free_ms",
  )}`;
}

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(o.stdout).trim();
  } catch {
    return "?";
  }
}

async function main() {
  const started = performance.now();
  const digits = loadMnist();
  const mnistFile = await Deno.makeTempFile({ suffix: ".f64" });
  const buf = new Float64Array(digits.n * 785);
  buf.set(digits.X);
  buf.set(Float64Array.from(digits.labels), digits.n * 784);
  await Deno.writeFile(mnistFile, new Uint8Array(buf.buffer));

  const np1 = new Numpy("1"), npN = new Numpy("default");
  const mcp = new Matcalc(true), plain = new Matcalc(false);
  const info = (await np1.ask({ task: "info" })) as { numpy: string; threadpool: unknown };
  const nativeInfo = (await mcp.ask({ task: "info" })) as {
    name: string;
    library: string | null;
    fallback: string | null;
  };
  const native = nativeInfo.name === "native";
  const tfWasm = await tfWasmStatus();
  await tf.setBackend("cpu");

  const keep = (impl: Impl) =>
    IMPLS.length === 0 || impl.lib.startsWith("numpy") || IMPLS.some((i) => impl.lib.includes(i));
  const table = rows(np1, npN, mcp, plain, native, tfWasm === "ok", mnistFile, digits.n).filter((
    r,
  ) => ONLY.length === 0 || ONLY.some((o) => r.task.includes(o)))
    .map((r) => ({ ...r, impls: r.impls.filter(keep) }));
  const lines: string[] = [];
  for (const row of table) {
    // Calibrate: untimed calls for WARM_S (warm-up, JIT), then enough calls per sample to last
    // SAMPLE_S.
    const iters: number[] = [];
    for (const impl of row.impls) {
      await impl.before?.();
      const w0 = performance.now();
      let t = await impl.run(1);
      while (performance.now() - w0 < WARM_S * 1e3) t = await impl.run(1);
      iters.push(Math.max(1, Math.min(1000, Math.round(SAMPLE_S / Math.max(t, 1e-7)))));
    }
    const samples: number[][] = row.impls.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < row.impls.length; i++) {
        await row.impls[i].before?.();
        samples[i].push(await row.impls[i].run(iters[i]));
      }
    }
    const meds = samples.map(median), mins = samples.map((xs) => Math.min(...xs));
    row.impls.forEach((impl, i) => {
      const gf = row.flops ? (row.flops / meds[i] / 1e9).toFixed(2) : "";
      lines.push(
        `| ${row.task} | ${impl.lib} | ${fmtTime(meds[i])} | ${gf} | ${
          (meds[i] / meds[0]).toFixed(2)
        }× | ${(mins[i] / mins[0]).toFixed(2)}× |`,
      );
    });
    console.error(`done: ${row.task} (${((performance.now() - started) / 1e3).toFixed(0)} s)`);
  }
  for (const child of [np1, npN, mcp, plain]) await child.close();
  await Deno.remove(mnistFile);

  const header = [
    "| task | implementation | median | GFLOP/s | time ÷ numpy 1 thread | fastest ÷ fastest |",
    "|---|---|---:|---:|---:|---:|",
  ];
  const tableText = [...header, ...lines].join("\n");
  console.log(tableText);

  const cpu = (await sh("lscpu", [])).split("\n").filter((l) =>
    /Model name|^CPU\(s\)|Flags/.test(l)
  )
    .map((l) => l.replace(/\s+/g, " ").replace(/^(Flags: ).*?(avx2|$).*/, "$1… $2 …"));
  const machine = [
    `- CPU: ${cpu.join("; ")}`,
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}; numpy ${info.numpy}` +
    ` (${JSON.stringify(info.threadpool) === "{}" ? "OpenBLAS" : JSON.stringify(info.threadpool)})`,
    `- matcalc backends: native = ${
      native ? `${nativeInfo.library} through Deno.dlopen` : `not loaded (${nativeInfo.fallback})`
    }; wasm = matcalc's WebAssembly kernel; rows say which, and matcalc ran 1 thread unless ` +
    `a row says 2; the "glibc default malloc" rows ran on the default backend`,
    `- ml-matrix 6.15.1; TensorFlow.js 4.22.0 (float32): cpu backend, wasm backend: ${tfWasm}`,
    `- matcalc ran in a Deno process of its own with GLIBC_TUNABLES=${
      Deno.env.get("GLIBC_TUNABLES") ?? "(unset)"
    } (as \`deno task bench:compare\` and the matcalc kernel set it); rows marked "glibc ` +
    'default malloc" ran in a third Deno process without it; numpy ran without it',
    `- ${ROUNDS} interleaved rounds, medians (the last column: each implementation's fastest ` +
    `round over numpy's fastest), after ≥ ${WARM_S} s of untimed calls per implementation; ` +
    `OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for numpy and matcalc's OpenBLAS`,
    `- an untimed ${BLAS_SPIN_MS} ms pause comes before and after each multi-threaded numpy or ` +
    `matcalc sample (OpenBLAS threads busy-wait ~0.1 s after a call, which would slow the next ` +
    `implementation; and a sample on both cores should not share them with work left over ` +
    `from the one before)`,
    `- free page reporting to the host (virtio-balloon): ${await pageReporting()}`,
    `- whole run: ${((performance.now() - started) / 1e3).toFixed(0)} s; load average at end: ${
      (await sh("cat", ["/proc/loadavg"])).split(" ").slice(0, 3).join(" ")
    }`,
  ];
  if (!QUICK && ONLY.length === 0 && IMPLS.length === 0) {
    await Deno.writeTextFile(
      new URL("RESULTS.md", import.meta.url),
      `# Benchmark results\n\nPrinted by \`deno task bench:compare\` (tests/bench/compare.ts) on ${
        new Date().toISOString().slice(0, 10)
      }.\n\n${machine.join("\n")}\n\n${tableText}\n\n${NOTES}\n`,
    );
  }
  console.log(machine.join("\n"));
}

if (import.meta.main) await main();
