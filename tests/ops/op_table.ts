/**
 * The op table: one row per differentiable export of lib/mod.ts (an op with options may have a
 * few rows). tests/ops/op_table_test.ts checks every row with the library's own `assertGrad`:
 * reverse mode (VJP rules), forward mode (JVP rules) and, unless a row says `order: 1`, second
 * derivatives (rev-over-rev and fwd-over-rev against finite differences of the gradient), on
 * random shapes and values drawn by fast-check. tests/ops/exports_test.ts fails when an export
 * is neither here nor in {@linkcode NOT_DIFFERENTIABLE}.
 *
 * Adding an op (see CONTRIBUTING.md): one row, usually one of
 *
 *     elementwise("sin", mc.sin),                         // unary, any shape
 *     elementwise("log1p", mc.log1p, positive),           // ... on a domain
 *     binary("arctan2", mc.arctan2, awayFromZero),        // two operands, broadcast both ways
 *     reduction("cumsum", (x, [axis]) => mc.cumsum(x, axis), { oneAxis: true }),
 *     custom("solve", "square A", fc.tuple(dim, seedArb).map(([n, seed]) =>
 *       ({ f: mc.solve, x: [wellConditioned(n, seed), randn([n], { seed })] }))),
 *
 * Domains keep finite differences meaningful: away from kinks (abs, relu at 0), poles (1/x) and
 * domain edges (log, sqrt); a domain maps a standard normal draw to a valid input.
 */
import fc from "fast-check";
import * as mc from "matcalc";
import { assertGrad, randn, Tensor, type TensorFn } from "matcalc";

/** One case: the function to check and the point (one tensor per argument of `f`). */
export interface Case {
  f: TensorFn;
  x: Tensor[];
}

/** One row of the table. */
export interface OpRow {
  /** The name exported by lib/mod.ts that this row checks (the coverage test matches on it). */
  op: string;
  /** What the row exercises when an op has several rows (shown in the test step's name). */
  label?: string;
  /** Random cases. */
  cases: fc.Arbitrary<Case>;
  /** The highest derivative order checked: 2 (default) or 1. */
  order?: 1 | 2;
}

/** Checks `numRuns` random cases of `row` with `assertGrad` (throws, shrunk, on a failure). */
export function checkRow(row: OpRow, numRuns: number): void {
  const order = row.order ?? 2;
  fc.assert(
    fc.property(row.cases, ({ f, x }) => {
      assertGrad(f, x, { order });
    }),
    { seed: 42, numRuns },
  );
}

/** A map from a standard normal draw to a point of an op's domain. */
export type Domain = (t: Tensor) => Tensor;

export const dim: fc.Arbitrary<number> = fc.integer({ min: 1, max: 3 });
export const seedArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 2 ** 31 - 1 });
/** Shapes of rank `minRank` to `maxRank` with axes of size 1 to 3. */
export const shapeArb = (minRank = 0, maxRank = 3): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank });

/** Any value. */
export const normal: Domain = (t) => t;
/** |v| ≥ 0.3: abs, relu, sign, step and 1/x stay smooth within a finite-difference step. */
export const awayFromZero: Domain = (t) => mc.mul(mc.sign(t), mc.add(mc.abs(t), 0.3));
/** v ≥ 0.5: log, sqrt, fractional powers. */
export const positive: Domain = (t) => mc.add(mc.abs(t), 0.5);
/**
 * The ranks of the draw (0, 1, 2, … in random order): no ties and gaps of 1, far wider than a
 * finite-difference step, for max, min and other ops with a kink where two entries are equal.
 */
export const distinct: Domain = (t) => {
  const d = t.data, order = [...d.keys()].sort((i, j) => d[i] - d[j]);
  const out = new Float64Array(d.length);
  order.forEach((i, r) => (out[i] = r));
  return new Tensor(out, t.shape);
};
/** About a third of the entries exactly 0: for ops whose rule needs care at zero (prod). */
export const someZeros: Domain = (t) =>
  new Tensor(t.data.map((v) => (Math.abs(v) < 0.45 ? 0 : v)), t.shape);

/** A shape that broadcasts to `shape`: some axes set to 1, some leading axes dropped. */
export const broadcastable = (shape: number[]): fc.Arbitrary<number[]> =>
  fc.tuple(
    fc.integer({ min: 0, max: shape.length }),
    fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
  ).map(([drop, ones]) => shape.map((d, k) => (ones[k] ? 1 : d)).slice(drop));

/** A row for a unary op `f(x)` on any shape. */
export function elementwise(
  op: string,
  f: (x: Tensor) => Tensor,
  domain: Domain = normal,
  label?: string,
): OpRow {
  return {
    op,
    label,
    cases: fc.tuple(shapeArb(), seedArb).map(([s, seed]) => ({
      f,
      x: [domain(randn(s, { seed }))],
    })),
  };
}

/**
 * A row for a binary op `f(a, b)` with NumPy broadcasting, the smaller operand on either side.
 * `domainB` applies to the second operand; `pair` (if given) maps both draws together, for ops
 * with a kink where `a = b` (maximum, minimum).
 */
export function binary(
  op: string,
  f: (a: Tensor, b: Tensor) => Tensor,
  domainB: Domain = normal,
  pair?: (a: Tensor, b: Tensor) => [Tensor, Tensor],
): OpRow {
  return {
    op,
    label: "with broadcasting",
    cases: fc.tuple(
      shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s), fc.boolean())),
      seedArb,
    ).map(([[big, small, swap], seed]) => {
      let a = randn(swap ? small : big, { seed });
      let b = domainB(randn(swap ? big : small, { seed: seed + 1 }));
      if (pair !== undefined) [a, b] = pair(a, b);
      return { f, x: [a, b] };
    }),
  };
}

/**
 * A row for a reduction `f(x, axes, keepdims)` over a random non-empty set of axes (one axis
 * with `oneAxis`), keepdims or not; each case also checks the reduction over all axes.
 */
export function reduction(
  op: string,
  f: (x: Tensor, axes: number[], keepdims: boolean) => Tensor,
  { domain = normal, oneAxis = false }: { domain?: Domain; oneAxis?: boolean } = {},
): OpRow {
  const axesOf = (s: number[]) =>
    oneAxis
      ? fc.integer({ min: 0, max: s.length - 1 }).map((k) => [k])
      : fc.subarray([...s.keys()], { minLength: 1 });
  return {
    op,
    label: oneAxis ? "along a random axis" : "over random axes, keepdims or not",
    cases: fc.tuple(
      shapeArb(1).chain((s) => fc.tuple(fc.constant(s), axesOf(s), fc.boolean())),
      seedArb,
    ).map(([[s, axes, keepdims], seed]) => ({
      f: (x: Tensor) => f(x, axes, keepdims),
      x: [domain(randn(s, { seed }))],
    })),
  };
}

/** A row with its own case generator. */
export function custom(op: string, label: string, cases: fc.Arbitrary<Case>, order?: 1): OpRow {
  return { op, label, cases, order };
}

const mkn = fc.tuple(dim, dim, dim);
/** Even integers for `a`, odd ones for `b`: never equal, so maximum/minimum have no tie. */
const apart = (a: Tensor, b: Tensor): [Tensor, Tensor] => [
  new Tensor(a.data.map((v) => 2 * Math.round(2 * v)), a.shape),
  new Tensor(b.data.map((v) => 2 * Math.round(2 * v) + 1), b.shape),
];

/** Linear algebra: `Q diag(values) Pᵀ` with random orthonormal Q, P, so the spectrum is known. */
function withSpectrum(m: number, n: number, values: number[], seed: number): Tensor {
  const r = Math.min(m, n);
  const q = mc.qr(randn([m, r], { seed })).Q, p = mc.qr(randn([n, r], { seed: seed + 1 })).Q;
  return mc.matmul(mc.mul(q, mc.tensor(values.slice(0, r))), mc.transpose(p));
}
/** Square, condition number ≤ 4, |det| ≥ 1, with a random orthonormal basis on each side. */
const wellConditioned = (n: number, seed: number) => withSpectrum(n, n, [4, 2.5, 1], seed);
/** Symmetric positive definite with eigenvalues 4, 2.5, 1 (gaps ≥ 1.5: eigenvectors well defined). */
const spd = (n: number, seed: number) => {
  const q = mc.qr(randn([n, n], { seed })).Q;
  return mc.matmul(mc.mul(q, mc.tensor([4, 2.5, 1].slice(0, n))), mc.transpose(q));
};
const squareCases = (f: TensorFn, make = wellConditioned) =>
  fc.tuple(dim, seedArb).map(([n, seed]) => ({ f, x: [make(n, seed)] }));
const rectCases = (f: TensorFn, tall = false) =>
  fc.tuple(dim, dim, seedArb).map(([m, n, seed]) => {
    const [rows, cols] = tall ? [Math.max(m, n), Math.min(m, n)] : [m, n];
    return { f, x: [withSpectrum(rows, cols, [3, 2, 1], seed)] };
  });

export const OPS: OpRow[] = [
  // Elementwise, unary
  elementwise("neg", mc.neg),
  elementwise("exp", mc.exp),
  elementwise("log", mc.log, positive),
  elementwise("tanh", mc.tanh),
  elementwise("sqrt", mc.sqrt, positive),
  elementwise("abs", mc.abs, awayFromZero),
  elementwise("sign", mc.sign, awayFromZero),
  elementwise("relu", mc.relu, awayFromZero),
  elementwise("step", mc.step, awayFromZero),
  elementwise("square", mc.square),
  elementwise("sigmoid", mc.sigmoid),
  elementwise("scale", (x) => mc.scale(x, -2.5), normal, "by -2.5"),
  elementwise("pow", (x) => mc.pow(x, 3), normal, "p = 3"),
  elementwise("pow", (x) => mc.pow(x, 0.5), positive, "p = 0.5"),
  elementwise("pow", (x) => mc.pow(x, -2), awayFromZero, "p = -2"),
  elementwise("pow", (x) => mc.pow(x, 0), normal, "p = 0"),
  // Bounds at ±0.15 while |x| ≥ 0.15: both the clipped and the free branch occur.
  elementwise("clip", (x) => mc.clip(x, -0.15, 0.15), (x) => mc.mul(awayFromZero(x), 0.5)),

  // Elementwise, binary (NumPy broadcasting)
  binary("add", mc.add),
  binary("sub", mc.sub),
  binary("mul", mc.mul),
  binary("div", mc.div, awayFromZero),
  binary("maximum", mc.maximum, normal, apart),
  binary("minimum", mc.minimum, normal, apart),
  custom(
    "where",
    "with a broadcast condition",
    shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s), broadcastable(s)))
      .chain(([s, sc, sb]) =>
        seedArb.map((seed) => {
          const cond = mc.step(randn(sc, { seed: seed + 2 }));
          return {
            f: (a: Tensor, b: Tensor) => mc.where(cond, a, b),
            x: [randn(s, { seed }), randn(sb, { seed: seed + 1 })],
          };
        })
      ),
  ),

  // Reductions
  reduction("sum", (x, axes, keepdims) => mc.sum(x, axes, { keepdims })),
  reduction("mean", (x, axes, keepdims) => mc.mean(x, axes, { keepdims })),
  reduction("prod", (x, axes, keepdims) => mc.prod(x, axes, { keepdims })),
  {
    ...reduction("prod", (x, axes, keepdims) => mc.prod(x, axes, { keepdims }), {
      domain: someZeros,
    }),
    label: "with exact zeros",
  },
  reduction("max", (x, axes, keepdims) => mc.max(x, axes, { keepdims }), { domain: distinct }),
  reduction("min", (x, axes, keepdims) => mc.min(x, axes, { keepdims }), { domain: distinct }),
  reduction("logsumexp", (x, axes, keepdims) => mc.logsumexp(x, axes, { keepdims })),
  reduction("softmax", (x, [axis]) => mc.softmax(mc.mul(3, x), axis), { oneAxis: true }),
  reduction("logSoftmax", (x, [axis]) => mc.logSoftmax(mc.mul(3, x), axis), { oneAxis: true }),

  // Movement
  custom(
    "broadcastTo",
    "to a random broadcast target",
    shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s), seedArb)).map((
      [big, small, seed],
    ) => ({ f: (x: Tensor) => mc.broadcastTo(x, big), x: [randn(small, { seed })] })),
  ),
  custom(
    "sumTo",
    "to a random broadcast source",
    shapeArb().chain((s) => fc.tuple(fc.constant(s), broadcastable(s), seedArb)).map((
      [big, small, seed],
    ) => ({ f: (x: Tensor) => mc.sumTo(x, small), x: [randn(big, { seed })] })),
  ),
  custom(
    "reshape",
    "reversed shape and -1",
    fc.tuple(shapeArb(1), fc.boolean(), seedArb).map(([s, flat, seed]) => ({
      f: (x: Tensor) => mc.reshape(x, flat ? [-1] : [...s].reverse()),
      x: [randn(s, { seed })],
    })),
  ),
  custom(
    "transpose",
    "any permutation, or reversed",
    shapeArb(1).chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.shuffledSubarray([...s.keys()], { minLength: s.length, maxLength: s.length }),
        fc.boolean(),
        seedArb,
      )
    ).map(([s, perm, reverse, seed]) => ({
      f: (x: Tensor) => (reverse ? mc.transpose(x) : mc.transpose(x, perm)),
      x: [randn(s, { seed })],
    })),
  ),
  ...(["slice", "concat", "stack"] as const).map((op) =>
    custom(
      op,
      "along a random axis",
      shapeArb(1).chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.integer({ min: 0, max: s.length - 1 }),
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 1, max: 3 }),
          seedArb,
        )
      ).map(([s, axis, start, len, seed]): Case => {
        const x = randn(s, { seed }), y = randn(s, { seed: seed + 1 });
        if (op === "slice") return { f: (v) => mc.slice(v, start, start + len, { axis }), x: [x] };
        if (op === "concat") return { f: (a, b) => mc.concat([a, b], axis), x: [x, y] };
        return { f: (a, b) => mc.stack([a, b], axis), x: [x, y] };
      }),
    )
  ),
  custom(
    "vec",
    "column- and row-major",
    fc.tuple(shapeArb(), fc.boolean(), seedArb).map(([s, c, seed]) => ({
      f: (x: Tensor) => mc.vec(x, c ? { order: "C" } : {}),
      x: [randn(s, { seed })],
    })),
  ),
  custom(
    "unvec",
    "to a random shape",
    fc.tuple(shapeArb(1), fc.boolean(), seedArb).map(([s, c, seed]) => ({
      f: (x: Tensor) => mc.unvec(x, s, c ? { order: "C" } : {}),
      x: [randn([s.reduce((p, d) => p * d, 1)], { seed })],
    })),
  ),

  custom(
    "squeeze",
    "one given axis",
    fc.tuple(shapeArb(0, 2), seedArb).map(([s, seed]) => ({
      f: (x: Tensor) => mc.squeeze(x, -1),
      x: [randn([...s, 1], { seed })],
    })),
  ),
  custom(
    "expandDims",
    "a new axis at any position",
    fc.tuple(shapeArb(0, 2), fc.nat(), seedArb).map(([s, k, seed]) => ({
      f: (x: Tensor) => mc.expandDims(x, k % (s.length + 1)),
      x: [randn(s, { seed })],
    })),
  ),
  custom(
    "take",
    "repeated and negative indices along an axis, and the flattened tensor",
    fc.tuple(shapeArb(1, 3), fc.nat(), fc.boolean(), seedArb).map(([s, k, flat, seed]) => {
      const axis = k % s.length, n = flat ? s.reduce((p, d) => p * d, 1) : s[axis];
      // Index 0 twice: the scatter-add of the VJP must sum the two cotangents.
      const idx = [0, n - 1, 0, -1];
      return {
        f: (x: Tensor) => (flat ? mc.take(x, idx) : mc.take(x, idx, axis)),
        x: [randn(s, { seed })],
      };
    }),
  ),

  // Products and contractions
  custom(
    "matmul",
    "every rank combination",
    fc.tuple(mkn, fc.boolean(), fc.boolean(), seedArb).map(([[m, k, n], va, vb, seed]) => ({
      f: mc.matmul,
      x: [randn(va ? [k] : [m, k], { seed }), randn(vb ? [k] : [k, n], { seed: seed + 1 })],
    })),
  ),
  custom(
    "dot",
    "matrices and vectors",
    fc.tuple(mkn, fc.boolean(), seedArb).map(([[m, k, n], vectors, seed]) => ({
      f: mc.dot,
      x: vectors
        ? [randn([k], { seed }), randn([k], { seed: seed + 1 })]
        : [randn([m, k], { seed }), randn([k, n], { seed: seed + 1 })],
    })),
  ),
  custom(
    "outer",
    "of vectors",
    fc.tuple(mkn, seedArb).map(([[m, , n], seed]) => ({
      f: mc.outer,
      x: [randn([m], { seed }), randn([n], { seed: seed + 1 })],
    })),
  ),
  custom(
    "trace",
    "of a square matrix",
    fc.tuple(dim, seedArb).map(([n, seed]) => ({ f: mc.trace, x: [randn([n, n], { seed })] })),
  ),
  custom(
    "tensordot",
    "0, 1 and 2 contracted axes",
    fc.tuple(mkn, dim, fc.integer({ min: 0, max: 2 }), seedArb).map(([[m, k, n], p, c, seed]) => {
      const a = randn([m, k, p], { seed }), b = randn([k, p, n], { seed: seed + 1 });
      if (c === 2) return { f: (a: Tensor, b: Tensor) => mc.tensordot(a, b, 2), x: [a, b] };
      if (c === 1) {
        return { f: (a: Tensor, b: Tensor) => mc.tensordot(a, b, [[1], [0]]), x: [a, b] };
      }
      return {
        f: (a: Tensor, b: Tensor) => mc.tensordot(a, b, 0),
        x: [randn([m], { seed }), randn([n], { seed: seed + 1 })],
      };
    }),
  ),
  custom(
    "einsum",
    "matmul, transpose, trace, batched dot, outer",
    fc.tuple(mkn, fc.integer({ min: 0, max: 4 }), seedArb).map(([[m, k, n], which, seed]) => {
      const A = randn([m, k], { seed }), B = randn([k, n], { seed: seed + 1 });
      const cases: Case[] = [
        { f: (a, b) => mc.einsum("ij,jk->ik", a, b), x: [A, B] },
        { f: (a) => mc.einsum("ij->ji", a), x: [A] },
        { f: (a) => mc.einsum("ii", a), x: [randn([k, k], { seed })] },
        { f: (a, b) => mc.einsum("ij,ij->i", a, b), x: [A, randn([m, k], { seed: seed + 2 })] },
        { f: (a, b) => mc.einsum("i,j", a, b), x: [randn([m], { seed }), randn([n], { seed })] },
      ];
      return cases[which];
    }),
  ),
  custom(
    "kron",
    "of vectors and matrices",
    fc.tuple(shapeArb(1, 2), shapeArb(1, 2), seedArb).map(([sa, sb, seed]) => ({
      f: mc.kron,
      x: [randn(sa, { seed }), randn(sb, { seed: seed + 1 })],
    })),
  ),

  // Trigonometric, hyperbolic, log/exp (issue 14)
  elementwise("sin", mc.sin),
  elementwise("cos", mc.cos),
  // |x| < 1.2: away from the pole at π/2.
  elementwise("tan", mc.tan, (x) => mc.mul(1.2, mc.tanh(x))),
  elementwise("arctan", mc.arctan),
  binary("arctan2", mc.arctan2, awayFromZero),
  elementwise("sinh", mc.sinh),
  elementwise("cosh", mc.cosh),
  elementwise("log1p", mc.log1p, positive),
  elementwise("expm1", mc.expm1),
  elementwise("softplus", mc.softplus),

  // Running sums, triangles and diagonals (issue 14)
  reduction("cumsum", (x, [axis]) => mc.cumsum(x, axis), { oneAxis: true }),
  ...(["tril", "triu"] as const).map((op) =>
    custom(
      op,
      "offsets -1, 0, 1 on matrices and stacks",
      fc.tuple(shapeArb(2), fc.integer({ min: -1, max: 1 }), seedArb).map(([s, k, seed]) => ({
        f: (x: Tensor) => mc[op](x, k),
        x: [randn(s, { seed })],
      })),
    )
  ),
  custom(
    "diag",
    "vector to matrix and back, offsets -1, 0, 1",
    fc.tuple(dim, dim, fc.boolean(), fc.integer({ min: -1, max: 1 }), seedArb).map((
      [m, n, vector, k, seed],
    ) => ({ f: (x: Tensor) => mc.diag(x, k), x: [randn(vector ? [n] : [m, n], { seed })] })),
  ),
  custom(
    "diagonal",
    "random axes and offset",
    shapeArb(2).chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.shuffledSubarray([...s.keys()], { minLength: 2, maxLength: 2 }),
        fc.integer({ min: -1, max: 1 }),
        seedArb,
      )
    ).map(([s, [a1, a2], k, seed]) => ({
      f: (x: Tensor) => mc.diagonal(x, k, a1, a2),
      x: [randn(s, { seed })],
    })),
  ),

  // Norms and matrix functions (issue 14)
  custom(
    "norm",
    "vector orders 1, 2, 3, Infinity; Frobenius",
    fc.tuple(shapeArb(2, 3), fc.integer({ min: 0, max: 4 }), seedArb).map(([s, which, seed]) => {
      // Distinct magnitudes ≥ 0.5: no kink of |x| or of the max within a step.
      const x = mc.add(distinct(randn(s, { seed })), 0.5);
      const cases: ((v: Tensor) => Tensor)[] = [
        (v) => mc.norm(v, 1, { axis: -1 }),
        (v) => mc.norm(v, 2, { axis: 0, keepdims: true }),
        (v) => mc.norm(v, 3, { axis: -1 }),
        (v) => mc.norm(v, Infinity, { axis: -1 }),
        (v) => mc.norm(v, "fro", { axis: [-2, -1] }),
      ];
      return { f: cases[which], x: [mc.mul(mc.sign(randn(s, { seed: seed + 1 })), x)] };
    }),
  ),
  custom(
    "expm",
    "of a square matrix",
    fc.tuple(dim, seedArb).map(([n, seed]) => ({
      f: mc.expm,
      x: [mc.mul(0.5, randn([n, n], { seed }))],
    })),
  ),
  custom(
    "frechet",
    "of expm, in A and E",
    fc.tuple(dim, seedArb).map(([n, seed]) => ({
      f: (a: Tensor, e: Tensor) => mc.frechet(mc.expm, a, e),
      x: [mc.mul(0.5, randn([n, n], { seed })), randn([n, n], { seed: seed + 1 })],
    })),
  ),
  custom(
    "pinv",
    "tall, wide and square, full rank",
    fc.tuple(dim, dim, seedArb).map(([m, n, seed]) => ({
      f: mc.pinv,
      // A dominant diagonal keeps the smallest singular value away from 0.
      x: [mc.add(mc.mul(2, mc.eye(m, n)), mc.mul(0.3, randn([m, n], { seed })))],
    })),
  ),
  custom(
    "norm",
    "nuclear, 2 and -2 matrix norms (distinct singular values)",
    fc.tuple(fc.constantFrom("nuc", 2, -2) as fc.Arbitrary<mc.NormOrder>, seedArb).map((
      [ord, seed],
    ) => ({
      f: (a: Tensor) => mc.norm(a, ord),
      x: [mc.add(mc.diag(mc.tensor([3, 2, 1])), mc.mul(0.2, randn([3, 3], { seed })))],
    })),
  ),
  custom(
    "matrixPower",
    "k = 2, 3, -1, -2",
    fc.tuple(dim, fc.constantFrom(2, 3, -1, -2), seedArb).map(([n, k, seed]) => ({
      f: (a: Tensor) => mc.matrixPower(a, k),
      // 3I + a small perturbation: well conditioned for the inverse.
      x: [mc.add(mc.mul(3, mc.eye(n)), mc.mul(0.5, randn([n, n], { seed })))],
    })),
  ),

  // Losses
  custom(
    "crossEntropy",
    "class indices and probability labels",
    fc.tuple(dim, fc.integer({ min: 2, max: 4 }), fc.boolean(), seedArb).map((
      [batch, classes, indices, seed],
    ): Case => {
      const z = mc.mul(2, randn([batch, classes], { seed }));
      if (indices) {
        const labels = Array.from({ length: batch }, (_, i) => (seed + i) % classes);
        return { f: (v) => mc.crossEntropy(v, labels), x: [z] };
      }
      return {
        f: (v, q) => mc.crossEntropy(v, q),
        x: [z, mc.softmax(randn([batch, classes], { seed: seed + 1 }))],
      };
    }),
  ),
  custom(
    "mse",
    "same shapes",
    fc.tuple(shapeArb(), seedArb).map(([s, seed]) => ({
      f: mc.mse,
      x: [randn(s, { seed }), randn(s, { seed: seed + 1 })],
    })),
  ),

  // Linear algebra (issue 14, linalg): well-conditioned inputs with separated spectra.
  custom("det", "well-conditioned A", squareCases(mc.det)),
  custom("slogdet", "logabsdet", squareCases((A) => mc.slogdet(A).logabsdet)),
  custom("logdet", "SPD A", squareCases(mc.logdet, spd)),
  custom("inv", "well-conditioned A", squareCases(mc.inv)),
  custom(
    "solve",
    "A and B [n, 2]",
    fc.tuple(dim, seedArb).map(([n, seed]) => ({
      f: mc.solve,
      x: [wellConditioned(n, seed), randn([n, 2], { seed: seed + 2 })],
    })),
  ),
  custom(
    "solveTriangular",
    "lower A and b",
    fc.tuple(dim, seedArb).map(([n, seed]) => ({
      f: (A, b) => mc.solveTriangular(A, b, { lower: true }),
      x: [mc.add(randn([n, n], { seed }), mc.scale(mc.eye(n), 4)), randn([n], { seed: seed + 1 })],
    })),
  ),
  custom("cholesky", "SPD A", squareCases(mc.cholesky, spd)),
  custom("eigh", "eigenvalues", squareCases((A) => mc.eigh(A).eigenvalues, spd)),
  custom("eigh", "eigenvectors", squareCases((A) => mc.eigh(A).eigenvectors, spd)),
  custom("svd", "S", rectCases((A) => mc.svd(A).S)),
  custom("svd", "U", rectCases((A) => mc.svd(A).U)),
  custom("svd", "Vh", rectCases((A) => mc.svd(A).Vh)),
  custom("qr", "Q, tall A", rectCases((A) => mc.qr(A).Q, true)),
  custom("qr", "R, tall A", rectCases((A) => mc.qr(A).R, true)),
];

/**
 * Exports of lib/mod.ts that are functions but not differentiable ops, each with the reason.
 * Classes (Tensor, the errors, the structured Jacobians) are skipped by the coverage test.
 */
export const NOT_DIFFERENTIABLE: Record<string, string> = {
  // Creation: no tensor input.
  arange: "creation",
  eye: "creation",
  full: "creation",
  linspace: "creation",
  ones: "creation",
  tensor: "creation",
  zeros: "creation",
  rand: "creation",
  randn: "creation",
  commutation: "creation (a constant permutation matrix)",
  // Integer-valued or boolean results.
  argmax: "returns indices",
  allClose: "returns a boolean",
  assertAllClose: "asserts",
  // Derivative 0 by definition: finite differences would see the identity.
  stopGradient: "derivative is 0 by definition (tested in tests/ad/)",
  // Transforms and checkers: differentiated through in tests/ad/ (nesting, hessian).
  grad: "transform",
  valueAndGrad: "transform",
  vjp: "transform",
  jvp: "transform",
  jacfwd: "transform",
  jacobian: "transform",
  jacrev: "transform",
  hessian: "transform",
  numericalGrad: "finite differences",
  numericalJacobian: "finite differences",
  checkGrad: "checker",
  assertGrad: "checker",
  // Structured Jacobians and layouts: rearrange results of transforms (tests/ad/).
  diagonalJacobian: "structured Jacobian constructor",
  identityJacobian: "structured Jacobian constructor",
  jacobianOfMatmul: "structured Jacobian constructor",
  kronJacobian: "structured Jacobian constructor",
  leastSquaresHessian: "structured Hessian constructor (tests/ad/kron_hessian_test.ts)",
  fromLayout: "rearranges a gradient (tests/ad/layout_test.ts)",
  toLayout: "rearranges a gradient (tests/ad/layout_test.ts)",
  toVecMatrix: "rearranges a Jacobian (tests/ad/layout_test.ts)",
  // Settings and training.
  getDenseBudget: "setting",
  setDenseBudget: "setting",
  getPrintOptions: "setting",
  setPrintOptions: "setting",
  withPrintOptions: "setting",
  getThreads: "setting",
  setThreads: "setting",
  maxThreads: "setting",
  getBackend: "setting",
  setBackend: "setting",
  gradientDescent: "training loop",
  minibatches: "index lists",
  takeRows: "row selection for minibatches (tests/robust/)",
  // Symbolic: takes an expression string, not a tensor; its results are checked against autodiff.
  derive: "symbolic derivation (tests/symbolic/)",
};
