/**
 * @internal The float64 matrix product behind `matmul`. Tiny products run the pure-TypeScript
 * reference (copying into WebAssembly memory would cost more than it saves); larger ones run the
 * SIMD kernel built from `wasm/gemm.wat`, and the largest split their rows of C across worker
 * threads that share one WebAssembly memory.
 *
 * @module
 */
import { matmulReference } from "./matmul_reference.ts";
import { GEMM_SHARED_WASM_BASE64, GEMM_WASM_BASE64 } from "./wasm/gemm_wasm.ts";
import { MR, WORKSPACE_BYTES } from "./wasm/gen_gemm.ts";
import { CTL, STATE, warmUp } from "./matmul_protocol.ts";

export { matmulReference };

/** Below this many multiply-adds (m·k·n) the plain loop wins: it needs no copies. */
export const WASM_MIN_WORK = 4096;
/** From this many multiply-adds on, a second thread pays for its wake-up and its own packing. */
export const THREAD_MIN_WORK = 96 * 96 * 96;
/** Memory kept between calls; a bigger product gets a throwaway instance so it is freed after. */
const KEEP_BYTES = 64 * 2 ** 20;
/** 32-bit addresses and the module's declared maximum (32768 pages) cap one product. */
const MAX_BYTES = 2 ** 31 - 2 ** 16;
const PAGE = 65536;

type Gemm = (m: number, k: number, n: number, a: number, b: number, c: number, ws: number) => void;

function decode(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

let plainModule: WebAssembly.Module | null | undefined;
let plain: { memory: WebAssembly.Memory; gemm: Gemm } | undefined;

function compilePlain(): WebAssembly.Module | null {
  if (plainModule === undefined) {
    try {
      plainModule = new WebAssembly.Module(decode(GEMM_WASM_BASE64) as BufferSource);
      warmUp(plainModule, false);
    } catch {
      // An engine without SIMD or relaxed SIMD keeps the reference path.
      plainModule = null;
    }
  }
  return plainModule;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Gemm {
  return new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as Gemm;
}

function grow(memory: WebAssembly.Memory, bytes: number): void {
  const pages = Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE;
  if (pages > 0) memory.grow(pages);
}

/** Lays out [workspaces | A | B | C] from byte 0 and returns the offsets. */
function layout(threads: number, m: number, k: number, n: number) {
  const a = threads * WORKSPACE_BYTES, b = a + m * k * 8, c = b + k * n * 8;
  return { a, b, c, end: c + m * n * 8 };
}

function load(
  memory: WebAssembly.Memory,
  A: Float64Array,
  B: Float64Array,
  at: ReturnType<typeof layout>,
) {
  const f = new Float64Array(memory.buffer);
  f.set(A, at.a / 8);
  f.set(B, at.b / 8);
  // Memory is reused between calls, and the kernel accumulates into C.
  f.fill(0, at.c / 8, at.end / 8);
  return f;
}

// ---- worker pool ---------------------------------------------------------------------------

let threads = 1;
let shared:
  | { module: WebAssembly.Module; memory: WebAssembly.Memory; gemm: Gemm; ctl: Int32Array[] }
  | undefined;

/**
 * @internal Sets how many threads large products use (1 = no workers, the default). Workers start
 * lazily on the first large product and close after a second idle.
 */
export function setMatmulThreads(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`setThreads: cannot use ${count} threads: expected an integer ≥ 1`);
  }
  threads = count;
}

/** @internal The thread count set by {@link setMatmulThreads}. */
export function getMatmulThreads(): number {
  return threads;
}

/** Starts (or restarts closed) workers; they are usable once their state reads idle. */
function ensureWorkers(count: number): void {
  if (shared === undefined) {
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(decode(GEMM_SHARED_WASM_BASE64) as BufferSource);
    } catch {
      return;
    }
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    shared = { module, memory, gemm: instantiate(module, memory), ctl: [] };
  }
  while (shared.ctl.length < count) {
    const ctl = new Int32Array(new SharedArrayBuffer(CTL.length * 4));
    Atomics.store(ctl, CTL.state, STATE.closed);
    shared.ctl.push(ctl);
  }
  for (const ctl of shared.ctl.slice(0, count)) {
    if (Atomics.compareExchange(ctl, CTL.state, STATE.closed, STATE.starting) !== STATE.closed) {
      continue;
    }
    const worker = new Worker(new URL("./matmul_worker.ts", import.meta.url), { type: "module" });
    worker.postMessage({ module: shared.module, memory: shared.memory, ctl });
  }
}

function threaded(A: Float64Array, B: Float64Array, m: number, k: number, n: number) {
  const s = shared!;
  const helpers = s.ctl.slice(0, threads - 1).filter((c) =>
    Atomics.load(c, CTL.state) === STATE.idle
  );
  const at = layout(helpers.length + 1, m, k, n);
  grow(s.memory, at.end);
  const f = load(s.memory, A, B, at);
  // Rows of C are cut at multiples of the register tile so no thread computes an edge tile twice.
  const parts = helpers.length + 1;
  const cut = (i: number) => i >= parts ? m : Math.min(m, Math.round((m * i) / parts / MR) * MR);
  const posted: Int32Array[] = [];
  helpers.forEach((ctl, h) => {
    const r0 = cut(h + 1), r1 = cut(h + 2);
    ctl[CTL.m] = r1 - r0;
    ctl[CTL.k] = k;
    ctl[CTL.n] = n;
    ctl[CTL.a] = at.a + r0 * k * 8;
    ctl[CTL.b] = at.b;
    ctl[CTL.c] = at.c + r0 * n * 8;
    ctl[CTL.ws] = (h + 1) * WORKSPACE_BYTES;
    // A worker that timed out between the filter above and here has closed: do its rows here.
    if (Atomics.compareExchange(ctl, CTL.state, STATE.idle, STATE.job) === STATE.idle) {
      Atomics.notify(ctl, CTL.state);
      posted.push(ctl);
    } else {
      s.gemm(r1 - r0, k, n, ctl[CTL.a], at.b, ctl[CTL.c], 0);
    }
  });
  s.gemm(cut(1), k, n, at.a, at.b, at.c, 0);
  for (const ctl of posted) {
    while (Atomics.load(ctl, CTL.state) === STATE.job) Atomics.wait(ctl, CTL.state, STATE.job);
    Atomics.store(ctl, CTL.state, STATE.idle);
    Atomics.notify(ctl, CTL.state);
  }
  return f.slice(at.c / 8, at.end / 8);
}

// ---- entry point ---------------------------------------------------------------------------

/**
 * @internal `C[m×n] = A[m×k] · B[k×n]` for row-major float64 buffers; equals
 * {@link matmulReference} up to rounding (the SIMD path fuses multiply and add).
 */
export function matmulKernel(
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const work = m * k * n;
  // Matrix·vector, vector·matrix and outer products are memory-bound: copying into wasm memory
  // costs as much as the product, and thin shapes would run only edge tiles.
  if (n === 1) return matvec(A, B, m, k);
  if (work < WASM_MIN_WORK || m === 1 || k === 1 || compilePlain() === null) {
    return matmulReference(A, B, m, k, n);
  }
  if (threads > 1 && work >= THREAD_MIN_WORK && m >= 2 * MR) {
    ensureWorkers(threads - 1);
    if (
      shared &&
      shared.ctl.slice(0, threads - 1).some((c) => Atomics.load(c, CTL.state) === STATE.idle)
    ) {
      const at = layout(threads, m, k, n);
      if (at.end <= MAX_BYTES) return threaded(A, B, m, k, n);
    }
  }
  const at = layout(1, m, k, n);
  if (at.end > MAX_BYTES) return matmulReference(A, B, m, k, n);
  let inst = plain;
  if (at.end > KEEP_BYTES) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768 });
    inst = { memory, gemm: instantiate(plainModule!, memory) };
  } else if (inst === undefined) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768 });
    inst = plain = { memory, gemm: instantiate(plainModule!, memory) };
  }
  grow(inst.memory, at.end);
  const f = load(inst.memory, A, B, at);
  inst.gemm(m, k, n, at.a, at.b, at.c, 0);
  return f.slice(at.c / 8, at.end / 8);
}

/** `C[m] = A[m×k] · b[k]`, summing in the same order as {@link matmulReference}. */
function matvec(A: Float64Array, b: Float64Array, m: number, k: number): Float64Array {
  const C = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const ai = i * k;
    for (let p = 0; p < k; p++) s += A[ai + p] * b[p];
    C[i] = s;
  }
  return C;
}
