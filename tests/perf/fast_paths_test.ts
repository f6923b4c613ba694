/**
 * The specialized loops behind matmul's VJP (transposed operands), elementwise arithmetic,
 * reductions and broadcasting, each checked against the readable path it replaces.
 */
import { assertProduct, kernelWithStorage, values } from "./kernel_check.ts";
import { assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import {
  getMatmulThreads,
  matmulReference,
  setMatmulThreads,
} from "../../lib/backend/wasm/matmul_kernel.ts";
import { KC, MC, MR, NC, NR } from "../../lib/backend/wasm/gemm_layout.ts";
import {
  ADD,
  binary,
  type BinaryCode,
  broadcastData,
  broadcastIndex,
  DIV,
  MAX,
  MIN,
  MUL,
  POW,
  reductionIndex,
  SUB,
  zipWith,
} from "../../lib/ops/broadcast.ts";
import { raw, Tensor } from "../../lib/tensor.ts";
import { shiftFor } from "../../lib/nn/logsumexp.ts";
import {
  assertAllClose,
  exp,
  grad,
  hessian,
  jacfwd,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  mul,
  sub,
  sum,
  tensor,
  transpose,
} from "matcalc";

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 300, 1],
  [300, 1, 1],
  [1, 64, 257],
  [257, 64, 1],
  [100, 1, 100],
  [MR, KC, NR],
  [MR + 1, KC + 1, NR + 1],
  [MR - 1, KC - 1, NR - 1],
  [MC + 5, 2 * KC + 3, NC + 3],
  [37, 3, 129],
  [100, 784, 10],
  [784, 100, 10],
];
const FLAGS: [boolean, boolean][] = [[true, false], [false, true], [true, true]];

Deno.test("matmulKernel() with transposed operands", async (t) => {
  await t.step("matches the reference on thin, odd and block-edge shapes", () => {
    for (const [m, k, n] of SHAPES) for (const [ta, tb] of FLAGS) assertProduct(m, k, n, ta, tb);
  });

  await t.step("matches the reference on random shapes (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        fc.boolean(),
        (m, k, n, ta, tb) => assertProduct(m, k, n, ta, tb, m + k + n),
      ),
      { seed: 42, numRuns: 80 },
    );
  });

  await t.step("plain paths (matrix·vector, outer, tiny) give the reference's exact bits", () => {
    for (const [m, k, n] of [[50, 40, 1], [50, 1, 40], [3, 4, 5]]) {
      for (const [ta, tb] of FLAGS) {
        const A = values(m * k, 3), B = values(k * n, 4);
        A[0] = -0;
        const got = kernelWithStorage(A, B, m, k, n, ta, tb);
        assertEquals(got, matmulReference(A, B, m, k, n), `${m}×${k}×${n} ${ta} ${tb}`);
      }
    }
  });

  await t.step("two threads split rows of a transposed A correctly", async () => {
    const before = getMatmulThreads();
    setMatmulThreads(2);
    try {
      assertProduct(200, 150, 170, true, false);
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 20));
        assertProduct(203, 97, 131, i % 2 === 0, i % 3 === 0, i);
      }
    } finally {
      setMatmulThreads(before);
    }
    await new Promise((r) => setTimeout(r, 1300));
  });

  await t.step("matmul's gradient equals the explicit transposes", () => {
    const A = tensor([[1, 2, 3], [4, 5, 6]]), B = tensor([[1, -1], [0, 2], [3, 1]]);
    const G = tensor([[1, 0], [2, -1]]);
    const f = (a: Tensor, b: Tensor) => sum(matmul(matmul(a, b), transpose(G)));
    const [gA, gB] = grad(f, [A, B]);
    // L = Σ (A B Gᵀ): dA = 1 G Bᵀ, dB = Aᵀ 1 G with 1 the all-ones [2, 2].
    const ones = tensor([[1, 1], [1, 1]]);
    assertEquals(gA.toArray(), matmul(matmul(ones, G), transpose(B)).toArray());
    assertEquals(gB.toArray(), matmul(transpose(A), matmul(ones, G)).toArray());
  });
});

const OPS: [string, BinaryCode, (x: number, y: number) => number][] = [
  ["add", ADD, (x, y) => x + y],
  ["sub", SUB, (x, y) => x - y],
  ["mul", MUL, (x, y) => x * y],
  ["div", DIV, (x, y) => x / y],
  ["maximum", MAX, (x, y) => Math.max(x, y)],
  ["minimum", MIN, (x, y) => Math.min(x, y)],
  ["pow", POW, (x, y) => Math.pow(x, y)],
];

const PAIRS: [number[], number[]][] = [
  [[3, 4], [3, 4]],
  [[3, 4], []],
  [[], [3, 4]],
  [[3, 4], [4]],
  [[3, 4], [3, 1]],
  [[3, 1], [1, 4]],
  // The outer-product rows, and look-alikes that must not take them (a row times a column).
  [[3, 1], [4]],
  [[3, 1], [1, 3]],
  [[1, 3], [3, 1]],
  [[3, 1], [2, 3, 4]],
  [[0, 1], [1, 4]],
  [[3, 1], [1, 0]],
  [[2, 1, 5], [3, 1]],
  [[2, 3, 1], [1, 1, 4]],
  [[0, 4], [4]],
  [[1], [1]],
  [[5], [1]],
];

Deno.test("binary()", async (t) => {
  await t.step("equals zipWith with the matching callback, bit for bit", () => {
    for (const [name, code, f] of OPS) {
      for (const [sa, sb] of PAIRS) {
        const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
        const a = new Tensor(values(size(sa), 5), sa), b = new Tensor(values(size(sb), 6), sb);
        const got = binary(name, code, a, b), want = zipWith(name, a, b, f);
        assertEquals(got.shape, want.shape);
        assertEquals(raw(got), raw(want), `${name} ${sa} ${sb}`);
      }
    }
  });

  await t.step("NaN, ±0 and ±Infinity in every op and every fast path, bit for bit", () => {
    const special = [NaN, -0, 0, Infinity, -Infinity, 1, -1.5, 0.5];
    const a = new Tensor(new Float64Array(special.flatMap((x) => special.map(() => x))), [64]);
    const b = new Tensor(new Float64Array(special.flatMap(() => special)), [64]);
    for (const [name, code, f] of OPS) {
      for (const [x, y] of [[a, b], [a, tensor(-0)], [tensor(NaN), b], [a, tensor(2)]]) {
        assertEquals(raw(binary(name, code, x, y)), raw(zipWith(name, x, y, f)), name);
      }
    }
  });

  await t.step("keeps the broadcast error", () => {
    assertEquals(
      assertThrows(
        () => binary("add", ADD, new Tensor(values(6, 1), [2, 3]), tensor([1, 2])),
        Error,
      ).message,
      "add: cannot broadcast [2, 3] with [2]: axis -1 has sizes 3 and 2; sizes must " +
        "match or one must be 1 (reshape or transpose one operand)",
    );
  });
});

Deno.test("reductionIndex()", async (t) => {
  await t.step("equals broadcastIndex of the kept shape", () => {
    const cases: [number[], number[]][] = [
      [[3, 4], [0]],
      [[3, 4], [1]],
      [[3, 4], [0, 1]],
      [[2, 3, 4], [1]],
      [[2, 3, 4], [1, 2]],
      [[2, 3, 4], [0, 2]],
      [[2, 0, 4], [1]],
    ];
    for (const [shape, axes] of cases) {
      const kept = shape.map((d, k) => (axes.includes(k) ? 1 : d));
      assertEquals(reductionIndex(shape, axes), broadcastIndex(kept, shape), `${shape} ${axes}`);
    }
  });
});

Deno.test("broadcastData()", async (t) => {
  await t.step("equals gathering through broadcastIndex", () => {
    const cases: [number[], number[]][] = [
      [[], [2, 3]],
      [[3], [2, 3]],
      [[2, 1], [2, 3]],
      [[1, 3], [4, 2, 3]],
      [[2, 1, 3], [2, 4, 3]],
      [[1], [0]],
    ];
    for (const [shape, out] of cases) {
      const A = values(shape.reduce((p, d) => p * d, 1), 7);
      const idx = broadcastIndex(shape, out);
      assertEquals(broadcastData(A, shape, out), Float64Array.from(idx, (i) => A[i]));
    }
  });
});

Deno.test("logSoftmax() primitive", async (t) => {
  type LogSoftmax = (x: Tensor, axis: number) => Tensor;
  const composite: LogSoftmax = (x, axis) => sub(x, logsumexp(x, axis, { keepdims: true }));
  const inputs = [
    new Tensor(values(24, 11), [2, 3, 4]),
    tensor([[1000, -1000, 0], [1, 2, 3]]),
    tensor([[NaN, 1, 2], [Infinity, 0, 1], [-Infinity, -Infinity, 0], [5, 5, 5]]),
    tensor([0.25]),
  ];

  // The primitive subtracts the shift m and log S separately, (x − m) − log S, so that log S is
  // not rounded away when |m| is huge; the composite with the same order of operations.
  const shifted: LogSoftmax = (x, axis) => {
    const m = shiftFor(x, [axis]);
    return sub(sub(x, m), log(sum(exp(sub(x, m)), axis, { keepdims: true })));
  };
  await t.step("forward equals the composite (x − m) − log Σ exp(x − m) bit for bit", () => {
    for (const x of inputs) {
      for (let axis = 0; axis < x.rank; axis++) {
        assertEquals(raw(logSoftmax(x, axis)), raw(shifted(x, axis)), `${x.shape} ${axis}`);
      }
    }
  });

  await t.step("gradients equal the composite's bit for bit", () => {
    for (const x of inputs.slice(0, 2)) {
      for (let axis = 0; axis < x.rank; axis++) {
        const weights = new Tensor(values(x.size, axis + 3), x.shape);
        const f = (g: LogSoftmax) => (v: Tensor) => sum(mul(g(v, axis), weights));
        assertEquals(raw(grad(f(logSoftmax), x)), raw(grad(f(composite), x)), `${x.shape} ${axis}`);
      }
    }
  });

  await t.step("forward mode and second derivatives agree with the composite", () => {
    const x = new Tensor(values(6, 13), [2, 3]);
    const f = (g: LogSoftmax) => (v: Tensor) => g(v, 1);
    assertAllClose(jacfwd(f(logSoftmax), x), jacfwd(f(composite), x), { rtol: 1e-14, atol: 1e-15 });
    const h = (g: LogSoftmax) => (v: Tensor) => sum(mul(g(v, 1), v));
    assertAllClose(hessian(h(logSoftmax), x), hessian(h(composite), x), {
      rtol: 1e-12,
      atol: 1e-14,
    });
  });

  await t.step("an empty axis gives an empty result, as the composite does", () => {
    assertEquals(logSoftmax(new Tensor(new Float64Array(0), [2, 0]), 1).shape, [2, 0]);
  });
});
