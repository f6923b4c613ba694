/**
 * Every primitive's reverse (VJP) and forward (JVP) rule against central finite differences, on
 * random shapes drawn by fast-check (fixed seed). Inputs are kept away from kinks (abs, relu, max)
 * and from the domain edges (log, sqrt, div) so that finite differences are meaningful.
 */
import fc from "fast-check";
import assert from "@matcalc/assert";
import {
  abs,
  add,
  broadcastTo,
  div,
  exp,
  kron,
  log,
  matmul,
  max,
  min,
  mul,
  neg,
  randn,
  relu,
  reshape,
  sigmoid,
  sqrt,
  sub,
  sum,
  tanh,
  Tensor,
  transpose,
} from "matcalc";
import { checkRules } from "./finite_diff.ts";

const RUNS = { seed: 42, numRuns: 200 };
const dim = fc.integer({ min: 1, max: 3 });
const shape = fc.array(dim, { maxLength: 3 });
const seed = fc.integer({ min: 0, max: 1_000_000 });

/** Random values with |x| ≥ 0.2, so no finite-difference step crosses a kink at 0. */
function awayFromZero(s: number[], k: number): Tensor {
  const d = randn(s, { seed: k }).data.map((x) => (x >= 0 ? x + 0.2 : x - 0.2));
  return new Tensor(d, s);
}
function normal(s: number[], k: number): Tensor {
  return randn(s, { seed: k });
}
function positive(s: number[], k: number): Tensor {
  return new Tensor(randn(s, { seed: k }).data.map((x) => Math.abs(x) + 0.5), s);
}

Deno.test("elementwise primitives: VJP and JVP match finite differences", async (t) => {
  const unary: [string, (x: Tensor) => Tensor, typeof awayFromZero][] = [
    ["neg", neg, normal],
    ["exp", exp, normal],
    ["log", log, positive],
    ["tanh", tanh, normal],
    ["sqrt", sqrt, positive],
    ["abs", abs, awayFromZero],
    ["relu", relu, awayFromZero],
    ["sigmoid", sigmoid, normal],
  ];
  for (const [name, f, gen] of unary) {
    await t.step(name, () => {
      fc.assert(
        fc.property(
          shape,
          seed,
          (s, k) => checkRules(f, [gen(s, k)], { msg: name }),
        ),
        RUNS,
      );
    });
  }
  const binary: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ["add", add],
    ["sub", sub],
    ["mul", mul],
    ["div", div],
  ];
  for (const [name, f] of binary) {
    await t.step(`${name} (with broadcasting)`, () => {
      fc.assert(
        fc.property(shape, fc.integer({ min: 0, max: 3 }), seed, (s, drop, k) => {
          const sb = s.slice(Math.min(drop, s.length)).map((d, i) => (i % 2 ? 1 : d));
          const b = name === "div" ? positive(sb, k + 1) : randn(sb, { seed: k + 1 });
          checkRules(f, [randn(s, { seed: k }), b], { msg: name });
          checkRules(f, [b, randn(s, { seed: k })], { msg: `${name}, swapped` });
        }),
        RUNS,
      );
    });
  }
});

Deno.test("structural primitives: VJP and JVP match finite differences", async (t) => {
  await t.step("sum over random axes, keepdims or not", () => {
    fc.assert(
      fc.property(
        shape,
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        seed,
        (s, pick, keepdims, k) => {
          const axes = s.flatMap((_, i) => (pick[i] ? [i] : []));
          checkRules((x) => sum(x, axes, { keepdims }), [randn(s, { seed: k })]);
        },
      ),
      RUNS,
    );
  });
  await t.step("broadcastTo", () => {
    fc.assert(
      fc.property(shape, dim, seed, (s, lead, k) => {
        const src = s.map((d, i) => (i % 2 ? 1 : d));
        checkRules((x) => broadcastTo(x, [lead, ...s]), [randn(src, { seed: k })]);
      }),
      RUNS,
    );
  });
  await t.step("reshape and transpose (any permutation)", () => {
    fc.assert(
      fc.property(
        shape.chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.keys()], { minLength: s.length }))
        ),
        seed,
        ([s, perm], k) => {
          checkRules((x) => reshape(x, [-1]), [randn(s, { seed: k })]);
          checkRules((x) => transpose(x, perm), [randn(s, { seed: k })]);
        },
      ),
      RUNS,
    );
  });
  await t.step("matmul: matrix × matrix, matrix × vector, vector × matrix", () => {
    fc.assert(
      fc.property(dim, dim, dim, seed, (m, n, p, k) => {
        checkRules(matmul, [randn([m, n], { seed: k }), randn([n, p], { seed: k + 1 })]);
        checkRules(matmul, [randn([m, n], { seed: k }), randn([n], { seed: k + 1 })]);
        checkRules(matmul, [randn([n], { seed: k }), randn([n, p], { seed: k + 1 })]);
      }),
      RUNS,
    );
  });
  await t.step("kron on shapes of different ranks", () => {
    fc.assert(
      fc.property(shape, shape, seed, (sa, sb, k) => {
        checkRules(kron, [randn(sa, { seed: k }), randn(sb, { seed: k + 1 })]);
      }),
      RUNS,
    );
  });
  await t.step("max and min over random axes (distinct values, so no ties)", () => {
    fc.assert(
      fc.property(
        shape,
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        seed,
        (s, pick, keepdims, k) => {
          const axes = s.flatMap((_, i) => (pick[i] ? [i] : []));
          const size = s.reduce((p, d) => p * d, 1);
          // A shuffled arange spaced by 1: every gap is far wider than the FD step.
          const vals = randn([size], { seed: k }).data;
          const order = [...vals.keys()].sort((i, j) => vals[i] - vals[j]);
          const d = new Float64Array(size);
          order.forEach((i, r) => (d[i] = r));
          const x = new Tensor(d, s);
          checkRules((y) => max(y, axes, { keepdims }), [x]);
          checkRules((y) => min(y, axes, { keepdims }), [x]);
        },
      ),
      RUNS,
    );
  });
});

Deno.test("transpose()", async (t) => {
  await t.step("the identity permutation of a matrix leaves it unchanged (regression)", () => {
    const X = randn([4, 3], { seed: 0 });
    assert.deepEqual(transpose(X, [0, 1]).toArray(), X.toArray());
  });
});
