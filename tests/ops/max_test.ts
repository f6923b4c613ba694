import assert from "@matcalc/assert";
import { assertGrad, grad, jvp, max, min, randn, tensor, zeros } from "matcalc";

Deno.test("max()", async (t) => {
  const A = tensor([[1, 5, 2], [4, 0, 6]]);
  await t.step("over all axes, one axis, several axes", () => {
    assert.equal(max(A).item(), 6);
    assert.deepEqual(max(A).shape, []);
    assert.deepEqual(max(A, 0).toArray(), [4, 5, 6]);
    assert.deepEqual(max(A, 1).toArray(), [5, 6]);
    assert.deepEqual(max(A, -1).toArray(), [5, 6]);
    assert.deepEqual(max(A, [0, 1]).toArray(), 6);
    assert.deepEqual(max(A, []).toArray(), A.toArray());
  });
  await t.step("keepdims", () => {
    assert.deepEqual(max(A, 1, { keepdims: true }).toArray(), [[5], [6]]);
    assert.deepEqual(max(A, undefined, { keepdims: true }).shape, [1, 1]);
  });
  await t.step("edge shapes: scalar, 1×n, n×1, empty non-reduced axis", () => {
    assert.equal(max(tensor(-3)).item(), -3);
    assert.equal(max(7).item(), 7);
    assert.deepEqual(max(tensor([[1, 9, 2]]), 1).toArray(), [9]);
    assert.deepEqual(max(tensor([[1], [9], [2]]), 0).toArray(), [9]);
    assert.deepEqual(max(zeros([3, 0]), 0).shape, [0]);
  });
  await t.step("negative numbers, infinities and NaN (NaN propagates, as in NumPy)", () => {
    assert.equal(max(tensor([-5, -2, -9])).item(), -2);
    assert.equal(max(tensor([-Infinity, -1])).item(), -1);
    assert.ok(Number.isNaN(max(tensor([1, NaN, 3])).item()));
    assert.ok(Number.isNaN(max(tensor([NaN, 1, 3])).item()));
    assert.deepEqual(max(tensor([[NaN, 1], [2, 3]]), 0).toArray(), [NaN, 3]);
  });
  await t.step("does not modify its input", () => {
    const x = tensor([3, 1, 2]);
    max(x, 0);
    assert.deepEqual(x.toArray(), [3, 1, 2]);
  });
  await t.step("gradient goes to the argmax, split evenly among ties", () => {
    assert.deepEqual(grad((x) => max(x), tensor([1, 7, 3])).toArray(), [0, 1, 0]);
    assert.deepEqual(grad((x) => max(x), tensor([3, 1, 3])).toArray(), [0.5, 0, 0.5]);
    const g = grad((x) => max(x), tensor([[2, 2], [2, 2]]));
    assert.deepEqual(g.toArray(), [[0.25, 0.25], [0.25, 0.25]]);
    const [, dy] = jvp((x) => max(x, 1), tensor([[1, 4], [5, 5]]), tensor([[10, 20], [30, 40]]));
    assert.deepEqual(dy.toArray(), [20, 35]);
  });
  await t.step("VJP and JVP match finite differences", () => {
    assertGrad((x) => max(x), [randn([4], { seed: 1 })]);
    assertGrad((x) => max(x, 0), [randn([3, 4], { seed: 2 })]);
    assertGrad((x) => max(x, [0, 2], { keepdims: true }), [randn([2, 3, 4], { seed: 3 })]);
  });
  await t.step("errors", () => {
    assert.throws(() => max(zeros([2, 3]), 2), {
      name: "ShapeError",
      message:
        "max: axis 2 is out of bounds for a tensor of shape [2, 3] (rank 2); use an integer in [-2, 1]",
    });
    assert.throws(() => max(zeros([0, 3])), {
      name: "ValueError",
      message:
        "max: cannot reduce a tensor of shape [0, 3] over axes [0, 1]: an empty axis has no maximum; reduce over non-empty axes only",
    });
    assert.throws(() => max(zeros([2]), 0.5), {
      name: "ShapeError",
      message:
        "max: axis 0.5 is out of bounds for a tensor of shape [2] (rank 1); use an integer in [-1, 0]",
    });
    assert.throws(() => max("x" as never), {
      name: "ValueError",
      message:
        'max: operand must be a Tensor or a number, got string "x"; build a tensor with tensor(…)',
    });
  });
});

Deno.test("min()", async (t) => {
  const A = tensor([[1, 5, 2], [4, 0, 6]]);
  await t.step("literal cases", () => {
    assert.equal(min(A).item(), 0);
    assert.deepEqual(min(A, 0).toArray(), [1, 0, 2]);
    assert.deepEqual(min(A, 1, { keepdims: true }).toArray(), [[1], [0]]);
    assert.equal(min(tensor(2)).item(), 2);
  });
  await t.step("gradient splits among tied minima", () => {
    assert.deepEqual(grad((x) => min(x), tensor([0, 1, 0, 0])).toArray(), [1 / 3, 0, 1 / 3, 1 / 3]);
  });
  await t.step("VJP and JVP match finite differences", () => {
    assertGrad((x) => min(x, 1), [randn([3, 5], { seed: 4 })]);
  });
  await t.step("errors", () => {
    assert.throws(() => min(zeros([2, 3]), [1, -1]), {
      name: "ShapeError",
      message: "min: axis -1 is repeated in [1, -1]",
    });
    assert.throws(() => min(zeros([2, 0]), 1), {
      name: "ValueError",
      message:
        "min: cannot reduce a tensor of shape [2, 0] over axes [1]: an empty axis has no minimum; reduce over non-empty axes only",
    });
  });
});
