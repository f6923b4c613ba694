import { assertProduct, values } from "./kernel_check.ts";
import {
  type Job,
  PACKED,
  runBlocks,
  SYNC,
  waitWhile,
} from "../../lib/backend/wasm/matmul_protocol.ts";
import { assert, assertEquals, assertStrictEquals, assertThrows, fail } from "@std/assert";
import fc from "fast-check";
import {
  getMatmulThreads,
  lastThreadedSplit,
  matmulKernel,
  matmulReference,
  setMatmulThreads,
  THREAD_MIN_WORK,
  WASM_MIN_WORK,
} from "../../lib/backend/wasm/matmul_kernel.ts";
import { KC, MC, MR, NC, NR } from "../../lib/backend/wasm/gemm_layout.ts";
import { matmul, rand, tensor, ValueError } from "matcalc";

/** The untransposed product through the fast path equals the reference (see assertProduct). */
function assertMatches(m: number, k: number, n: number, seed = m * 131 + k * 17 + n) {
  assertProduct(m, k, n, false, false, seed);
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [16, 16, 16],
  [1, 300, 1],
  [1, 64, 257],
  [257, 64, 1],
  [MR, KC, NR],
  [MR + 1, KC + 1, NR + 1],
  [MR - 1, KC - 1, NR - 1],
  [MC + 5, 2 * KC + 3, NC + 3],
  [33, 33, 33],
  [37, 3, 129],
  [130, 7, 2],
  [2, 9, 300],
  [100, 1, 100],
];

Deno.test("matmulKernel()", async (t) => {
  await t.step("matches the reference on odd, thin and block-edge shapes", () => {
    for (const [m, k, n] of SHAPES) assertMatches(m, k, n);
  });

  await t.step("matches the reference on random shapes (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        (m, k, n) => assertMatches(m, k, n),
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("never reads the C slot: a product after a larger one has no stale terms", () => {
    // gemm writes C on its first depth block instead of zeroing it first, so the slot still
    // holds the previous product's numbers when the next one starts; edge tiles (m, n not
    // multiples of the register tile) and several depth blocks exercise every write path.
    const big = matmulKernel(values(90 * 700, 1), values(700 * 90, 2), 90, 700, 90);
    assert(big.some((x) => Math.abs(x) > 1));
    for (const [m, k, n] of [[MR + 1, 2 * KC + 3, NR + 3], [40, 17, 41], [MR, KC, NR]]) {
      assertMatches(m, k, n, 7);
      assertMatches(m, k, n, 8);
    }
  });

  await t.step("k = 0 gives zeros and empty shapes give empty buffers", () => {
    assertEquals(
      Array.from(matmulKernel(new Float64Array(0), new Float64Array(0), 40, 0, 40)),
      new Array(1600).fill(0),
    );
    assertStrictEquals(
      matmulKernel(new Float64Array(0), new Float64Array(50 * 50), 0, 50, 50).length,
      0,
    );
    assertStrictEquals(
      matmulKernel(new Float64Array(50 * 50), new Float64Array(0), 50, 50, 0).length,
      0,
    );
  });

  await t.step("propagates NaN and Infinity like IEEE arithmetic (0 · Inf is NaN)", () => {
    const n = 24; // n³ ≥ WASM_MIN_WORK, so this runs the SIMD path
    assert(n ** 3 >= WASM_MIN_WORK);
    const A = values(n * n, 1), B = values(n * n, 2);
    A[0] = Infinity; // row 0 of C: ±Inf, or NaN where it meets a zero of B
    B[5 * n + 7] = 0; // column 7 of B has a zero at row 5; A[0, 5] stays finite
    A[5] = 0;
    B[0 * n + 3] = 0; // A[0, 0] = Inf meets B[0, 3] = 0: C[0, 3] is NaN
    A[2 * n + 4] = NaN; // row 2 of C is all NaN
    const got = matmulKernel(A, B, n, n, n), want = matmulReference(A, B, n, n, n);
    assert(Number.isNaN(got[3]) && Number.isNaN(want[3]));
    for (let j = 0; j < n; j++) assert(Number.isNaN(got[2 * n + j]));
    for (let i = 0; i < got.length; i++) {
      if (!Number.isFinite(want[i])) assert(Object.is(got[i], want[i]), `at ${i}`);
    }
  });

  await t.step("does not modify its inputs", () => {
    const A = values(50 * 40, 3), B = values(40 * 30, 4);
    const a0 = A.slice(), b0 = B.slice();
    matmulKernel(A, B, 50, 40, 30);
    assertEquals(A, a0);
    assertEquals(B, b0);
  });

  await t.step("reached through matmul", () => {
    const a = rand([40, 50], { seed: 1 }), b = rand([50, 30], { seed: 2 });
    const c = matmul(a, b);
    assertEquals(c.shape, [40, 30]);
    assertEquals(matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray(), [[17], [39]]);
  });
});

Deno.test("setMatmulThreads()", async (t) => {
  await t.step("two threads match the reference, and the workers close when idle", async () => {
    const before = getMatmulThreads();
    setMatmulThreads(2);
    try {
      assertMatches(200, 150, 170); // starts the worker
      // The worker starts asynchronously; once idle it claims row blocks too. On a loaded
      // machine it may not be scheduled for a while, so products go on (each checked) until it
      // has helped at least 15 times over, or 20 s have passed.
      let helped = 0;
      const deadline = Date.now() + 20_000;
      for (let i = 0; i < 15 || (helped === 0 && Date.now() < deadline); i++) {
        await new Promise((r) => setTimeout(r, 20));
        assertMatches(203, 97, 131, i);
        const { blocks, byCaller } = lastThreadedSplit();
        assert(blocks > 1 && byCaller >= 0 && byCaller <= blocks);
        helped += blocks - byCaller;
      }
      assert(helped > 0, "the worker never computed a block in 20 s");
      assertMatches(MC * 3 + 1, KC + 5, NC + 9);
      // Operands stored transposed, a last row block shorter than the others, a single block.
      for (const [m, k, n] of [[MC * 2 + MR + 1, 130, 150], [2 * MR + 1, 300, 300]]) {
        for (const [ta, tb] of [[true, false], [false, true], [true, true]]) {
          assertProduct(m, k, n, ta, tb, m + k + n);
        }
      }
    } finally {
      setMatmulThreads(before);
    }
    // Let the idle worker close itself so no thread outlives the test.
    await new Promise((r) => setTimeout(r, 1300));
  });

  await t.step("three threads (two workers) match the reference on random shapes", async () => {
    const before = getMatmulThreads();
    setMatmulThreads(3);
    try {
      assertMatches(100, 100, 100); // starts the workers
      await new Promise((r) => setTimeout(r, 300));
      let helped = 0;
      fc.assert(
        fc.property(
          fc.integer({ min: 2 * MR, max: 260 }),
          fc.integer({ min: 60, max: 300 }),
          fc.integer({ min: 60, max: 300 }),
          fc.boolean(),
          fc.boolean(),
          (m, k, n, ta, tb) => {
            fc.pre(m * k * n >= THREAD_MIN_WORK);
            assertProduct(m, k, n, ta, tb, m * 7 + k * 3 + n);
            const { blocks, byCaller } = lastThreadedSplit();
            helped += blocks - byCaller;
          },
        ),
        { seed: 7, numRuns: 25 },
      );
      // As above: a loaded machine may keep the workers off the cores for a while.
      const deadline = Date.now() + 20_000;
      for (let i = 0; helped === 0 && Date.now() < deadline; i++) {
        await new Promise((r) => setTimeout(r, 20));
        assertProduct(100, 200, 200, false, false, i);
        const { blocks, byCaller } = lastThreadedSplit();
        helped += blocks - byCaller;
      }
      assert(helped > 0, "no worker computed a block in 20 s");
    } finally {
      setMatmulThreads(before);
    }
    await new Promise((r) => setTimeout(r, 1300));
  });

  await t.step("rejects a non-integer or zero count", () => {
    assertEquals(
      assertThrows(() => setMatmulThreads(0), ValueError).message,
      "setThreads: cannot use 0 threads: expected an integer ≥ 1",
    );
    assertEquals(
      assertThrows(() => setMatmulThreads(1.5), Error).message,
      "setThreads: cannot use 1.5 threads: expected an integer ≥ 1",
    );
    assertEquals(
      assertThrows(() => setMatmulThreads("2" as unknown as number), Error).message,
      'setThreads: cannot use string "2" threads: expected an integer ≥ 1',
    );
  });
});

Deno.test("runBlocks() hands out every row block of C once, from the next unclaimed one", () => {
  const calls: number[][] = [], done: number[] = [];
  const gemm = (...args: number[]) => void calls.push(args);
  const job: Job = {
    m: 20,
    k: 7,
    n: 5,
    a: 1000,
    b: 3000,
    bpk: 9000,
    c: 5000,
    ws: 64,
    trans: 0,
    lda: 7,
    rows: 6,
    flags: 0,
    spin: 0,
  };
  const sync = new Int32Array(new SharedArrayBuffer(SYNC.length * 4));
  sync[SYNC.ready] = job.m;

  sync[SYNC.next] = 1; // another thread has block 0
  const packs: number[][] = [];
  runBlocks(gemm, (...args) => void packs.push(args), job, sync, (i) => done.push(i));
  // The first thread to claim a block packs B; later ones find it packed.
  assertEquals(packs, [[7, 5, 3000, 0, 9000]]);
  assertStrictEquals(sync[SYNC.packed], PACKED.yes);
  // Rows 6–11, 12–17, 18–19: A rows k numbers apart, C rows n apart, B read packed at bpk.
  assertEquals(calls, [
    [6, 7, 5, 1000 + 6 * 7 * 8, 0, 5000 + 6 * 5 * 8, 64, 0, 7, 9000],
    [6, 7, 5, 1000 + 12 * 7 * 8, 0, 5000 + 12 * 5 * 8, 64, 0, 7, 9000],
    [2, 7, 5, 1000 + 18 * 7 * 8, 0, 5000 + 18 * 5 * 8, 64, 0, 7, 9000],
  ]);
  assertEquals(done, [1, 2, 3]);
  // With A stored transposed ([k, m], lda = m), row r of op(A) starts r numbers in.
  calls.length = 0;
  sync[SYNC.next] = 3;
  runBlocks(
    gemm,
    () => fail("packs B twice"),
    { ...job, trans: 3, lda: 20 },
    sync,
    () => {},
  );
  assertEquals(calls, [[2, 7, 5, 1000 + 18 * 8, 0, 5000 + 18 * 5 * 8, 64, 3, 20, 9000]]);
  assert(sync[SYNC.next] >= 4);
});

Deno.test("waitWhile() returns once the word changes, or false when the wait times out", async () => {
  const word = new Int32Array(new SharedArrayBuffer(4));
  assertEquals(waitWhile(word, 0, 1, 2), true); // already different: no wait
  const t0 = performance.now();
  assertEquals(waitWhile(word, 0, 0, 2, 20), false); // spins 2 ms, then sleeps 20 ms, still 0
  assert(performance.now() - t0 >= 20);
  // A worker changes the word while the main thread sleeps on it.
  const src = `self.onmessage = (e) => { setTimeout(() => { Atomics.store(e.data, 0, 7); ` +
    `Atomics.notify(e.data, 0); }, 50); };`;
  const worker = new Worker(URL.createObjectURL(new Blob([src])), { type: "module" });
  try {
    worker.postMessage(word);
    assertEquals(waitWhile(word, 0, 0, 0, 5000), true);
    assertEquals(Atomics.load(word, 0), 7);
  } finally {
    worker.terminate();
  }
  await new Promise((r) => setTimeout(r, 0));
});
