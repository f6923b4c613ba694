// The outer product that skips zero rows (lib/backend/sparse_outer.ts) gives the dense product's
// exact bits, signed zeros, NaN and Infinity included, on both backends.
import { assert, assertEquals } from "@std/assert";
import { uniformStream } from "./helpers.ts";
import { getBackend, jacobian, matmul, setBackend, type Tensor, tensor } from "../../lib/mod.ts";
import { backend } from "../../lib/backend/backend.ts";
import { sparseOuter } from "../../lib/backend/sparse_outer.ts";
import { loadNative } from "../../lib/backend/native/library.ts";

const BACKENDS = loadNative().ok ? ["native", "wasm"] as const : ["wasm"] as const;
const rand = uniformStream(11);

/** The dense outer product as the kernels compute it: each entry accumulated onto +0. */
function denseOuter(a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) c[i * b.length + j] = 0 + a[i] * b[j];
  }
  return c;
}

function sameBits(got: Float64Array, want: Float64Array, what: string) {
  assertEquals(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    assert(Object.is(got[i], want[i]), `${what}[${i}]: ${got[i]} (want ${want[i]})`);
  }
}

Deno.test("sparseOuter writes the dense product's bits: -0 rows, NaN and Infinity", () => {
  const m = 512, n = 24;
  const a = new Float64Array(m);
  a[3] = 2, a[40] = -0.5, a[41] = -0, a[100] = NaN, a[511] = Infinity;
  const b = rand(n);
  b[0] = -3, b[1] = 0, b[2] = -0;
  sameBits(sparseOuter(a, b, m, n)!, denseOuter(a, b), "sparse");
  // 0 · Infinity is NaN: with an infinite b no row may be skipped.
  b[5] = -Infinity;
  assertEquals(sparseOuter(a, b, m, n), null);
  // Too dense, or too small to pay: the caller multiplies as usual.
  assertEquals(sparseOuter(rand(m), rand(n), m, n), null);
  assertEquals(sparseOuter(new Float64Array(8), rand(8), 8, 8), null);
});

Deno.test("backend gemm with inner dimension 1 agrees with the dense product on both backends", () => {
  const before = getBackend().name;
  try {
    for (const name of BACKENDS) {
      setBackend(name);
      for (const [m, n, nnz] of [[4096, 64, 64], [300, 40, 10], [2000, 3, 600], [64, 64, 1]]) {
        const a = new Float64Array(m), b = rand(n);
        for (let t = 0; t < nnz; t++) a[(t * 7919) % m] = rand(1)[0];
        for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
          const c = backend().gemm(a, b, m, 1, n, ta, tb);
          sameBits(c, denseOuter(a, b), `${name} ${m}×1×${n} ta=${ta} tb=${tb}`);
        }
      }
    }
  } finally {
    setBackend(before);
  }
});

Deno.test("the dense Jacobian of W ↦ W x (one-hot cotangents, sparse outer) is I ⊗ x", () => {
  const before = getBackend().name;
  try {
    for (const name of BACKENDS) {
      setBackend(name);
      const m = 64,
        n = 64,
        x = tensor(Array.from(rand(n))),
        W = tensor(
          Array.from({ length: m }, () => Array.from(rand(n))),
        );
      const J = jacobian((w: Tensor) => matmul(w, x), W);
      assertEquals(J.shape, [m, m, n]);
      const d = J.data, xs = x.data;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          for (let k = 0; k < n; k++) {
            const want = i === j ? xs[k] : 0;
            assert(Object.is(d[(i * m + j) * n + k], want), `${name} J[${i},${j},${k}]`);
          }
        }
      }
    }
  } finally {
    setBackend(before);
  }
});
