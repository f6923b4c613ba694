/** Shared by the kernel tests: seeded inputs, and a product checked against the reference. */
import { assertStrictEquals, fail } from "@std/assert";
import { matmulKernel, matmulReference } from "../../lib/backend/wasm/matmul_kernel.ts";

/** Seeded uniform(-1, 1) values (a small LCG keeps the tests independent of lib/random). */
export function values(len: number, seed: number): Float64Array {
  const out = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The `[cols, rows]` transpose of a row-major `[rows, cols]` buffer. */
export function transposed(X: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(X.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = X[i * cols + j];
  return out;
}

/** A·B through the kernel, with A and/or B handed over stored transposed (`ta`, `tb`). */
export function kernelWithStorage(
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  return matmulKernel(
    ta ? transposed(A, m, k) : A,
    tb ? transposed(B, k, n) : B,
    m,
    k,
    n,
    ta,
    tb,
  );
}

/**
 * op(A)·op(B) through the kernel, with operands stored transposed where asked, equals the
 * reference on the plain operands within 1e-12 of Σ|a||b| (the fast paths fuse multiply-adds,
 * so they may differ from the reference in the last bits, never more).
 */
export function assertProduct(
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
  seedA = 1,
  seedB = seedA + 1,
): void {
  const A = values(m * k, seedA), B = values(k * n, seedB);
  const got = kernelWithStorage(A, B, m, k, n, ta, tb);
  const want = matmulReference(A, B, m, k, n);
  const scale = matmulReference(A.map(Math.abs), B.map(Math.abs), m, k, n);
  assertStrictEquals(got.length, m * n);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-12 * scale[i])) {
      fail(
        `op(A)[${m}×${k}]·op(B)[${k}×${n}] ta=${ta} tb=${tb} at ${i}: got ${got[i]}, ` +
          `reference ${want[i]}`,
      );
    }
  }
}
