// The native LAPACK kernels on their own: every factorization rebuilds its matrix, on random
// shapes including 1×1, tall and wide, and value-dependent failures come back in the result.
import { transposed, uniformStream } from "./helpers.ts";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { loadNative } from "../../lib/backend/native/library.ts";
import { lapackKernels } from "../../lib/backend/native/lapack.ts";
import { matmulReference } from "../../lib/backend/matmul_reference.ts";

const loaded = loadNative();
const ignore = !loaded.ok;
const K = loaded.ok ? lapackKernels(loaded.lib.lapack) : undefined!;

const rand = uniformStream(12345), t = transposed;
const mm = matmulReference;
function close(got: Float64Array, want: Float64Array, tol = 1e-10, what = "") {
  assertEquals(got.length, want.length, what);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let i = 0; i < got.length; i++) {
    assert(Math.abs(got[i] - want[i]) <= tol * scale, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}
function eye(n: number): Float64Array {
  const o = new Float64Array(n * n);
  for (let i = 0; i < n; i++) o[i * n + i] = 1;
  return o;
}
/** A symmetric positive definite n×n matrix: B Bᵀ + n I. */
function spd(n: number): Float64Array {
  const b = rand(n * n), a = mm(b, t(b, n, n), n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}
const SQUARE = [1, 2, 3, 7, 40];
const RECT: [number, number][] = [[1, 1], [1, 5], [5, 1], [6, 3], [3, 6], [30, 17], [17, 30]];

Deno.test({ name: "lapack lu: solve, transposed solve, inverse, det, rcond", ignore }, () => {
  for (const n of SQUARE) {
    const a = rand(n * n), input = a.slice(), f = K.lu(a, n);
    assertEquals(f.zeroPivot, -1);
    for (const k of [1, 3]) {
      const b = rand(n * k);
      close(mm(a, f.solve(b, k), n, n, k), b, 1e-9, `A X = B n=${n} k=${k}`);
      close(mm(t(a, n, n), f.solve(b, k, true), n, n, k), b, 1e-9, `Aᵀ X = B n=${n}`);
    }
    close(mm(a, f.inverse(), n, n, n), eye(n), 1e-9, `A A⁻¹ n=${n}`);
    assertEquals(a, input, "the input is not modified");
    const rc = f.rcond();
    assert(rc > 0 && rc <= 1, `rcond ${rc}`);
  }
  // det of a known matrix: [[0, 2], [3, 4]] (a row swap) has det -6.
  const f = K.lu(Float64Array.of(0, 2, 3, 4), 2);
  assertEquals(f.sign, -1);
  assertAlmostEquals(f.logAbsDet, Math.log(6), 1e-14);
  // rcond in the 1-norm: diag(1, 100) has κ₁ = 100.
  assertAlmostEquals(K.lu(Float64Array.of(1, 0, 0, 100), 2).rcond(), 0.01, 1e-15);
  // 1-norm, not ∞-norm: [[1, 0, 0], [1, 1, 0], [1, 0, 1]] has κ₁ = 9 and κ∞ = 4.
  assertAlmostEquals(K.lu(Float64Array.of(1, 0, 0, 1, 1, 0, 1, 0, 1), 3).rcond(), 1 / 9, 1e-15);
  assertAlmostEquals(K.lu(Float64Array.of(1, 2, 3, 4), 2).rcond(), 1 / 21, 1e-15);
  assertAlmostEquals(K.lu(Float64Array.of(1, 10, 0, 1), 2).rcond(), 1 / 121, 1e-15);
  assertAlmostEquals(K.lu(Float64Array.of(1, 0, 10, 1), 2).rcond(), 1 / 121, 1e-15);
});

Deno.test({ name: "lapack lu: a singular matrix reports its zero pivot", ignore }, () => {
  const f = K.lu(Float64Array.of(1, 2, 2, 4), 2);
  assertEquals(f.zeroPivot, 1);
  assertEquals(f.sign, 0);
  assertEquals(f.logAbsDet, -Infinity);
  assertEquals(f.rcond(), 0);
  assertEquals(K.lu(new Float64Array(9), 3).zeroPivot, 0);
});

Deno.test({ name: "lapack cholesky: L Lᵀ = A, reading the lower triangle", ignore }, () => {
  for (const n of SQUARE) {
    const a = spd(n), partial = a.slice();
    // Garbage above the diagonal must not be read.
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) partial[i * n + j] = 1e6;
    const { l, failedAt } = K.cholesky(partial, n);
    assertEquals(failedAt, -1);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assertEquals(l[i * n + j], 0);
    close(mm(l, t(l, n, n), n, n, n), a, 1e-12, `L Lᵀ n=${n}`);
  }
  assertEquals(K.cholesky(Float64Array.of(1, 2, 2, 1), 2).failedAt, 1);
  assertEquals(K.cholesky(Float64Array.of(-1), 1).failedAt, 0);
});

Deno.test({ name: "lapack solveTriangular: all four cases, and a zero diagonal", ignore }, () => {
  for (const n of SQUARE) {
    for (const lower of [true, false]) {
      const a = rand(n * n);
      for (let i = 0; i < n; i++) {
        a[i * n + i] = 2 + i;
        // Garbage in the other triangle must not be read.
        for (let j = 0; j < n; j++) if (lower ? j > i : j < i) a[i * n + j] = 1e6;
      }
      const tri = a.map((v, idx) => {
        const i = Math.floor(idx / n), j = idx % n;
        return (lower ? j <= i : j >= i) ? v : 0;
      });
      for (const trans of [false, true]) {
        for (const k of [1, 4]) {
          const b = rand(n * k), { x, zeroPivot } = K.solveTriangular(a, n, b, k, lower, trans);
          assertEquals(zeroPivot, -1);
          close(mm(trans ? t(tri, n, n) : tri, x, n, n, k), b, 1e-10, `tri ${lower} ${trans}`);
        }
      }
    }
  }
  const r = K.solveTriangular(
    Float64Array.of(1, 0, 5, 0),
    2,
    Float64Array.of(1, 1),
    1,
    true,
    false,
  );
  assertEquals(r.zeroPivot, 1);
});

Deno.test({ name: "lapack eigh: V diag(w) Vᵀ = A, VᵀV = I, w ascending", ignore }, () => {
  for (const n of SQUARE) {
    const b = rand(n * n), a = b.map((v, idx) => v + b[(idx % n) * n + Math.floor(idx / n)]);
    const { w, v } = K.eigh(a, n);
    for (let i = 1; i < n; i++) assert(w[i - 1] <= w[i]);
    const vw = v.map((x, idx) => x * w[idx % n]);
    close(mm(vw, t(v, n, n), n, n, n), a, 1e-10, `V diag(w) Vᵀ n=${n}`);
    close(mm(t(v, n, n), v, n, n, n), eye(n), 1e-10, `VᵀV n=${n}`);
  }
  // A known one: [[2, 1], [1, 2]] has eigenvalues 1 and 3.
  const { w } = K.eigh(Float64Array.of(2, 1, 1, 2), 2);
  assertAlmostEquals(w[0], 1, 1e-14);
  assertAlmostEquals(w[1], 3, 1e-14);
});

Deno.test({ name: "lapack svd: U diag(s) Vᵀ = A, orthonormal factors", ignore }, () => {
  for (const [m, n] of RECT) {
    const a = rand(m * n), r = Math.min(m, n), { u, s, vt } = K.svd(a, m, n);
    assertEquals([u.length, s.length, vt.length], [m * r, r, r * n]);
    for (let i = 1; i < r; i++) assert(s[i - 1] >= s[i] && s[i] >= 0);
    const us = u.map((x, idx) => x * s[idx % r]);
    close(mm(us, vt, m, r, n), a, 1e-10, `U S Vᵀ ${m}×${n}`);
    close(mm(t(u, m, r), u, r, m, r), eye(r), 1e-10, `UᵀU ${m}×${n}`);
    close(mm(vt, t(vt, r, n), r, n, r), eye(r), 1e-10, `VᵀV ${m}×${n}`);
  }
  // [[3, 0], [0, -4]]: singular values 4 and 3.
  const { s } = K.svd(Float64Array.of(3, 0, 0, -4), 2, 2);
  assertAlmostEquals(s[0], 4, 1e-14);
  assertAlmostEquals(s[1], 3, 1e-14);
});

Deno.test({ name: "lapack qr: Q R = A, QᵀQ = I, R upper triangular", ignore }, () => {
  for (const [m, n] of RECT) {
    const a = rand(m * n), r = Math.min(m, n), { q, r: R } = K.qr(a, m, n);
    assertEquals([q.length, R.length], [m * r, r * n]);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < Math.min(i, n); j++) assertEquals(R[i * n + j], 0);
    }
    close(mm(q, R, m, r, n), a, 1e-10, `Q R ${m}×${n}`);
    close(mm(t(q, m, r), q, r, m, r), eye(r), 1e-10, `QᵀQ ${m}×${n}`);
  }
});

Deno.test({ name: "lapack: empty matrices", ignore }, () => {
  assertEquals(K.lu(new Float64Array(0), 0).zeroPivot, -1);
  assertEquals(K.cholesky(new Float64Array(0), 0).l.length, 0);
  assertEquals(K.eigh(new Float64Array(0), 0).w.length, 0);
  assertEquals(K.svd(new Float64Array(0), 0, 3).vt.length, 0);
  assertEquals(K.qr(new Float64Array(0), 3, 0).q.length, 0);
});
