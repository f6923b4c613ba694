/**
 * @internal The blocking and memory layout that the generated kernel (gen_gemm.ts) and the
 * code calling it (matmul_kernel.ts, the worker protocol) must agree on. Kept apart so that the
 * runtime does not import the generator.
 *
 * @module
 */

/**
 * Rows of C in the register tile. 6×4 holds 12 f64x2 accumulators plus 2 of B and 1 of A: 15
 * of x64's 16 vector registers, and V8 keeps one as scratch. A 4×6 tile needs 16 and spilled
 * (9 against 14 GFLOP/s at n = 512, measured side by side).
 */
export const MR = 6;
/** Columns of C in the register tile (a multiple of 2: one f64x2 holds two). */
export const NR = 4;
/** Depth of one packed panel: an MR×KC sliver of A and a KC×NR sliver of B stay in L1. */
export const KC = 256;
/** Rows of A packed per block, a multiple of MR (MC×KC doubles, 144 KiB, stay in L2). */
export const MC = 72;
/** Columns of B packed per block, a multiple of NR (KC×NC doubles, 1 MiB). */
export const NC = 512;
/** Bytes of scratch one thread needs: packed A, packed B and one edge tile. */
export const WORKSPACE_BYTES = (MC * KC + KC * NC + MR * NR) * 8;

/** Bytes that `packb` writes for all of a `[k, n]` B: its columns padded to a multiple of NR. */
export function packedBBytes(k: number, n: number): number {
  return k * Math.ceil(n / NR) * NR * 8;
}

/** Widest C the narrow kernels handle (`n ≤ NARROW_N`): a product feeding a softmax over classes. */
export const NARROW_N = 16;
