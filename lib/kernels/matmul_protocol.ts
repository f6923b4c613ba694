import { WORKSPACE_BYTES } from "./wasm/gen_gemm.ts";

/** @internal Slots of the control words shared by the caller and one matmul worker. */
export const CTL = {
  state: 0,
  m: 1,
  k: 2,
  n: 3,
  a: 4,
  b: 5,
  c: 6,
  ws: 7,
  trans: 8,
  lda: 9,
  length: 10,
} as const;
/** @internal Worker states in `ctl[CTL.state]`. */
export const STATE = { starting: 0, idle: 1, job: 2, done: 3, closed: 4 } as const;
/** @internal How long a worker waits for work before it closes itself. */
export const IDLE_MS = 1000;

/**
 * @internal Runs a few small products on a private instance of `module`. V8 first runs wasm with
 * its baseline compiler and optimizes a function only after it has been called a while; without
 * this, the first large product (or a fresh worker's first share of one) would crawl.
 */
export function warmUp(module: WebAssembly.Module, shared: boolean): void {
  const n = 24, bytes = WORKSPACE_BYTES + 3 * n * n * 8;
  const memory = new WebAssembly.Memory({
    initial: Math.ceil(bytes / 65536),
    maximum: 32768,
    shared,
  });
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const gemm = ex.gemm as (...args: number[]) => void;
  const narrow = ex.narrow as (...args: number[]) => void;
  const a = WORKSPACE_BYTES, b = a + n * n * 8, c = b + n * n * 8;
  // Every packing routine (plain and transposed operands) gets optimized.
  for (let i = 0; i < 300; i++) gemm(n, n, n, a, b, c, 0, i & 3, n);
  // And the narrow kernels, every column width in both forms: a training loop's first epochs
  // would otherwise run them unoptimized.
  if (!shared) {
    for (let i = 0; i < 40; i++) for (let w = 1; w <= 16; w++) narrow(n, n, w, a, b, c, i & 1);
  }
}
