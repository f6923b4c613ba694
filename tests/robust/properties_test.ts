/**
 * Property-based tests (fast-check, fixed seed) over the algebra and over AD vs finite
 * differences. Arbitraries draw a *shape* (small dimensions) and a pool of values separately and
 * fill the tensor from the pool cyclically, so on failure fast-check shrinks the dimensions and
 * the values independently and reports a minimal failing shape, e.g. `[[1, 2], [0]]`.
 *
 * Algebra uses small integers so float64 results are exact and compared with `deepEqual`;
 * derivative properties use doubles and tolerances.
 */
import fc from "fast-check";
import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import {
  add,
  assertAllClose,
  broadcastTo,
  crossEntropy,
  einsum,
  exp,
  grad,
  jacfwd,
  jacrev,
  jvp,
  matmul,
  mul,
  numericalGrad,
  numericalJacobian,
  outer,
  reshape,
  sigmoid,
  softmax,
  square,
  sub,
  sum,
  tanh,
  Tensor,
  tensordot,
  transpose,
  vjp,
} from "matcalc";

const RUNS = 200;
const params = (numRuns = RUNS) => ({ seed: 42, numRuns });

const dim = fc.integer({ min: 1, max: 4 });
const ints = fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 16 });
const reals = fc.array(fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), {
  minLength: 1,
  maxLength: 16,
});

/** A tensor of `shape` filled cyclically from `pool` (so shape and values shrink separately). */
function fill(shape: readonly number[], pool: readonly number[]): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  return new Tensor(Float64Array.from({ length: size }, (_, i) => pool[i % pool.length]), shape);
}

/** Exact equality, except that -0 equals 0 (a product with a zero may carry either sign). */
const same = (a: Tensor, b: Tensor) => {
  assertEquals(a.shape, b.shape);
  assertEquals(Array.from(a.data, (v) => v + 0), Array.from(b.data, (v) => v + 0));
};

Deno.test("algebra properties (fast-check)", async (t) => {
  await t.step("add/mul broadcast == explicit broadcastTo, and commute", () => {
    // b's shape: a suffix of a's shape with some axes set to 1 (always broadcastable).
    const arb = fc.record({
      shape: fc.array(dim, { maxLength: 3 }),
      keep: fc.array(fc.boolean(), { maxLength: 3 }),
      drop: fc.nat({ max: 3 }),
      pa: ints,
      pb: ints,
    });
    fc.assert(
      fc.property(arb, ({ shape, keep, drop, pa, pb }) => {
        const sb = shape.slice(Math.min(drop, shape.length)).map((d, i) => (keep[i] ? d : 1));
        const a = fill(shape, pa), b = fill(sb, pb);
        for (const op of [add, mul]) {
          const direct = op(a, b);
          same(direct, op(a, broadcastTo(b, shape)));
          same(direct, op(b, a));
        }
      }),
      params(),
    );
  });

  const mats = fc.record({ m: dim, k: dim, n: dim, p: dim, pa: ints, pb: ints, pc: ints });

  await t.step("matmul is associative and (AB)ᵀ = BᵀAᵀ", () => {
    fc.assert(
      fc.property(mats, ({ m, k, n, p, pa, pb, pc }) => {
        const A = fill([m, k], pa), B = fill([k, n], pb), C = fill([n, p], pc);
        same(matmul(matmul(A, B), C), matmul(A, matmul(B, C)));
        same(transpose(matmul(A, B)), matmul(transpose(B), transpose(A)));
      }),
      params(),
    );
  });

  // tests/core/identities_test.ts covers kron/vec identities and einsum as matmul/outer/dot.
  await t.step("tensordot and einsum contractions agree with matmul and sum", () => {
    fc.assert(
      fc.property(mats, ({ m, k, n, pa, pb }) => {
        const A = fill([m, k], pa), B = fill([k, n], pb);
        same(tensordot(A, B, 1), matmul(A, B));
        same(tensordot(A, B, [[1], [0]]), matmul(A, B));
        same(einsum("ij,ij->", A, A), sum(mul(A, A)));
      }),
      params(),
    );
  });

  await t.step("reshape round-trips and transpose by a permutation inverts", () => {
    const arb = fc.record({
      shape: fc.array(dim, { minLength: 1, maxLength: 4 }),
      keys: fc.array(fc.double({ noNaN: true }), { minLength: 4, maxLength: 4 }),
      pool: ints,
    });
    fc.assert(
      fc.property(arb, ({ shape, keys, pool }) => {
        const x = fill(shape, pool);
        same(reshape(reshape(x, [-1]), shape), x);
        const perm = shape.map((_, i) => i).sort((i, j) => keys[i] - keys[j] || i - j);
        const inv = perm.map((_, i) => perm.indexOf(i));
        same(transpose(transpose(x, perm), inv), x);
        assertEquals(transpose(x, perm).shape, perm.map((i) => shape[i]));
      }),
      params(),
    );
  });

  await t.step("sum over some axes, then the rest, equals the total", () => {
    const arb = fc.record({
      shape: fc.array(dim, { minLength: 1, maxLength: 4 }),
      pick: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      pool: ints,
    });
    fc.assert(
      fc.property(arb, ({ shape, pick, pool }) => {
        const x = fill(shape, pool);
        const axes = shape.flatMap((_, i) => (pick[i] ? [i] : []));
        assertStrictEquals(sum(sum(x, axes)).item(), sum(x).item());
        assertStrictEquals(sum(x, axes, { keepdims: true }).rank, shape.length);
      }),
      params(),
    );
  });
});

Deno.test("AD vs finite differences (fast-check)", async (t) => {
  const layer = fc.record({ m: dim, n: dim, pw: reals, px: reals, pc: reals });

  await t.step("grad of c · tanh(W x) matches central differences", () => {
    fc.assert(
      fc.property(layer, ({ m, n, pw, px, pc }) => {
        const W = fill([m, n], pw), x = fill([n], px), c = fill([m], pc);
        const f = (W: Tensor) => sum(mul(c, tanh(matmul(W, x))));
        assertAllClose(grad(f, W), numericalGrad(f, W), { rtol: 1e-6, atol: 1e-8 });
      }),
      params(),
    );
  });

  await t.step("grad of elementwise chains on any shape matches central differences", () => {
    const ops = [exp, tanh, sigmoid, square, (x: Tensor) => mul(x, x)];
    const arb = fc.record({
      shape: fc.array(dim, { maxLength: 3 }),
      pool: reals,
      chain: fc.array(fc.nat({ max: ops.length - 1 }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, ({ shape, pool, chain }) => {
        // Scale down so exp(exp(…)) stays in a range where differences are accurate.
        const x = mul(0.5, fill(shape, pool));
        const f = (x: Tensor) => sum(chain.reduce((y, k) => ops[k](y), x));
        assertAllClose(grad(f, x), numericalGrad(f, x), { rtol: 1e-5, atol: 1e-7 });
      }),
      params(),
    );
  });

  await t.step("jacfwd == jacrev ≈ numericalJacobian for a layer tanh(W x + b)", () => {
    const arb = fc.record({ m: dim, n: dim, pw: reals, px: reals, pb: reals });
    fc.assert(
      fc.property(arb, ({ m, n, pw, px, pb }) => {
        const W = fill([m, n], pw), x = fill([n], px), b = fill([m], pb);
        const f = (W: Tensor) => tanh(add(matmul(W, x), b));
        const fwd = jacfwd(f, W), rev = jacrev(f, W);
        assertEquals(fwd.shape, [m, m, n]);
        assertAllClose(fwd, rev, { rtol: 1e-12, atol: 1e-14 });
        assertAllClose(rev, numericalJacobian(f, W), { rtol: 1e-6, atol: 1e-8 });
      }),
      params(),
    );
  });

  await t.step("softmax cross-entropy: ∂L/∂W = (softmax(W x) − onehot) xᵀ", () => {
    const arb = fc.record({
      k: fc.integer({ min: 2, max: 5 }),
      n: dim,
      pw: reals,
      px: reals,
      c: fc.nat(),
    });
    fc.assert(
      fc.property(arb, ({ k, n, pw, px, c }) => {
        const W = fill([k, n], pw), x = fill([n], px), label = c % k;
        const onehot = fill([k], Array.from({ length: k }, (_, i) => (i === label ? 1 : 0)));
        const g = grad((W: Tensor) => crossEntropy(reshape(matmul(W, x), [1, k]), [label]), W);
        assertAllClose(g, outer(sub(softmax(matmul(W, x)), onehot), x), {
          rtol: 1e-12,
          atol: 1e-14,
        });
      }),
      params(),
    );
  });

  await t.step("forward and reverse mode agree: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩", () => {
    const arb = fc.record({ m: dim, n: dim, pw: reals, px: reals, pu: reals, pv: reals });
    fc.assert(
      fc.property(arb, ({ m, n, pw, px, pu, pv }) => {
        const W = fill([m, n], pw), x = fill([n], px);
        const u = fill([m], pu), v = fill([n], pv);
        const f = (x: Tensor) => sigmoid(sub(matmul(W, tanh(x)), x.size > 1 ? 0 : 1));
        const [, Jv] = jvp(f, x, v);
        const [, pullback] = vjp(f, x);
        const JTu = pullback(u);
        const lhs = sum(mul(u, Jv)).item(), rhs = sum(mul(JTu, v)).item();
        assert(Math.abs(lhs - rhs) <= 1e-12 * (1 + Math.abs(lhs)), `${lhs} vs ${rhs}`);
      }),
      params(),
    );
  });
});
