import fc from "fast-check";
import assert from "@matcalc/assert";
import {
  arange,
  assertGrad,
  concat,
  grad,
  randn,
  reshape,
  slice,
  stack,
  sum,
  tensor,
  zeros,
} from "matcalc";

const RUNS = { seed: 42, numRuns: 200 };
const dim = fc.integer({ min: 1, max: 4 });

Deno.test("slice()", async (t) => {
  const A = reshape(arange(12), [3, 4]);
  await t.step("literal cases, Python bounds", () => {
    assert.deepEqual(slice(A, [1], [2]).toArray(), [[4, 5, 6, 7]]);
    assert.deepEqual(slice(A, [0, 1], [2, 3]).toArray(), [[1, 2], [5, 6]]);
    assert.deepEqual(slice(A, [-1, -2], [3, 4]).toArray(), [[10, 11]]);
    assert.deepEqual(slice(A, [0, 2], [100, 100]).toArray(), [[2, 3], [6, 7], [10, 11]]);
    assert.deepEqual(slice(A, 1, 2, { axis: 1 }).toArray(), [[1], [5], [9]]);
    assert.deepEqual(slice(tensor([1, 2, 3]), 1, 3).toArray(), [2, 3]);
  });
  await t.step("edge shapes: empty result, scalar, whole tensor", () => {
    assert.deepEqual(slice(A, [2], [1]).shape, [0, 4]);
    assert.deepEqual(slice(tensor(5), [], []).toArray(), 5);
    assert.deepEqual(slice(A, [], []).toArray(), A.toArray());
    assert.deepEqual(slice(zeros([0, 3]), [0], [5]).shape, [0, 3]);
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
    assert.deepEqual(g2.toArray(), [0, 0, 0]);
  });
  await t.step("errors", () => {
    assert.throws(() => slice(A, [0, 0, 0], [1, 1, 1]), {
      name: "ShapeError",
      message:
        "slice: cannot slice a tensor of shape [3, 4] with starts [0, 0, 0] and ends [1, 1, 1]: give one start and one end per axis (at most 2)",
    });
    assert.throws(() => slice(A, [0.5], [1]), {
      name: "ValueError",
      message: "slice: start 0.5 on axis 0 of a tensor of shape [3, 4] is not an integer",
    });
    assert.throws(() => slice(A, [0], [NaN]), {
      name: "ValueError",
      message: "slice: end NaN on axis 0 of a tensor of shape [3, 4] is not an integer",
    });
    assert.throws(() => slice(A, 0, 1, { axis: 2 }), {
      name: "ShapeError",
      message:
        "slice: axis 2 is out of bounds for a tensor of shape [3, 4] (rank 2); use an integer in [-2, 1]",
    });
  });
});

Deno.test("concat()", async (t) => {
  await t.step("literal cases", () => {
    const A = tensor([[1, 2], [3, 4]]);
    assert.deepEqual(concat([A, tensor([[5, 6]])]).toArray(), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(concat([A, tensor([[9], [9]])], 1).toArray(), [[1, 2, 9], [3, 4, 9]]);
    assert.deepEqual(concat([A, A], -1).shape, [2, 4]);
    assert.deepEqual(concat([tensor([1]), zeros([0]), tensor([2, 3])]).toArray(), [1, 2, 3]);
    assert.deepEqual(concat([A]).toArray(), A.toArray());
  });
  await t.step("VJP and JVP match finite differences", () => {
    assertGrad((a, b, c) => concat([a, b, c], 1), [
      randn([2, 1, 3], { seed: 1 }),
      randn([2, 2, 3], { seed: 2 }),
      randn([2, 3, 3], { seed: 3 }),
    ]);
  });
  await t.step("errors", () => {
    assert.throws(() => concat([zeros([2, 3]), zeros([3, 2])]), {
      name: "ShapeError",
      message:
        "concat: cannot join [2, 3] and [3, 2] (tensor 1) along axis 0: every other axis must have the same size",
    });
    assert.throws(() => concat([tensor(1), tensor(2)]), {
      name: "ShapeError",
      message:
        "concat: cannot concatenate scalars (shape []): they have no axis to join; use stack",
    });
    assert.throws(() => concat([]), {
      name: "ValueError",
      message: "concat: expected a non-empty array of tensors, got an empty array",
    });
  });
});

Deno.test("stack()", async (t) => {
  await t.step("literal cases", () => {
    const a = tensor([1, 2]), b = tensor([3, 4]);
    assert.deepEqual(stack([a, b]).toArray(), [[1, 2], [3, 4]]);
    assert.deepEqual(stack([a, b], 1).toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(stack([a, b], -1).toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(stack([tensor(1), tensor(2)]).toArray(), [1, 2]);
  });
  await t.step("errors", () => {
    assert.throws(() => stack([zeros([2]), zeros([3])]), {
      name: "ShapeError",
      message: "stack: cannot stack [2] with [3] (tensor 1): all tensors must have the same shape",
    });
  });
});
