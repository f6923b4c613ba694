import fc from "fast-check";
import { assertEquals, assertThrows } from "@std/assert";
import {
  arange,
  assertGrad,
  concat,
  grad,
  randn,
  reshape,
  ShapeError,
  slice,
  stack,
  sum,
  tensor,
  ValueError,
  zeros,
} from "matcalc";

const RUNS = { seed: 42, numRuns: 200 };
const dim = fc.integer({ min: 1, max: 4 });

Deno.test("slice()", async (t) => {
  const A = reshape(arange(12), [3, 4]);
  await t.step("literal cases, Python bounds", () => {
    assertEquals(slice(A, [1], [2]).toArray(), [[4, 5, 6, 7]]);
    assertEquals(slice(A, [0, 1], [2, 3]).toArray(), [[1, 2], [5, 6]]);
    assertEquals(slice(A, [-1, -2], [3, 4]).toArray(), [[10, 11]]);
    assertEquals(slice(A, [0, 2], [100, 100]).toArray(), [[2, 3], [6, 7], [10, 11]]);
    assertEquals(slice(A, 1, 2, { axis: 1 }).toArray(), [[1], [5], [9]]);
    assertEquals(slice(tensor([1, 2, 3]), 1, 3).toArray(), [2, 3]);
  });
  await t.step("edge shapes: empty result, scalar, whole tensor", () => {
    assertEquals(slice(A, [2], [1]).shape, [0, 4]);
    assertEquals(slice(tensor(5), [], []).toArray(), 5);
    assertEquals(slice(A, [], []).toArray(), A.toArray());
    assertEquals(slice(zeros([0, 3]), [0], [5]).shape, [0, 3]);
  });
  await t.step("VJP and JVP (through the pad adjoint) match finite differences", () => {
    fc.assert(
      fc.property(dim, dim, fc.nat(3), fc.nat(3), (m, n, i, j) => {
        const X = randn([m, n], { seed: m * 7 + n });
        assertGrad((x) => slice(x, [i % m, j % n], [m, n]), [X]);
      }),
      RUNS,
    );
    // Second order: the VJP of slice is pad, whose own VJP is slice again.
    const g2 = grad((x) => sum(grad((y) => sum(slice(y, [1], [3])), x)), tensor([1, 2, 3]));
    assertEquals(g2.toArray(), [0, 0, 0]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => slice(A, [0, 0, 0], [1, 1, 1]), ShapeError).message,
      "slice: cannot slice a tensor of shape [3, 4] with starts [0, 0, 0] and ends [1, 1, 1]: give one start and one end per axis (at most 2)",
    );
    assertEquals(
      assertThrows(() => slice(A, [0.5], [1]), ValueError).message,
      "slice: start 0.5 on axis 0 of a tensor of shape [3, 4] is not an integer",
    );
    assertEquals(
      assertThrows(() => slice(A, [0], [NaN]), ValueError).message,
      "slice: end NaN on axis 0 of a tensor of shape [3, 4] is not an integer",
    );
    assertEquals(
      assertThrows(() => slice(A, 0, 1, { axis: 2 }), ShapeError).message,
      "slice: axis 2 is out of bounds for a tensor of shape [3, 4] (rank 2); use an integer in [-2, 1]",
    );
  });
});

Deno.test("concat()", async (t) => {
  await t.step("literal cases", () => {
    const A = tensor([[1, 2], [3, 4]]);
    assertEquals(concat([A, tensor([[5, 6]])]).toArray(), [[1, 2], [3, 4], [5, 6]]);
    assertEquals(concat([A, tensor([[9], [9]])], 1).toArray(), [[1, 2, 9], [3, 4, 9]]);
    assertEquals(concat([A, A], -1).shape, [2, 4]);
    assertEquals(concat([tensor([1]), zeros([0]), tensor([2, 3])]).toArray(), [1, 2, 3]);
    assertEquals(concat([A]).toArray(), A.toArray());
  });
  await t.step("VJP and JVP match finite differences", () => {
    assertGrad((a, b, c) => concat([a, b, c], 1), [
      randn([2, 1, 3], { seed: 1 }),
      randn([2, 2, 3], { seed: 2 }),
      randn([2, 3, 3], { seed: 3 }),
    ]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => concat([zeros([2, 3]), zeros([3, 2])]), ShapeError).message,
      "concat: cannot join [2, 3] and [3, 2] (tensor 1) along axis 0: every other axis must have the same size",
    );
    assertEquals(
      assertThrows(() => concat([tensor(1), tensor(2)]), ShapeError).message,
      "concat: cannot concatenate scalars (shape []): they have no axis to join; use stack",
    );
    assertEquals(
      assertThrows(() => concat([]), ValueError).message,
      "concat: expected a non-empty array of tensors, got an empty array",
    );
  });
});

Deno.test("stack()", async (t) => {
  await t.step("literal cases", () => {
    const a = tensor([1, 2]), b = tensor([3, 4]);
    assertEquals(stack([a, b]).toArray(), [[1, 2], [3, 4]]);
    assertEquals(stack([a, b], 1).toArray(), [[1, 3], [2, 4]]);
    assertEquals(stack([a, b], -1).toArray(), [[1, 3], [2, 4]]);
    assertEquals(stack([tensor(1), tensor(2)]).toArray(), [1, 2]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => stack([zeros([2]), zeros([3])]), ShapeError).message,
      "stack: cannot stack [2] with [3] (tensor 1): all tensors must have the same shape",
    );
  });
});
