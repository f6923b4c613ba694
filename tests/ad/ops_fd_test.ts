/**
 * Every differentiable op exported from matcalc, checked against central differences in both
 * modes (JVP rules via jacfwd, VJP rules via jacrev) on random shapes and values. fast-check
 * shrinks a failure to the smallest shape that still fails.
 */
import fc from "fast-check";
import * as mc from "matcalc";
import { assertGrad, randn, type Tensor } from "matcalc";

// 200 cases per property (about 15 s for the file); MATCALC_PROPERTY_RUNS=1000 for a deep run.
const RUNS = Number(Deno.env.get("MATCALC_PROPERTY_RUNS") ?? 200);
const params = { seed: 42, numRuns: RUNS };

const dim = fc.integer({ min: 1, max: 3 });
const shapeArb = (minRank = 0, maxRank = 3) =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Values bounded away from 0 (|v| ≥ 0.3) so abs, relu, sign, step and div stay smooth. */
function awayFromZero(t: Tensor): Tensor {
  return mc.mul(mc.sign(t), mc.add(mc.abs(t), 0.3));
}
function positive(t: Tensor): Tensor {
  return mc.add(mc.abs(t), 0.5);
}

/** A shape that broadcasts to `shape`: some axes set to 1, some leading axes dropped. */
const broadcastable = (shape: number[]) =>
  fc.tuple(
    fc.integer({ min: 0, max: shape.length }),
    fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
  ).map(([drop, ones]) => shape.map((d, k) => (ones[k] ? 1 : d)).slice(drop));

const unary: [string, (x: Tensor) => Tensor, (x: Tensor) => Tensor][] = [
  ["neg", mc.neg, (x) => x],
  ["exp", mc.exp, (x) => x],
  ["log", mc.log, positive],
  ["tanh", mc.tanh, (x) => x],
  ["sqrt", mc.sqrt, positive],
  ["abs", mc.abs, awayFromZero],
  ["sign", mc.sign, awayFromZero],
  ["relu", mc.relu, awayFromZero],
  ["step", mc.step, awayFromZero],
  ["square", mc.square, (x) => x],
  ["sigmoid", mc.sigmoid, (x) => x],
  ["scale", (x) => mc.scale(x, -2.5), (x) => x],
  ["vec", (x) => mc.vec(x), (x) => x],
  ["vec C", (x) => mc.vec(x, { order: "C" }), (x) => x],
  ["pow 3", (x) => mc.pow(x, 3), (x) => x],
  ["pow 0.5", (x) => mc.pow(x, 0.5), positive],
  ["pow -2", (x) => mc.pow(x, -2), awayFromZero],
  // Bounds at ±0.15 while inputs stay at |x| ≥ 0.3: both the clipped and the free branch occur.
  ["clip", (x) => mc.clip(x, -0.15, 0.15), (x) => mc.mul(awayFromZero(x), 0.5)],
];

Deno.test("elementwise and movement ops: VJP and JVP vs finite differences", async (t) => {
  for (const [name, f, domain] of unary) {
    await t.step(name, () => {
      fc.assert(
        fc.property(shapeArb(), seedArb, (shape, seed) => {
          assertGrad(f, domain(randn(shape, { seed })));
        }),
        params,
      );
    });
  }

  const binary: [string, (a: Tensor, b: Tensor) => Tensor, (b: Tensor) => Tensor][] = [
    ["add", mc.add, (b) => b],
    ["sub", mc.sub, (b) => b],
    ["mul", mc.mul, (b) => b],
    ["div", mc.div, awayFromZero],
  ];
  for (const [name, f, domain] of binary) {
    await t.step(`${name} with broadcasting`, () => {
      fc.assert(
        fc.property(
          shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s), fc.boolean())),
          seedArb,
          ([big, small, swap], seed) => {
            const a = randn(swap ? small : big, { seed });
            const b = domain(randn(swap ? big : small, { seed: seed + 1 }));
            assertGrad(f, [a, b]);
          },
        ),
        params,
      );
    });
  }

  await t.step("broadcastTo and sumTo", () => {
    fc.assert(
      fc.property(
        shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s))),
        seedArb,
        ([big, small], seed) => {
          assertGrad((x) => mc.broadcastTo(x, big), randn(small, { seed }));
          assertGrad((x) => mc.sumTo(x, small), randn(big, { seed }));
        },
      ),
      params,
    );
  });

  await t.step("where with a broadcast condition", () => {
    fc.assert(
      fc.property(
        shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s))),
        seedArb,
        ([shape, condShape], seed) => {
          const cond = mc.step(randn(condShape, { seed: seed + 2 }));
          assertGrad((a, b) => mc.where(cond, a, b), [
            randn(shape, { seed }),
            randn(shape, { seed: seed + 1 }),
          ]);
        },
      ),
      params,
    );
  });

  await t.step("slice, concat and stack", () => {
    fc.assert(
      fc.property(
        shapeArb(1).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.integer({ min: 0, max: s.length - 1 }),
            fc.integer({ min: 0, max: 2 }),
            fc.integer({ min: 1, max: 3 }),
          )
        ),
        seedArb,
        ([shape, axis, start, len], seed) => {
          const x = randn(shape, { seed }), y = randn(shape, { seed: seed + 1 });
          assertGrad((v) => mc.slice(v, start, start + len, { axis }), x);
          assertGrad((a, b) => mc.concat([a, b], axis), [x, y]);
          assertGrad((a, b) => mc.stack([a, b], axis), [x, y]);
        },
      ),
      params,
    );
  });

  await t.step("reshape, transpose and unvec", () => {
    fc.assert(
      fc.property(
        shapeArb(1).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray([...s.keys()], { minLength: s.length, maxLength: s.length }),
          )
        ),
        seedArb,
        ([shape, perm], seed) => {
          const x = randn(shape, { seed });
          assertGrad((v) => mc.reshape(v, [...shape].reverse()), x);
          assertGrad((v) => mc.reshape(v, [-1]), x);
          assertGrad((v) => mc.transpose(v, perm), x);
          assertGrad((v) => mc.transpose(v), x);
          assertGrad((v) => mc.unvec(v, shape), mc.reshape(x, [x.size]));
        },
      ),
      params,
    );
  });
});

Deno.test("reductions: VJP and JVP vs finite differences", async (t) => {
  const withAxis = shapeArb(1).chain((s) =>
    fc.tuple(
      fc.constant(s),
      fc.subarray([...s.keys()], { minLength: 1 }),
      fc.boolean(),
    )
  );
  const reductions: [string, (x: Tensor, axes: number[], keepdims: boolean) => Tensor][] = [
    ["sum", (x, axes, keepdims) => mc.sum(x, axes, { keepdims })],
    ["mean", (x, axes, keepdims) => mc.mean(x, axes, { keepdims })],
    ["max", (x, axes, keepdims) => mc.max(x, axes, { keepdims })],
    ["min", (x, axes, keepdims) => mc.min(x, axes, { keepdims })],
    ["logsumexp", (x, axes, keepdims) => mc.logsumexp(x, axes, { keepdims })],
  ];
  for (const [name, f] of reductions) {
    await t.step(name, () => {
      fc.assert(
        fc.property(withAxis, seedArb, ([shape, axes, keepdims], seed) => {
          const x = randn(shape, { seed });
          assertGrad((v) => f(v, axes, keepdims), x);
          assertGrad((v) => f(v, [...shape.keys()], false), x);
        }),
        params,
      );
    });
  }
  await t.step("softmax and logSoftmax along a random axis", () => {
    fc.assert(
      fc.property(
        shapeArb(1).chain((s) =>
          fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }))
        ),
        seedArb,
        ([shape, axis], seed) => {
          const x = mc.mul(3, randn(shape, { seed }));
          assertGrad((v) => mc.softmax(v, axis), x);
          assertGrad((v) => mc.logSoftmax(v, axis), x);
        },
      ),
      params,
    );
  });
});

Deno.test("products: VJP and JVP vs finite differences", async (t) => {
  const mkn = fc.tuple(dim, dim, dim);
  await t.step("matmul, every rank combination", () => {
    fc.assert(
      fc.property(mkn, fc.boolean(), fc.boolean(), seedArb, ([m, k, n], va, vb, seed) => {
        const a = randn(va ? [k] : [m, k], { seed }),
          b = randn(vb ? [k] : [k, n], { seed: seed + 1 });
        assertGrad(mc.matmul, [a, b]);
      }),
      params,
    );
  });
  await t.step("dot and outer", () => {
    fc.assert(
      fc.property(mkn, seedArb, ([m, k, n], seed) => {
        assertGrad(mc.dot, [randn([m, k], { seed }), randn([k, n], { seed: seed + 1 })]);
        assertGrad(mc.dot, [randn([k], { seed }), randn([k], { seed: seed + 1 })]);
        assertGrad(mc.outer, [randn([m], { seed }), randn([n], { seed: seed + 1 })]);
      }),
      params,
    );
  });
  await t.step("tensordot with 0, 1 and 2 contracted axes", () => {
    fc.assert(
      fc.property(mkn, dim, seedArb, ([m, k, n], p, seed) => {
        const a = randn([m, k, p], { seed }), b = randn([k, p, n], { seed: seed + 1 });
        assertGrad((a, b) => mc.tensordot(a, b, 2), [a, b]);
        assertGrad((a, b) => mc.tensordot(a, b, [[1], [0]]), [a, b]);
        assertGrad((a, b) => mc.tensordot(a, b, 0), [randn([m], { seed }), randn([n], { seed })]);
      }),
      params,
    );
  });
  await t.step("einsum: matmul, transpose, trace, batched dot, outer", () => {
    fc.assert(
      fc.property(mkn, seedArb, ([m, k, n], seed) => {
        const A = randn([m, k], { seed }), B = randn([k, n], { seed: seed + 1 });
        assertGrad((a, b) => mc.einsum("ij,jk->ik", a, b), [A, B]);
        assertGrad((a) => mc.einsum("ij->ji", a), A);
        assertGrad((a) => mc.einsum("ii", a), randn([k, k], { seed }));
        assertGrad((a, b) => mc.einsum("ij,ij->i", a, b), [A, randn([m, k], { seed: seed + 2 })]);
        assertGrad((a, b) => mc.einsum("i,j", a, b), [randn([m], { seed }), randn([n], { seed })]);
      }),
      params,
    );
  });
  await t.step("kron of vectors and matrices", () => {
    fc.assert(
      fc.property(shapeArb(1, 2), shapeArb(1, 2), seedArb, (sa, sb, seed) => {
        assertGrad(mc.kron, [randn(sa, { seed }), randn(sb, { seed: seed + 1 })]);
      }),
      params,
    );
  });
});

Deno.test("losses: VJP and JVP vs finite differences", async (t) => {
  await t.step("crossEntropy with class indices and with one-hot labels", () => {
    fc.assert(
      fc.property(dim, fc.integer({ min: 2, max: 4 }), seedArb, (batch, classes, seed) => {
        const z = mc.mul(2, randn([batch, classes], { seed }));
        const labels = Array.from({ length: batch }, (_, i) => (seed + i) % classes);
        assertGrad((v) => mc.crossEntropy(v, labels), z);
        const p = mc.softmax(randn([batch, classes], { seed: seed + 1 }));
        assertGrad((v, q) => mc.crossEntropy(v, q), [z, p]);
      }),
      params,
    );
  });
  await t.step("mse", () => {
    fc.assert(
      fc.property(shapeArb(), seedArb, (shape, seed) => {
        assertGrad(mc.mse, [randn(shape, { seed }), randn(shape, { seed: seed + 1 })]);
      }),
      params,
    );
  });
});
