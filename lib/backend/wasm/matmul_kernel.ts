/**
 * @internal The float64 matrix product behind `matmul`. Tiny products run the pure-TypeScript
 * reference (copying into WebAssembly memory would cost more than it saves); larger ones run the
 * SIMD kernel built from `wasm/gemm.wat`, and the largest split their rows of C across worker
 * threads that share one WebAssembly memory.
 *
 * @module
 */
import { allocate } from "../../alloc.ts";
import { describeValue, ValueError } from "../../errors.ts";
import { tracerState } from "../../ad/state.ts";
import { matmulReference } from "../matmul_reference.ts";
import { GEMM_SHARED_WASM_BASE64, GEMM_WASM_BASE64 } from "./gemm_wasm.ts";
import { MC, MR, NARROW_N, packedBBytes, WORKSPACE_BYTES } from "./gen_gemm.ts";
import {
  CTL,
  type Gemm,
  type Job,
  type PackB,
  PACKED,
  runBlocks,
  SPIN_MS,
  STATE,
  SYNC,
  waitWhile,
  warmUp,
  writeJob,
} from "./matmul_protocol.ts";

export { matmulReference };

/** Below this many multiply-adds (m·k·n) the plain loop wins: it needs no copies. */
export const WASM_MIN_WORK = 4096;
/** From this many multiply-adds on, a second thread pays for its wake-up and its own packing. */
export const THREAD_MIN_WORK = 96 * 96 * 96;
/**
 * The narrow kernels read a few rows of A (dot form) or a strip of A's columns (axpy form) once
 * per tile of C columns; past this depth that working set leaves the L2 cache and the packed
 * gemm is faster.
 */
const NARROW_MAX_K = 8192;
/** Memory kept between calls; a bigger product gets a throwaway instance so it is freed after. */
const KEEP_BYTES = 64 * 2 ** 20;
/** 32-bit addresses and the module's declared maximum (32768 pages) cap one product. */
const MAX_BYTES = 2 ** 31 - 2 ** 16;
const PAGE = 65536;

/** `narrow(m, k, n, a, b, c, trans)`: see `gemm.wat` (trans 0: A·Bᵀ-stored, 1: Aᵀ-stored·B). */
type Narrow = (m: number, k: number, n: number, a: number, b: number, c: number, t: number) => void;

function decode(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

let plainModule: WebAssembly.Module | null | undefined;
let plain: Plain | undefined;
interface Plain {
  memory: WebAssembly.Memory;
  gemm: Gemm;
  narrow: Narrow;
  /** The buffer in the A slot, and the transform call (epoch) that copied it there. */
  resident?: { buffer: WeakRef<Float64Array>; epoch: number };
}

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

/**
 * Copies A into the A slot at byte `a`, unless a sweep of the same transform call finds it
 * already there: a training step multiplies by its batch twice (X·W forward, then Xᵀ·G in the
 * backward sweep), and the copy costs a fifth of the step. Buffer identity alone would not do:
 * `.data` is a writable Float64Array, so a user may write a buffer between two calls. Within
 * one call (one epoch of the tracer state) only the sweeps reuse the copy, after the user's
 * function has run; what they reuse is the very X the forward product used. Nothing else writes
 * the A slot.
 */
function putA(inst: Plain, f: Float64Array, A: Float64Array, a: number): void {
  const { session, userDepth, epoch } = tracerState;
  const r = inst.resident;
  if (
    r !== undefined && session > 0 && userDepth === 0 && r.epoch === epoch &&
    r.buffer.deref() === A
  ) return;
  f.set(A, a / 8);
  inst.resident = session > 0 ? { buffer: new WeakRef(A), epoch } : undefined;
}

/** The single-thread instance whose memory holds `bytes`: the kept one, or a throwaway one. */
function plainFor(bytes: number): Plain {
  let inst = plain;
  if (inst === undefined || bytes > KEEP_BYTES) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768 });
    const ex = new WebAssembly.Instance(plainModule!, { env: { memory } }).exports;
    inst = { memory, gemm: ex.gemm as Gemm, narrow: ex.narrow as Narrow };
    if (bytes <= KEEP_BYTES) plain = inst;
  }
  grow(inst.memory, bytes);
  return inst;
}

function grow(memory: WebAssembly.Memory, bytes: number): void {
  const pages = Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE;
  if (pages > 0) memory.grow(pages);
}

/**
 * Lays out [workspaces | A | B | C] from byte 0, and with threads a packed copy of B and the
 * row blocks' done flags after C, and returns the offsets.
 */
function layout(threads: number, m: number, k: number, n: number) {
  const a = threads * WORKSPACE_BYTES, b = a + m * k * 8, c = b + k * n * 8, end = c + m * n * 8;
  // The packed B is read 16 bytes at a time: a cache-line start keeps those reads in one line.
  const bpk = Math.ceil(end / 64) * 64, flags = bpk + packedBBytes(k, n);
  // One done flag per row block; blocks have at least 2·MR rows.
  const total = threads > 1 ? flags + Math.ceil(m / (2 * MR)) * 4 : end;
  return { a, b, c, end, bpk, flags, total };
}

/** Which operands are stored transposed: `A` as `[k, m]`, `B` as `[n, k]`. */
interface Trans {
  ta: boolean;
  tb: boolean;
  m: number;
  k: number;
  n: number;
}

/** `dst[off + j·rows + i] = src[i·cols + j]`: writes the `[cols, rows]` transpose of `src`. */
function transposeInto(
  dst: Float64Array,
  off: number,
  src: Float64Array,
  rows: number,
  cols: number,
): void {
  if (cols <= NARROW_N) {
    // A narrow operand (weights with one column per class) fits in cache whole: one pass per
    // column, writing contiguously, is about twice as fast as the blocked loop below.
    for (let j = 0; j < cols; j++) {
      const o = off + j * rows;
      for (let i = 0, si = j; i < rows; i++, si += cols) dst[o + i] = src[si];
    }
    return;
  }
  // Blocked so that both the strided reads and the writes stay in cache.
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let i = i0; i < i1; i++) {
        const si = i * cols;
        for (let j = j0; j < j1; j++) dst[off + j * rows + i] = src[si + j];
      }
    }
  }
}

/** A row-major copy of the `[rows, cols]` operand stored transposed as `[cols, rows]` in `src`. */
function untranspose(src: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  transposeInto(out, 0, src, cols, rows);
  return out;
}

// ---- worker pool ---------------------------------------------------------------------------

let threads = 1;
/** The shared memory, the caller's instance over it, and the control words of each worker. */
interface Shared {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  gemm: Gemm;
  packb: PackB;
  ctl: Int32Array[];
  sync: Int32Array;
}
let shared: Shared | undefined;

/**
 * @internal Sets how many threads large products use (1 = no workers, the default). Workers start
 * lazily on the first large product and close after a second idle.
 */
export function setMatmulThreads(count: number): void {
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw new ValueError(
      `setThreads: cannot use ${typeof count === "number" ? count : describeValue(count)} ` +
        `threads: expected an integer ≥ 1`,
    );
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
    const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
    warmUp(module, true);
    shared = {
      module,
      memory,
      gemm: ex.gemm as Gemm,
      packb: ex.packb as PackB,
      ctl: [],
      sync: new Int32Array(new SharedArrayBuffer(SYNC.length * 4)),
    };
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
    const { module, memory, sync } = shared;
    worker.postMessage({ module, memory, ctl, sync });
  }
}

let lastSplit = { blocks: 0, byCaller: 0 };

/**
 * @internal How the last threaded product was shared: its row blocks, and how many of them the
 * calling thread computed (the workers did the rest).
 */
export function lastThreadedSplit(): { blocks: number; byCaller: number } {
  return { ...lastSplit };
}

/**
 * Rows of C per block: about four blocks per thread, so a helper that wakes late still gets a
 * share, in whole register tiles, and at most one packed block of A ({@link MC} rows).
 */
function blockRows(m: number): number {
  return Math.max(2 * MR, Math.min(MC, Math.ceil(m / (4 * threads) / MR) * MR));
}

/**
 * The rows of C go out in blocks (see {@link blockRows}) to whichever thread asks next, so a
 * thread slowed by another process on its core does fewer blocks instead of holding up the
 * result. B is packed once for all threads, usually by a helper while the caller copies A in;
 * the caller copies finished blocks of C out between its own, so that copying overlaps the
 * helpers' work too.
 */
function threaded(A: Float64Array, B: Float64Array, tr: Trans, at: ReturnType<typeof layout>) {
  const { m, k, n, ta, tb } = tr;
  const s = shared!;
  const helpers = s.ctl.slice(0, threads - 1).filter((c) =>
    Atomics.load(c, CTL.state) === STATE.idle
  );
  grow(s.memory, at.total);
  const f = new Float64Array(s.memory.buffer);
  const trans = (ta ? 1 : 0) | (tb ? 2 : 0);
  const rows = blockRows(m), blocks = Math.ceil(m / rows);
  const flags = new Int32Array(s.memory.buffer, at.flags, blocks).fill(0);
  f.set(B, at.b / 8);
  // A stored transposed is cut by columns, so it goes in whole; otherwise its rows go in block
  // by block below, and a helper starts on the first block while the rest follow.
  if (ta) f.set(A, at.a / 8);
  Atomics.store(s.sync, SYNC.next, 0);
  Atomics.store(s.sync, SYNC.ready, ta ? m : 0);
  Atomics.store(s.sync, SYNC.packed, PACKED.no);
  const job: Job = {
    m,
    k,
    n,
    a: at.a,
    b: at.b,
    bpk: at.bpk,
    c: at.c,
    ws: 0,
    trans,
    lda: ta ? m : k,
    rows,
    flags: at.flags,
    spin: threads <= navigator.hardwareConcurrency ? SPIN_MS : 0,
  };
  const posted: Int32Array[] = [];
  helpers.forEach((ctl, h) => {
    writeJob(ctl, { ...job, ws: (h + 1) * WORKSPACE_BYTES });
    // A worker that timed out since the filter above has closed; the others do its share.
    if (Atomics.compareExchange(ctl, CTL.state, STATE.idle, STATE.job) === STATE.idle) {
      Atomics.notify(ctl, CTL.state);
      posted.push(ctl);
    }
  });
  if (!ta) {
    for (let r0 = 0; r0 < m; r0 += rows) {
      const r1 = Math.min(m, r0 + rows);
      f.set(A.subarray(r0 * k, r1 * k), at.a / 8 + r0 * k);
      Atomics.store(s.sync, SYNC.ready, r1);
      Atomics.notify(s.sync, SYNC.ready);
    }
  }
  const C = allocate("matmul", [m, n]);
  const copied = new Uint8Array(blocks);
  const copyOut = (i: number) => {
    const lo = i * rows * n, hi = Math.min(m, (i + 1) * rows) * n;
    C.set(f.subarray(at.c / 8 + lo, at.c / 8 + hi), lo);
    copied[i] = 1;
  };
  // Own blocks go out at once; a helper's once its flag is up.
  let own = 0;
  runBlocks(s.gemm, s.packb, job, s.sync, (mine) => {
    own++;
    copyOut(mine);
    for (let i = 0; i < blocks; i++) if (!copied[i] && Atomics.load(flags, i)) copyOut(i);
  });
  lastSplit = { blocks, byCaller: own };
  for (const ctl of posted) {
    while (Atomics.load(ctl, CTL.state) === STATE.job) {
      waitWhile(ctl, CTL.state, STATE.job, job.spin);
    }
    Atomics.store(ctl, CTL.state, STATE.idle);
    Atomics.notify(ctl, CTL.state);
  }
  for (let i = 0; i < blocks; i++) if (!copied[i]) copyOut(i);
  return C;
}

// ---- entry point ---------------------------------------------------------------------------

/**
 * @internal `C[m×n] = op(A)[m×k] · op(B)[k×n]` for row-major float64 buffers, where `op(A)` is
 * `A` or, with `ta`, the transpose of `A` stored as `[k, m]` (likewise `tb`: `B` stored as
 * `[n, k]`). Equals {@link matmulReference} of the transposed copies up to rounding (the SIMD
 * path fuses multiply and add); the plain paths give the reference's exact bits.
 */
export function matmulKernel(
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
  ta = false,
  tb = false,
): Float64Array {
  // A matrix with an axis of length 1 is laid out the same as its transpose.
  if (m === 1 || k === 1) ta = false;
  if (k === 1 || n === 1) tb = false;
  const work = m * k * n;
  // Matrix·vector, vector·matrix and outer products are memory-bound: copying into wasm memory
  // costs as much as the product, and thin shapes would run only edge tiles.
  if (n === 1) return ta ? vecmat(A, B, k, m) : matvec(A, B, m, k);
  if (k === 1) return outerProduct(A, B, m, n);
  if (work < WASM_MIN_WORK || m === 1 || compilePlain() === null) {
    return reference(A, B, m, k, n, ta, tb);
  }
  const tr: Trans = { ta, tb, m, k, n };
  if (n <= NARROW_N && k <= NARROW_MAX_K) {
    const at = layout(1, m, k, n);
    if (at.end <= MAX_BYTES) return narrow(A, B, tr, at);
  }
  if (threads > 1 && work >= THREAD_MIN_WORK && m >= 2 * MR) {
    ensureWorkers(threads - 1);
    if (
      shared &&
      shared.ctl.slice(0, threads - 1).some((c) => Atomics.load(c, CTL.state) === STATE.idle)
    ) {
      const at = layout(threads, m, k, n);
      if (at.total <= MAX_BYTES) return threaded(A, B, tr, at);
    }
  }
  const at = layout(1, m, k, n);
  if (at.end > MAX_BYTES) return reference(A, B, m, k, n, ta, tb);
  const inst = plainFor(at.end);
  const f = new Float64Array(inst.memory.buffer);
  putA(inst, f, A, at.a);
  f.set(B, at.b / 8);
  inst.gemm(m, k, n, at.a, at.b, at.c, 0, (ta ? 1 : 0) | (tb ? 2 : 0), ta ? m : k, 0);
  return f.slice(at.c / 8, at.end / 8);
}

/**
 * A product with at most {@link NARROW_N} columns (a batch times a weight matrix with one column
 * per class, or its gradient): packing would cost as much as the arithmetic, so the narrow
 * kernels read A in place: as stored, by dot products along its rows, or stored transposed, by
 * axpy updates down columns of C. Only the small B is rearranged, into the layout each needs.
 */
function narrow(A: Float64Array, B: Float64Array, tr: Trans, at: ReturnType<typeof layout>) {
  const { m, k, n, ta, tb } = tr;
  const inst = plainFor(at.end);
  const f = new Float64Array(inst.memory.buffer);
  putA(inst, f, A, at.a);
  // Dot form wants B stored transposed (n×k), axpy form as stored (k×n).
  if (ta === tb) transposeInto(f, at.b / 8, B, tb ? n : k, tb ? k : n);
  else f.set(B, at.b / 8);
  inst.narrow(m, k, n, at.a, at.b, at.c, ta ? 1 : 0);
  return f.slice(at.c / 8, at.end / 8);
}

/** {@link matmulReference} on untransposed copies of the operands. */
function reference(
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  return matmulReference(ta ? untranspose(A, m, k) : A, tb ? untranspose(B, k, n) : B, m, k, n);
}

/**
 * `C[m×n] = a[m] · b[n]ᵀ` (a product with inner dimension 1), written in one pass; `0 + x`
 * keeps the reference's bits (it turns a product of −0 into +0, as accumulating from 0 does).
 */
function outerProduct(a: Float64Array, b: Float64Array, m: number, n: number): Float64Array {
  const C = allocate("matmul", [m, n]);
  for (let i = 0; i < m; i++) {
    const x = a[i], ci = i * n;
    for (let j = 0; j < n; j++) C[ci + j] = 0 + x * b[j];
  }
  return C;
}

/**
 * `C[m] = Aᵀ b` for `A` stored as `[k, m]`: rows of `A` are streamed, and each `C[i]` still sums
 * its terms in order p = 0, 1, … from 0, as {@link matvec} of the transposed copy would.
 */
function vecmat(A: Float64Array, b: Float64Array, k: number, m: number): Float64Array {
  const C = allocate("matmul", [m]);
  for (let p = 0; p < k; p++) {
    const x = b[p], ap = p * m;
    for (let i = 0; i < m; i++) C[i] += A[ap + i] * x;
  }
  return C;
}

/** `C[m] = A[m×k] · b[k]`, summing in the same order as {@link matmulReference}. */
function matvec(A: Float64Array, b: Float64Array, m: number, k: number): Float64Array {
  const C = allocate("matmul", [m]);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const ai = i * k;
    for (let p = 0; p < k; p++) s += A[ai + p] * b[p];
    C[i] = s;
  }
  return C;
}
