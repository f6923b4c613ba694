/**
 * Kernel-level tests: reconstruction identities on random shapes (1×1, tall, wide,
 * ill-conditioned, rank-deficient) for every available implementation, and the implementations
 * against each other when more than one is available.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { allKernels, useKernels } from "../../lib/linalg/kernels.ts";
import {
  add,
  assertAllClose,
  cholesky,
  det,
  eigh,
  eye as eyeT,
  inv,
  matmul,
  qr,
  randn,
  solve,
  svd,
  transpose,
} from "../../lib/mod.ts";
import type { LinalgKernels } from "../../lib/backend/linalg_kernels.ts";

/** A small deterministic generator (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
function randMat(m: number, n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: m * n }, r);
}
function mm(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const f = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += f * b[p * n + j];
    }
  }
  return c;
}
function tr(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}
function maxDiff(a: Float64Array, b: Float64Array): number {
  assertEquals(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
function eye(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}
function sym(n: number, seed: number): Float64Array {
  const a = randMat(n, n, seed);
  return Float64Array.from(a, (_, k) => a[k] + a[(k % n) * n + Math.floor(k / n)]);
}
/** A matrix with the given singular values: Q₁ diag(s) Q₂ from two QRs. */
function withSingularValues(k: LinalgKernels, s: number[], seed: number): Float64Array {
  const n = s.length;
  const q1 = k.qr(randMat(n, n, seed), n, n).q, q2 = k.qr(randMat(n, n, seed + 1), n, n).q;
  const d = Float64Array.from(
    { length: n * n },
    (_, i) => (i % (n + 1) === 0 ? s[i / (n + 1)] : 0),
  );
  return mm(mm(q1, d, n, n, n), q2, n, n, n);
}

for (const k of allKernels()) {
  Deno.test(`${k.name}: lu solves, inverts and gives det`, () => {
    for (const n of [1, 2, 5, 17]) {
      const a = randMat(n, n, n);
      const lu = k.lu(a, n);
      assertEquals(lu.zeroPivot, -1);
      assert(maxDiff(mm(a, lu.inverse(), n, n, n), eye(n)) < 1e-10);
      const b = randMat(n, 3, 100 + n);
      assert(maxDiff(mm(a, lu.solve(b, 3), n, n, 3), b) < 1e-10);
      assert(maxDiff(mm(tr(a, n, n), lu.solve(b, 3, true), n, n, 3), b) < 1e-10);
    }
    const lu = k.lu(Float64Array.of(1, 2, 3, 4), 2);
    assertEquals(lu.sign, -1);
    assertAlmostEquals(lu.logAbsDet, Math.log(2), 1e-14);
    // ‖A‖₁ = 6, A⁻¹ = [[-2, 1], [1.5, -0.5]], ‖A⁻¹‖₁ = 3.5: rcond = 1/21 (the estimate is exact here).
    assertAlmostEquals(lu.rcond(), 1 / 21, 1e-14);
    const s = k.lu(Float64Array.of(1, 2, 2, 4), 2);
    assertEquals([s.zeroPivot, s.sign, s.logAbsDet, s.rcond()], [1, 0, -Infinity, 0]);
  });

  Deno.test(`${k.name}: lu's condition estimate tracks the true condition number`, () => {
    for (const c of [1e2, 1e8, 1e15]) {
      const n = 8;
      const s = Array.from({ length: n }, (_, i) => c ** (-i / (n - 1)));
      const a = withSingularValues(k, s, 7);
      const rc = k.lu(a, n).rcond();
      // The 1-norm condition number is within a factor n of the 2-norm one (= c).
      assert(rc > 1 / (c * n * 10) && rc < (10 * n) / c, `rcond ${rc} for cond₂ ${c}`);
    }
  });

  Deno.test(`${k.name}: cholesky reconstructs and names the failing minor`, () => {
    for (const n of [1, 3, 12]) {
      const b = randMat(n, n, n);
      const a = mm(b, tr(b, n, n), n, n, n);
      for (let i = 0; i < n; i++) a[i * n + i] += n;
      const { l, failedAt } = k.cholesky(a, n);
      assertEquals(failedAt, -1);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assertEquals(l[i * n + j], 0);
      assert(maxDiff(mm(l, tr(l, n, n), n, n, n), a) < 1e-10);
    }
    assertEquals(k.cholesky(Float64Array.of(1, 2, 0, 2, 1, 0, 0, 0, 1), 3).failedAt, 1);
    assertEquals(k.cholesky(Float64Array.of(-1), 1).failedAt, 0);
  });

  Deno.test(`${k.name}: solveTriangular in all four orientations`, () => {
    const n = 6, a = randMat(n, n, 3);
    for (let i = 0; i < n; i++) a[i * n + i] += 4;
    const b = randMat(n, 2, 4);
    for (const lower of [true, false]) {
      const t = Float64Array.from(a, (v, q) => {
        const i = Math.floor(q / n), j = q % n;
        return (lower ? j <= i : j >= i) ? v : 0;
      });
      for (const trans of [false, true]) {
        const { x, zeroPivot } = k.solveTriangular(a, n, b, 2, lower, trans);
        assertEquals(zeroPivot, -1);
        assert(maxDiff(mm(trans ? tr(t, n, n) : t, x, n, n, 2), b) < 1e-12);
      }
    }
    assertEquals(k.solveTriangular(Float64Array.of(1, 0, 5, 0), 2, b, 1, true, false).zeroPivot, 1);
  });

  Deno.test(`${k.name}: eigh reconstructs, ascending, orthonormal`, () => {
    for (const n of [1, 2, 7, 30]) {
      const a = sym(n, n);
      const { w, v } = k.eigh(a, n);
      for (let i = 1; i < n; i++) assert(w[i - 1] <= w[i]);
      assert(maxDiff(mm(tr(v, n, n), v, n, n, n), eye(n)) < 1e-12);
      const d = Float64Array.from(
        { length: n * n },
        (_, q) => (q % (n + 1) === 0 ? w[q / (n + 1)] : 0),
      );
      assert(maxDiff(mm(mm(v, d, n, n, n), tr(v, n, n), n, n, n), a) < 1e-11);
    }
    // Reads the lower triangle only.
    const { w } = k.eigh(Float64Array.of(2, 99, 1, 2), 2);
    assert(maxDiff(w, Float64Array.of(1, 3)) < 1e-14);
    // Repeated eigenvalues: the identity, zero, a diagonal, and Q diag(1, 1, 2, 2) Qᵀ.
    assert(maxDiff(k.eigh(eye(4), 4).w, Float64Array.of(1, 1, 1, 1)) < 1e-15);
    assert(maxDiff(k.eigh(new Float64Array(9), 3).w, new Float64Array(3)) < 1e-300);
    const diag = Float64Array.of(3, 0, 0, 0, 1, 0, 0, 0, 2);
    assert(maxDiff(k.eigh(diag, 3).w, Float64Array.of(1, 2, 3)) < 1e-15);
    const q = k.qr(randMat(4, 4, 9), 4, 4).q;
    const dq = Float64Array.from(q, (x, i) => x * [1, 1, 2, 2][i % 4]);
    const rep = mm(dq, tr(q, 4, 4), 4, 4, 4);
    const e = k.eigh(rep, 4);
    assert(maxDiff(e.w, Float64Array.of(1, 1, 2, 2)) < 1e-14);
    const d4 = Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? e.w[i / 5] : 0));
    assert(maxDiff(mm(mm(e.v, d4, 4, 4, 4), tr(e.v, 4, 4), 4, 4, 4), rep) < 1e-14);
  });

  Deno.test(`${k.name}: svd reconstructs on square, tall, wide and rank-deficient`, () => {
    const shapes: [number, number][] = [[1, 1], [4, 4], [7, 3], [3, 7], [20, 20], [1, 5], [5, 1]];
    for (const [m, n] of shapes) {
      const a = randMat(m, n, m * 31 + n);
      check(a, m, n);
    }
    // rank 1 and zero matrices: U still has orthonormal columns.
    check(
      Float64Array.from({ length: 12 }, (_, q) => (Math.floor(q / 3) + 1) * ((q % 3) + 1)),
      4,
      3,
    );
    check(new Float64Array(6), 2, 3);
    function check(a: Float64Array, m: number, n: number) {
      const r = Math.min(m, n);
      const { u, s, vt } = k.svd(a, m, n);
      for (let i = 1; i < r; i++) assert(s[i - 1] >= s[i] && s[i] >= 0);
      assert(maxDiff(mm(tr(u, m, r), u, r, m, r), eye(r)) < 1e-12, `UᵀU ${m}×${n}`);
      assert(maxDiff(mm(vt, tr(vt, r, n), r, n, r), eye(r)) < 1e-12, `VᵀV ${m}×${n}`);
      const us = Float64Array.from(u, (x, q) => x * s[q % r]);
      assert(maxDiff(mm(us, vt, m, r, n), a) < 1e-12, `USVᵀ ${m}×${n}`);
    }
    // Closed form: [[3, 0], [4, 5]] has singular values √45 and √5.
    const { s } = k.svd(Float64Array.of(3, 0, 4, 5), 2, 2);
    assert(maxDiff(s, Float64Array.of(Math.sqrt(45), Math.sqrt(5))) < 1e-14);
  });

  Deno.test(`${k.name}: qr reconstructs with LAPACK's signs`, () => {
    for (const [m, n] of [[1, 1], [5, 5], [8, 3], [3, 8]] as [number, number][]) {
      const a = randMat(m, n, m + 10 * n);
      const r = Math.min(m, n);
      const { q, r: R } = k.qr(a, m, n);
      assert(maxDiff(mm(tr(q, m, r), q, r, m, r), eye(r)) < 1e-13);
      for (let i = 0; i < r; i++) for (let j = 0; j < i; j++) assertEquals(R[i * n + j], 0);
      assert(maxDiff(mm(q, R, m, r, n), a) < 1e-13);
    }
    // Householder's sign: R[0, 0] = −sign(a₀₀)‖a₀‖.
    const { r } = k.qr(Float64Array.of(3, 1, 4, 1), 2, 2);
    assertAlmostEquals(r[0], -5, 1e-14);
  });
}

if (allKernels().length > 1) {
  Deno.test("kernels agree with each other on random inputs", () => {
    const [a0, ...rest] = allKernels();
    const n = 9, a = randMat(n, n, 5), s = sym(n, 6);
    for (const k of rest) {
      const la = a0.lu(a, n), lb = k.lu(a, n);
      assertAlmostEquals(la.logAbsDet, lb.logAbsDet, 1e-11);
      assertEquals(la.sign, lb.sign);
      assert(maxDiff(la.inverse(), lb.inverse()) < 1e-10);
      assert(Math.abs(Math.log(la.rcond() / lb.rcond())) < Math.log(3));
      assert(maxDiff(a0.eigh(s, n).w, k.eigh(s, n).w) < 1e-11);
      assert(maxDiff(a0.svd(a, n, n).s, k.svd(a, n, n).s) < 1e-11);
      const qa = a0.qr(a, n, n).r, qb = k.qr(a, n, n).r;
      assert(maxDiff(qa, qb) < 1e-11);
      const spd = mm(a, tr(a, n, n), n, n, n);
      assert(maxDiff(a0.cholesky(spd, n).l, k.cholesky(spd, n).l) < 1e-10);
    }
  });
}

Deno.test("lu's det is the product of the pivots (exact for small integer matrices)", () => {
  for (const k of allKernels()) {
    assertEquals(k.lu(Float64Array.of(5), 1).det ?? NaN, 5);
    assertEquals(k.lu(Float64Array.of(1, 2, 3, 4), 2).det ?? NaN, -2);
    assertEquals(k.lu(Float64Array.of(0, 1, 0, 0, 0, 1, 1, 0, 0), 3).det ?? NaN, 1);
  }
});

if (allKernels().length > 1) {
  Deno.test("ops give the same results on every kernel (random inputs, fixed signs)", () => {
    const results = allKernels().map((k) => {
      const saved = useKernels(k);
      try {
        const A = randn([7, 7], { seed: 9 }), T = randn([8, 5], { seed: 10 });
        const S = add(A, transpose(A));
        const e = eigh(S), s = svd(T), w = svd(transpose(T)), q = qr(T);
        return [
          det(A),
          inv(A),
          solve(A, randn([7, 2], { seed: 3 })),
          e.eigenvalues,
          e.eigenvectors,
          s.U,
          s.S,
          s.Vh,
          w.U,
          w.Vh,
          q.Q,
          q.R,
          cholesky(add(matmul(A, transpose(A)), eyeT(7))),
        ];
      } finally {
        useKernels(saved);
      }
    });
    for (const other of results.slice(1)) {
      other.forEach((t, i) =>
        assertAllClose(t, results[0][i], { atol: 1e-10, rtol: 1e-9, msg: `result ${i}` })
      );
    }
  });
}
