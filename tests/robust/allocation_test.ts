/**
 * Issue 16.3: a result too large to allocate is a ValueError naming the function the user
 * called, the result shape and the bytes, never V8's bare RangeError. Every case is past the
 * Float64Array limit, so the check refuses it before anything is allocated.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  add,
  arange,
  broadcastTo,
  commutation,
  diag,
  div,
  einsum,
  eye,
  full,
  kron,
  linspace,
  matmul,
  maximum,
  minibatches,
  minimum,
  mul,
  ones,
  outer,
  rand,
  randn,
  sub,
  take,
  tensordot,
  ValueError,
  where,
  zeros,
} from "matcalc";
import { allocate, checkResultSize, fmtBytes, MAX_ELEMENTS } from "../../lib/alloc.ts";

const N = 100_000; // N² = 1e10 elements, 80 GB
const v = ones([N]), col = ones([N, 1]), row = ones([1, N]);

/** [name, call, the function the message must start with, the result shape it must name]. */
const CASES: [string, () => unknown, string, string][] = [
  ["outer of two vectors", () => outer(v, v), "outer", "[100000, 100000]"],
  ["matmul of a column and a row", () => matmul(col, row), "matmul", "[100000, 100000]"],
  ["tensordot with no contracted axes", () => tensordot(v, v, 0), "tensordot", "[100000, 100000]"],
  [
    "tensordot of matrices over nothing",
    () => tensordot(col, row, 0),
    "tensordot",
    "[100000, 1, 1, 100000]",
  ],
  ["einsum outer product", () => einsum("i,j->ij", v, v), "einsum", "[100000, 100000]"],
  [
    "einsum with a batch letter whose intermediate is too large",
    () => einsum("ab,bc->abc", ones([2000, 2000]), ones([2000, 2000])),
    "einsum",
    "[2000, 2000, 2000]",
  ],
  ["broadcasting add", () => add(col, row), "add", "[100000, 100000]"],
  ["broadcasting sub", () => sub(col, row), "sub", "[100000, 100000]"],
  ["broadcasting mul", () => mul(col, row), "mul", "[100000, 100000]"],
  ["broadcasting div", () => div(col, row), "div", "[100000, 100000]"],
  ["broadcasting where", () => where(col, row, 0), "where", "[100000, 100000]"],
  ["where with a large branch", () => where(1, col, row), "where", "[100000, 100000]"],
  ["broadcasting maximum", () => maximum(col, row), "maximum", "[100000, 100000]"],
  ["broadcasting minimum", () => minimum(col, row), "minimum", "[100000, 100000]"],
  [
    "batched matmul",
    () => matmul(ones([2, N, 1]), ones([2, 1, N])),
    "matmul",
    "[2, 100000, 100000]",
  ],
  ["diag of a long vector", () => diag(v), "diag", "[100000, 100000]"],
  ["take of many rows", () => take(row, new Array(N).fill(0), 0), "take", "[100000, 100000]"],
  ["kron of vectors", () => kron(v, v), "kron", "[10000000000]"],
  ["kron of matrices", () => kron(col, col), "kron", "[10000000000, 1]"],
  ["broadcastTo", () => broadcastTo(v, [N, N]), "broadcastTo", "[100000, 100000]"],
  ["zeros", () => zeros([N, N]), "zeros", "[100000, 100000]"],
  ["ones", () => ones([N, N]), "ones", "[100000, 100000]"],
  ["full", () => full([N, N], 2), "full", "[100000, 100000]"],
  ["eye", () => eye(N), "eye", "[100000, 100000]"],
  ["rand", () => rand([N, N]), "rand", "[100000, 100000]"],
  ["randn", () => randn([N, N]), "randn", "[100000, 100000]"],
  ["arange", () => arange(0, 1e12), "arange", "[1000000000000]"],
  ["linspace", () => linspace(0, 1, 1e12), "linspace", "[1000000000000]"],
  ["commutation", () => commutation(1000, 1000), "commutation", "[1000000, 1000000]"],
];

Deno.test("results too large to allocate are ValueErrors naming the function, shape and bytes", async (t) => {
  for (const [name, call, op, shape] of CASES) {
    await t.step(name, () => {
      const e = assertThrows(call);
      assert(e instanceof ValueError, `${name}: ${(e as Error).name}: ${(e as Error).message}`);
      assert(e.message.startsWith(`${op}: `), e.message);
      assert(e.message.includes(shape), e.message);
      assert(/\d bytes/.test(e.message), e.message);
    });
  }
  await t.step("the message in full", () => {
    assertThrows(
      () => outer(v, v),
      ValueError,
      "outer: the result of shape [100000, 100000] would hold 10000000000 numbers (8e+10 bytes, " +
        "80 GB), more than a Float64Array can hold (1073741823 numbers, 8.59e+9 bytes, 8.59 GB); " +
        "use a smaller shape or a structured form",
    );
  });
});

Deno.test("minibatches refuses more row indices than an array holds", () => {
  assertThrows(
    () => minibatches(2e9, 1e9),
    ValueError,
    "minibatches: 2000000000 rows × 1 epoch would be 2000000000 row indices (1.6e+10 bytes, " +
      "16 GB at least), more than matcalc builds at once (134217725)",
  );
  assertThrows(() => minibatches(1e8, 10, { epochs: 2 }), ValueError, "× 2 epochs");
  assertEquals(minibatches(4, 3, { shuffle: false }), [[0, 1, 2], [3]]);
});

Deno.test("allocate turns an out-of-memory RangeError into a ValueError", async (t) => {
  await t.step("a failing allocation (simulated) names the op, shape and bytes", () => {
    const real = globalThis.Float64Array;
    // Only `new Float64Array(n)` inside allocate sees the stub; restored before anything else.
    globalThis.Float64Array = function () {
      throw new RangeError("Array buffer allocation failed");
    } as unknown as Float64ArrayConstructor;
    let e: unknown;
    try {
      allocate("matmul", [30000, 30000]);
    } catch (err) {
      e = err;
    } finally {
      globalThis.Float64Array = real;
    }
    assert(e instanceof ValueError);
    assertEquals(
      e.message,
      "matmul: cannot allocate the result of shape [30000, 30000]: 900000000 numbers need " +
        "7.2e+9 bytes, 7.2 GB and the memory left is not enough (Array buffer allocation " +
        "failed); use smaller inputs, or process them in batches",
    );
  });
  await t.step("other errors pass through; small results are zero-filled", () => {
    assertEquals(Array.from(allocate("x", [2, 2])), [0, 0, 0, 0]);
    assertEquals(checkResultSize("x", [MAX_ELEMENTS]), MAX_ELEMENTS);
    assertThrows(
      () => checkResultSize("x", [MAX_ELEMENTS + 1]),
      ValueError,
      "x: the result of shape",
    );
  });
  await t.step("fmtBytes", () => {
    assertEquals(fmtBytes(800), "800 bytes");
    assertEquals(fmtBytes(8e10), "8e+10 bytes, 80 GB");
    assertEquals(fmtBytes(1.5e6), "1.5e+6 bytes, 1.5 MB");
  });
});
