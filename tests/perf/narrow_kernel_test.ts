/**
 * The narrow-output kernels (C with at most NARROW_N columns, read A in place) and the copy of A
 * that a backward sweep may reuse within one grad call, checked against the pure-TypeScript
 * reference.
 */
import { assertProduct, kernelWithStorage, values } from "./kernel_check.ts";
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import fc from "fast-check";
import {
  matmulKernel,
  matmulReference,
  WASM_MIN_WORK,
} from "../../lib/backend/wasm/matmul_kernel.ts";
import { AX_C, AX_V, DOT_C, DOT_R, DOT_U } from "../../lib/backend/wasm/gen_gemm.ts";
import { NARROW_N } from "../../lib/backend/wasm/gemm_layout.ts";
import {
  assertAllClose,
  grad,
  matmul,
  mul,
  randn,
  square,
  sum,
  type Tensor,
  transpose,
} from "matcalc";

const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

Deno.test("matmulKernel() with narrow outputs", async (t) => {
  await t.step("matches the reference for every width up to NARROW_N and tile edge", () => {
    // Depths around the unrolled dot loop (odd tails, one pair, one full iteration) and rows
    // around both tile heights.
    const ks = [2, 3, 2 * DOT_U - 1, 2 * DOT_U, 2 * DOT_U + 1, 4 * DOT_U + 3, 97, 784];
    const ms = [2, DOT_R + 1, 2 * AX_V - 1, 2 * AX_V + 1, 2 * AX_V * 3, 101];
    for (const [ta, tb] of FLAGS) {
      for (let n = 2; n <= NARROW_N; n++) {
        for (const k of ks) {
          for (const m of ms) {
            // Only products big enough for wasm reach the narrow kernels; scale m up to them.
            const mm = m * k * n >= WASM_MIN_WORK ? m : Math.ceil(WASM_MIN_WORK / (k * n)) + m;
            assertProduct(mm, k, n, ta, tb, m + 3 * k + 5 * n);
          }
        }
      }
    }
  });

  await t.step("matches the reference on random narrow shapes (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 2, max: 400 }),
        fc.integer({ min: 2, max: NARROW_N }),
        fc.boolean(),
        fc.boolean(),
        (m, k, n, ta, tb) => {
          fc.pre(m * k * n >= WASM_MIN_WORK);
          assertProduct(m, k, n, ta, tb, m + k + n);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  await t.step("the MNIST step's shapes: a batch times weights, and the weight gradient", () => {
    assertProduct(100, 784, 10, false, false);
    assertProduct(784, 100, 10, true, false);
    assertEquals(DOT_C * 2, 10);
    assertEquals(AX_C * 2, 10);
  });

  await t.step("propagates NaN and Infinity like IEEE arithmetic", () => {
    const m = 9, k = 101, n = 10;
    for (const [ta, tb] of FLAGS) {
      const A = values(m * k, 3), B = values(k * n, 4);
      A[0] = Infinity; // row 0: ±Inf, NaN where it meets B[0, j] = 0
      B[3] = 0;
      A[4 * k + k - 1] = NaN; // row 4 (its odd last term): all NaN
      A[(m - 1) * k + 5] = -Infinity; // the last (half-vector) row of the axpy tile
      const got = kernelWithStorage(A, B, m, k, n, ta, tb);
      const want = matmulReference(A, B, m, k, n);
      assert(Number.isNaN(got[3]) && Number.isNaN(want[3]));
      for (let i = 0; i < got.length; i++) {
        if (!Number.isFinite(want[i])) {
          assert(Object.is(got[i], want[i]), `at ${i} (${ta}, ${tb})`);
        } else assert(Number.isFinite(got[i]), `at ${i} (${ta}, ${tb})`);
      }
    }
  });
});

Deno.test("matmulKernel() copies A on every call", async (t) => {
  await t.step("the same buffer as A twice (forward, then Aᵀ·G) gives both products", () => {
    const X = values(100 * 784, 1), W = values(784 * 10, 2), G = values(100 * 10, 3);
    const fwd = matmulKernel(X, W, 100, 784, 10);
    const bwd = matmulKernel(X, G, 784, 100, 10, true, false);
    assertEquals(fwd, matmulKernel(X.slice(), W, 100, 784, 10));
    assertEquals(bwd, matmulKernel(X.slice(), G, 784, 100, 10, true, false));
    assertProduct(100, 784, 10, false, false);
  });

  await t.step("a buffer written in place between two products gives the new product", () => {
    const X = values(100 * 784, 11), W = values(784 * 10, 12);
    const before = matmulKernel(X, W, 100, 784, 10);
    X[0] += 1; // users can write `.data`; a cache keyed by buffer identity would miss this
    const after = matmulKernel(X, W, 100, 784, 10);
    assertNotEquals(after, before);
    assertEquals(after, matmulKernel(X.slice(), W, 100, 784, 10));
  });

  await t.step("another buffer of the same length, or a view of it, is copied afresh", () => {
    const X = values(60 * 70, 5), Y = values(60 * 70, 6), B = values(70 * 50, 7);
    const want = (A: Float64Array) => matmulReference(A, B, 60, 70, 50);
    const close = (got: Float64Array, ref: Float64Array) => {
      for (let i = 0; i < got.length; i++) assert(Math.abs(got[i] - ref[i]) < 1e-12, `at ${i}`);
    };
    close(matmulKernel(X, B, 60, 70, 50), want(X));
    close(matmulKernel(Y, B, 60, 70, 50), want(Y));
    close(matmulKernel(X.subarray(0), B, 60, 70, 50), want(X));
    // A narrow product in between, then the packed gemm on the same A again.
    close(matmulKernel(X, B, 60, 70, 10), matmulReference(X, B, 60, 70, 10));
    close(matmulKernel(X, B, 60, 70, 50), want(X));
    // A shorter buffer followed by the longer one: the slot holds only the short one.
    const Z = values(30 * 70, 8);
    close(matmulKernel(Z, B, 30, 70, 50), matmulReference(Z, B, 30, 70, 50));
    close(matmulKernel(X, B, 60, 70, 50), want(X));
  });
});

Deno.test("grad() reuses a batch's copy only within one call", async (t) => {
  // Shapes that take the narrow path: X·W forward, Xᵀ·G in the backward sweep.
  const X = randn([100, 50], { seed: 1 }), W = randn([50, 10], { seed: 2 });
  const loss = (W: Tensor) => sum(square(matmul(X, W)));
  const closedForm = () => mul(2, matmul(transpose(X), matmul(X, W)));
  await t.step("the backward product uses the forward's X", () => {
    assertAllClose(grad(loss, W), closedForm(), { rtol: 1e-12, atol: 1e-12 });
  });
  await t.step("after X.data is written in place, the next call sees the new numbers", () => {
    const before = grad(loss, W);
    X.data[0] += 1;
    X.data[4999] -= 2;
    const after = grad(loss, W);
    assertNotEquals(after.toArray(), before.toArray());
    assertAllClose(after, closedForm(), { rtol: 1e-12, atol: 1e-12 });
  });
});
