/**
 * The Kronecker/vec identities the notebooks rely on, and einsum/broadcasting agreement, checked
 * on many random shapes with fast-check (fixed seed, so failures reproduce and shrink to a
 * minimal shape).
 */
import fc from "fast-check";
import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import {
  add,
  assertAllClose,
  commutation,
  dot,
  einsum,
  eye,
  kron,
  matmul,
  outer,
  randn,
  reshape,
  type Tensor,
  tensordot,
  transpose,
  unvec,
  vec,
} from "matcalc";

const RUNS = { seed: 42, numRuns: 300 };
const dim = fc.integer({ min: 1, max: 4 });
const seed = fc.integer({ min: 0, max: 1_000_000 });
const close = (a: Tensor, b: Tensor, msg: string) =>
  assertAllClose(a, b, { rtol: 1e-10, atol: 1e-10, msg });

Deno.test("kron() identities", async (t) => {
  await t.step("mixed product (A⊗B)(C⊗D) = AC ⊗ BD", () => {
    fc.assert(
      fc.property(dim, dim, dim, dim, dim, dim, seed, (m, n, p, q, r, s, k) => {
        const A = randn([m, n], { seed: k }), B = randn([p, q], { seed: k + 1 });
        const C = randn([n, r], { seed: k + 2 }), D = randn([q, s], { seed: k + 3 });
        close(matmul(kron(A, B), kron(C, D)), kron(matmul(A, C), matmul(B, D)), "mixed product");
      }),
      RUNS,
    );
  });
  await t.step("(A⊗B)ᵀ = Aᵀ⊗Bᵀ", () => {
    fc.assert(
      fc.property(dim, dim, dim, dim, seed, (m, n, p, q, k) => {
        const A = randn([m, n], { seed: k }), B = randn([p, q], { seed: k + 1 });
        assertEquals(transpose(kron(A, B)).toArray(), kron(transpose(A), transpose(B)).toArray());
      }),
      RUNS,
    );
  });
  await t.step("K_{p,m} (A⊗B) K_{n,q} = B⊗A", () => {
    fc.assert(
      fc.property(dim, dim, dim, dim, seed, (m, n, p, q, k) => {
        const A = randn([m, n], { seed: k }), B = randn([p, q], { seed: k + 1 });
        const lhs = matmul(matmul(commutation(p, m), kron(A, B)), commutation(n, q));
        close(lhs, kron(B, A), "commutation swaps the factors");
      }),
      RUNS,
    );
  });
});

Deno.test("vec() identities", async (t) => {
  await t.step("vec(AXB) = (Bᵀ⊗A) vec(X), column stacking", () => {
    fc.assert(
      fc.property(dim, dim, dim, dim, seed, (m, n, p, q, k) => {
        const A = randn([m, n], { seed: k }), X = randn([n, p], { seed: k + 1 });
        const B = randn([p, q], { seed: k + 2 });
        close(vec(matmul(matmul(A, X), B)), matmul(kron(transpose(B), A), vec(X)), "vec F");
      }),
      RUNS,
    );
  });
  await t.step("vecC(AXB) = (A⊗Bᵀ) vecC(X), row stacking", () => {
    fc.assert(
      fc.property(dim, dim, dim, dim, seed, (m, n, p, q, k) => {
        const A = randn([m, n], { seed: k }), X = randn([n, p], { seed: k + 1 });
        const B = randn([p, q], { seed: k + 2 });
        const C = { order: "C" } as const;
        close(
          vec(matmul(matmul(A, X), B), C),
          matmul(kron(A, transpose(B)), vec(X, C)),
          "vec C",
        );
      }),
      RUNS,
    );
  });
  await t.step("K vec(A) = vec(Aᵀ)", () => {
    fc.assert(
      fc.property(dim, dim, seed, (m, n, k) => {
        const A = randn([m, n], { seed: k });
        assertEquals(matmul(commutation(m, n), vec(A)).toArray(), vec(transpose(A)).toArray());
      }),
      RUNS,
    );
  });
  await t.step("vec(dW x) = (xᵀ⊗I) vec(dW)", () => {
    fc.assert(
      fc.property(dim, dim, seed, (m, n, k) => {
        const dW = randn([m, n], { seed: k }), x = randn([n], { seed: k + 1 });
        const J = kron(reshape(x, [1, n]), eye(m));
        assertEquals(J.shape, [m, m * n]);
        close(vec(matmul(dW, x)), matmul(J, vec(dW)), "vec(dW x)");
      }),
      RUNS,
    );
  });
  await t.step("unvec inverts vec in both orders, for ranks 0–3", () => {
    fc.assert(
      fc.property(fc.array(dim, { maxLength: 3 }), seed, (shape, k) => {
        const X = randn(shape, { seed: k });
        for (const order of ["F", "C"] as const) {
          assertEquals(unvec(vec(X, { order }), shape, { order }).toArray(), X.toArray());
        }
      }),
      RUNS,
    );
  });
});

Deno.test("einsum() agrees with matmul, tensordot, outer, dot and transpose", async (t) => {
  await t.step("ij,jk->ik is matmul; ij,j->i is matrix × vector", () => {
    fc.assert(
      fc.property(dim, dim, dim, seed, (m, n, p, k) => {
        const A = randn([m, n], { seed: k }), B = randn([n, p], { seed: k + 1 });
        const x = randn([n], { seed: k + 2 });
        close(einsum("ij,jk->ik", A, B), matmul(A, B), "matmul");
        close(einsum("ij,jk", A, B), matmul(A, B), "implicit matmul");
        close(einsum("ij,j->i", A, x), matmul(A, x), "matvec");
        close(einsum("ij,jk->ki", A, B), transpose(matmul(A, B)), "(AB)ᵀ");
      }),
      RUNS,
    );
  });
  await t.step("i,j->ij is outer; i,i-> is dot", () => {
    fc.assert(
      fc.property(dim, dim, seed, (m, n, k) => {
        const a = randn([m], { seed: k }), b = randn([n], { seed: k + 1 });
        close(einsum("i,j->ij", a, b), outer(a, b), "outer");
        close(einsum("i,i->", a, a), dot(a, a), "dot");
      }),
      RUNS,
    );
  });
  await t.step(
    "ijk,jkl->il is tensordot(·, ·, 2); ijk,lj->ikl is tensordot with axis pairs",
    () => {
      fc.assert(
        fc.property(dim, dim, dim, dim, seed, (i, j, kk, l, k) => {
          const T = randn([i, j, kk], { seed: k }), U = randn([j, kk, l], { seed: k + 1 });
          close(einsum("ijk,jkl->il", T, U), tensordot(T, U, 2), "tensordot 2");
          const V = randn([l, j], { seed: k + 2 });
          close(einsum("ijk,lj->ikl", T, V), tensordot(T, V, [[1], [1]]), "tensordot pairs");
        }),
        RUNS,
      );
    },
  );
  await t.step("a random permutation spec is transpose", () => {
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.shuffledSubarray([...shape.keys()], { minLength: shape.length }),
          )
        ),
        seed,
        ([shape, perm], k) => {
          const X = randn(shape, { seed: k });
          const letters = "abcd".slice(0, shape.length);
          const out = perm.map((p) => letters[p]).join("");
          assertEquals(einsum(`${letters}->${out}`, X).toArray(), transpose(X, perm).toArray());
        },
      ),
      RUNS,
    );
  });
});

/** Broadcast-compatible shape pairs: a common target, each side dropping leading axes or using 1s. */
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 })
  .chain((out) => {
    const side = fc.tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    ).map(([drop, ones]) => out.slice(drop).map((d, k) => (ones[k + drop] ? 1 : d)));
    return fc.tuple(fc.constant(out), side, side);
  });

Deno.test("add() broadcasting matches a naive loop", () => {
  fc.assert(
    fc.property(broadcastPair, seed, ([out, sa, sb], k) => {
      const a = randn(sa, { seed: k }), b = randn(sb, { seed: k + 1 });
      const c = add(a, b);
      const rank = Math.max(sa.length, sb.length);
      const shape = [...Array(rank).keys()].map((i) =>
        Math.max(sa[i - (rank - sa.length)] ?? 1, sb[i - (rank - sb.length)] ?? 1)
      );
      assert(out.length >= rank);
      assertEquals(c.shape, shape);
      const size = shape.reduce((p, d) => p * d, 1);
      const at = (t: Tensor, idx: number[]) => {
        const off = idx.length - t.rank;
        return t.at(...t.shape.map((d, j) => (d === 1 ? 0 : idx[j + off])));
      };
      for (let f = 0; f < size; f++) {
        const idx: number[] = [];
        let r = f;
        for (let j = shape.length - 1; j >= 0; j--) {
          idx[j] = r % shape[j];
          r = Math.floor(r / shape[j]);
        }
        assertStrictEquals(c.at(...idx), at(a, idx) + at(b, idx));
      }
    }),
    RUNS,
  );
});
