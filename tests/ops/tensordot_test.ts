import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { arange, assertGrad, randn, reshape, ShapeError, tensor, tensordot, zeros } from "matcalc";

const A = tensor([[1, 2], [3, 4]]);
const B = tensor([[5, 6], [7, 8]]);

Deno.test("tensordot()", async (t) => {
  await t.step("axes = N", () => {
    assertEquals(tensordot(A, B).item(), 70);
    assertEquals(tensordot(A, B, 1).toArray(), [[19, 22], [43, 50]]);
    assertEquals(tensordot(tensor([1, 2]), tensor([3, 4, 5]), 0).toArray(), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    assertEquals(tensordot(A, B, 0).shape, [2, 2, 2, 2]);
    assertEquals(tensordot(2, 3, 0).item(), 6);
  });
  await t.step("explicit axis pairs, negative axes, single integers", () => {
    assertEquals(tensordot(A, B, [[0], [0]]).toArray(), [[26, 30], [38, 44]]);
    assertEquals(tensordot(A, B, [0, 0]).toArray(), [[26, 30], [38, 44]]);
    assertEquals(tensordot(A, B, [[-1], [-1]]).toArray(), [[17, 23], [39, 53]]);
    assertStrictEquals(tensordot(A, B, [[0, 1], [1, 0]]).item(), 1 * 5 + 2 * 7 + 3 * 6 + 4 * 8);
    const T = reshape(arange(24), [2, 3, 4]);
    const U = reshape(arange(6), [3, 2]);
    const got = tensordot(T, U, [[1, 0], [0, 1]]);
    const want = [0, 1, 2, 3].map((k) => {
      let s = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) s += T.at(i, j, k) * U.at(j, i);
      return s;
    });
    assertEquals(got.toArray(), want);
  });
  await t.step("empty contracted axis gives zeros; empty free axis gives empty", () => {
    assertEquals(tensordot(zeros([2, 0]), zeros([0, 3]), 1).toArray(), [[0, 0, 0], [0, 0, 0]]);
    assertEquals(tensordot(zeros([0, 3]), zeros([3, 2]), 1).shape, [0, 2]);
  });
  await t.step("does not modify its inputs", () => {
    const a = tensor([[1, 2], [3, 4]]);
    tensordot(a, a, [[0], [1]]);
    assertEquals(a.toArray(), [[1, 2], [3, 4]]);
  });
  await t.step("derivatives through transpose, reshape and matmul", () => {
    assertGrad((a, b) => tensordot(a, b, [[0, 2], [1, 0]]), [
      randn([2, 3, 4], { seed: 1 }),
      randn([4, 2, 3], { seed: 2 }),
    ]);
  });
  await t.step("errors", () => {
    const cases: [() => unknown, string][] = [
      [
        () => tensordot(zeros([2, 3]), zeros([4, 5]), 1),
        "tensordot: cannot contract [2, 3] with [4, 5] over axes [1] and [0]: axis 1 of a has size 3 but axis 0 of b has size 4; paired axes must have equal sizes",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), 2),
        "tensordot: cannot contract [2, 3] with [3] over 2 axes: a has rank 2 and b has rank 1; use axes ≤ 1",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), -1),
        "tensordot: cannot contract [2, 3] with [3]: axes must be a non-negative integer or a pair of axis lists, got -1",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), 1.5),
        "tensordot: cannot contract [2, 3] with [3]: axes must be a non-negative integer or a pair of axis lists, got 1.5",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), NaN),
        "tensordot: cannot contract [2, 3] with [3]: axes must be a non-negative integer or a pair of axis lists, got NaN",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), [[0, 1], [0]]),
        "tensordot: cannot contract [2, 3] with [3]: axes [0, 1] and [0] have different lengths; give one axis of b for each axis of a",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), [[2], [0]]),
        "tensordot: cannot contract [2, 3] with [3]: axis 2 is out of bounds for a (rank 2); use an integer in [-2, 1]",
      ],
      [
        () => tensordot(zeros([2, 2]), zeros([2, 2]), [[0, 0], [0, 1]]),
        "tensordot: cannot contract [2, 2] with [2, 2]: axis 0 of a is repeated in [0, 0]",
      ],
      [
        () => tensordot(zeros([2, 2]), zeros([2, 2]), "x" as never),
        'tensordot: cannot contract [2, 2] with [2, 2]: axes must be a non-negative integer or a pair [axesOfA, axesOfB], got "x"',
      ],
    ];
    for (const [f, message] of cases) assertEquals(assertThrows(f, ShapeError).message, message);
  });
});
