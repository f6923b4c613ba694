/**
 * @internal What the caller of a threaded product and its matmul workers share: the control
 * words of each worker, the counters of one product's row blocks, the loop every thread runs
 * over those blocks, and the warm-up that gets the kernel optimized before the first product.
 *
 * @module
 */
import { packedBBytes, WORKSPACE_BYTES } from "./gemm_layout.ts";

/** @internal Slots of the control words shared by the caller and one matmul worker. */
export const CTL = {
  state: 0,
  m: 1,
  k: 2,
  n: 3,
  a: 4,
  b: 5,
  bpk: 6,
  c: 7,
  ws: 8,
  trans: 9,
  lda: 10,
  rows: 11,
  flags: 12,
  spin: 13,
  length: 14,
} as const;
/** @internal Worker states in `ctl[CTL.state]`. */
export const STATE = { starting: 0, idle: 1, job: 2, done: 3, closed: 4 } as const;
/** @internal How long a worker waits for work before it closes itself. */
export const IDLE_MS = 1000;
/**
 * @internal How long a thread spins on a shared word before it sleeps on it, when there are no
 * more threads than cores (otherwise a spinning thread would take a core from a working one).
 */
export const SPIN_MS = 2;

/**
 * @internal Waits while `arr[i]` holds `value`: it spins for up to `spinMs`, then sleeps on the
 * word for up to `timeoutMs`; false if that timed out. Sleeping between the products of
 * a training loop costs more than the wake-up: on a 2-core VM the scheduler often wakes a
 * sleeper onto the waker's core, and both threads then share one core (measured: calls 4–10
 * after an idle pause took longer with two threads than with one) until the load balancer
 * moves one of them.
 */
export function waitWhile(
  arr: Int32Array,
  i: number,
  value: number,
  spinMs: number,
  timeoutMs = Infinity,
): boolean {
  const spinUntil = performance.now() + spinMs;
  while (Atomics.load(arr, i) === value) {
    if (performance.now() < spinUntil) continue;
    return Atomics.wait(arr, i, value, timeoutMs) !== "timed-out" || Atomics.load(arr, i) !== value;
  }
  return true;
}

/**
 * @internal Slots of the counters all threads of one product share: the next row block to
 * claim, how many rows of A the caller has copied in so far, and B's packing (see
 * {@link PACKED}).
 */
export const SYNC = { next: 0, ready: 1, packed: 2, length: 3 } as const;
/** @internal States of `sync[SYNC.packed]`. */
export const PACKED = { no: 0, busy: 1, yes: 2 } as const;

/** @internal `packb(k, n, b, trans, dst)`: see gen_gemm.ts. */
export type PackB = (k: number, n: number, b: number, trans: number, dst: number) => void;

/**
 * @internal `gemm(m, k, n, a, b, c, ws, trans, lda, bpk)`: see gen_gemm.ts (trans bit 1: Aᵀ, bit 2: Bᵀ).
 * It writes C without reading it, so the C slot is never zeroed first.
 */
export type Gemm = (
  m: number,
  k: number,
  n: number,
  a: number,
  b: number,
  c: number,
  ws: number,
  trans: number,
  lda: number,
  bpk: number,
) => void;

/**
 * @internal One threaded product, in wasm byte addresses: op(A) is `[m, k]` at `a`, B is at
 * `b` and packed once into `bpk`, C is `[m, n]` at `c`; `ws` is this thread's scratch. The rows
 * of C go out `rows` at a time, and a helper marks each block it finishes in the Int32 flags at
 * `flags`. Waits spin for `spin` ms first (see {@link waitWhile}).
 */
export interface Job {
  m: number;
  k: number;
  n: number;
  a: number;
  b: number;
  bpk: number;
  c: number;
  ws: number;
  trans: number;
  lda: number;
  rows: number;
  flags: number;
  spin: number;
}

/** The control-word slots a job occupies, in {@link CTL}'s order. */
const JOB_KEYS = [
  "m",
  "k",
  "n",
  "a",
  "b",
  "bpk",
  "c",
  "ws",
  "trans",
  "lda",
  "rows",
  "flags",
  "spin",
] as const;

/** @internal Writes `job` into a worker's control words (the state is set separately). */
export function writeJob(ctl: Int32Array, job: Job): void {
  for (const key of JOB_KEYS) ctl[CTL[key]] = job[key];
}

/** @internal Reads the job a worker has been handed. */
export function readJob(ctl: Int32Array): Job {
  const job = {} as Job;
  for (const key of JOB_KEYS) job[key] = ctl[CTL[key]];
  return job;
}

/**
 * @internal Claims row blocks of C until none are left and calls `after(i)` when block i is
 * done. Before its first block a thread packs B if no other thread has started to (the caller
 * while a helper is still waking up, or a helper while the caller copies A in), or waits for
 * it; each block waits until the caller has copied its rows of A in. Every thread of a product
 * runs this same loop, so a thread that is slower (another process on its core, a late
 * wake-up, the caller's copying) simply ends up with fewer blocks.
 */
export function runBlocks(
  gemm: Gemm,
  packb: PackB,
  job: Job,
  sync: Int32Array,
  after: (block: number) => void,
): void {
  const { m, k, n, a, b, bpk, c, ws, trans, lda, rows, spin } = job;
  const blocks = Math.ceil(m / rows);
  // Rows r of op(A) start r numbers in when A is stored transposed, r rows in otherwise.
  const rowBytes = (trans & 1 ? 1 : k) * 8;
  let packed = false;
  for (let i = Atomics.add(sync, SYNC.next, 1); i < blocks; i = Atomics.add(sync, SYNC.next, 1)) {
    if (!packed) {
      if (Atomics.compareExchange(sync, SYNC.packed, PACKED.no, PACKED.busy) === PACKED.no) {
        packb(k, n, b, trans, bpk);
        Atomics.store(sync, SYNC.packed, PACKED.yes);
        Atomics.notify(sync, SYNC.packed);
      }
      while (Atomics.load(sync, SYNC.packed) !== PACKED.yes) {
        waitWhile(sync, SYNC.packed, PACKED.busy, spin);
      }
      packed = true;
    }
    const r0 = i * rows, r1 = Math.min(m, r0 + rows);
    for (let seen; (seen = Atomics.load(sync, SYNC.ready)) < r1;) {
      waitWhile(sync, SYNC.ready, seen, spin);
    }
    gemm(r1 - r0, k, n, a + r0 * rowBytes, 0, c + r0 * n * 8, ws, trans, lda, bpk);
    after(i);
  }
}

/**
 * @internal A helper's part of a product: {@link runBlocks}, flagging each block done so the
 * caller can copy its rows of C out while the others are still being computed.
 */
export function help(
  gemm: Gemm,
  packb: PackB,
  memory: WebAssembly.Memory,
  job: Job,
  sync: Int32Array,
): void {
  const flags = new Int32Array(memory.buffer, job.flags, Math.ceil(job.m / job.rows));
  runBlocks(gemm, packb, job, sync, (i) => Atomics.store(flags, i, 1));
}

/**
 * @internal Runs a few small products on a private instance of `module`. V8 first runs wasm with
 * its baseline compiler and optimizes a function only after it has been called a while; without
 * this, the first large product (or a fresh worker's first share of one) would crawl.
 */
export function warmUp(module: WebAssembly.Module, shared: boolean): void {
  const n = 24, bytes = WORKSPACE_BYTES + 3 * n * n * 8 + packedBBytes(n, n);
  const memory = new WebAssembly.Memory({
    initial: Math.ceil(bytes / 65536),
    maximum: 32768,
    shared,
  });
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const gemm = ex.gemm as Gemm;
  const packb = ex.packb as PackB;
  const narrow = ex.narrow as (...args: number[]) => void;
  const a = WORKSPACE_BYTES, b = a + n * n * 8, c = b + n * n * 8, bpk = c + n * n * 8;
  // Every packing routine (plain and transposed operands) gets optimized, and with threads the
  // path that reads a B packed beforehand.
  for (let i = 0; i < 300; i++) gemm(n, n, n, a, b, c, 0, i & 3, n, 0);
  if (shared) {
    for (let i = 0; i < 100; i++) {
      packb(n, n, b, i & 2, bpk);
      gemm(n, n, n, a, 0, c, 0, i & 1, n, bpk);
    }
  }
  // And the narrow kernels, every column width in both forms: a training loop's first epochs
  // would otherwise run them unoptimized.
  if (!shared) {
    for (let i = 0; i < 40; i++) for (let w = 1; w <= 16; w++) narrow(n, n, w, a, b, c, i & 1);
  }
}
