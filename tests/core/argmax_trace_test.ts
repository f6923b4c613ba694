import assert from "@matcalc/assert";
import { argmax, grad, randn, ShapeError, tensor, trace, ValueError, zeros } from "matcalc";

Deno.test("argmax()", async (t) => {
  await t.step("over each axis of a matrix, first index on ties", () => {
    const A = tensor([[1, 7, 7], [9, 0, 2]]);
    assert.deepEqual(argmax(A, 0).toArray(), [1, 0, 0]);
    assert.deepEqual(argmax(A, 1).toArray(), [1, 0]);
    assert.deepEqual(argmax(A, -1).toArray(), [1, 0]);
    assert.equal(argmax(A).item(), 3);
  });
  await t.step("middle axis of a rank-3 tensor", () => {
    const A = tensor([[[1, 5], [3, 2]], [[0, 0], [4, -1]]]);
    assert.deepEqual(argmax(A, 1).toArray(), [[1, 0], [1, 0]]);
  });
  await t.step("NaN counts as the largest, as in NumPy", () => {
    assert.equal(argmax(tensor([1, NaN, 5])).item(), 1);
  });
  await t.step("a vector and a 1×n matrix", () => {
    assert.equal(argmax(tensor([2, 8, 3])).item(), 1);
    assert.deepEqual(argmax(tensor([[2, 8, 3]]), 1).toArray(), [1]);
  });
  await t.step("errors", () => {
    assert.throws(
      () => argmax(zeros([0])),
      new ValueError("argmax: cannot take the argmax of an empty tensor (shape [0])"),
    );
    assert.throws(
      () => argmax(zeros([2, 0]), 1),
      new ValueError(
        "argmax: cannot take the argmax over axis 1 of size 0 (tensor of shape [2, 0])",
      ),
    );
    assert.throws(() => argmax(zeros([2, 3]), 2), ShapeError);
  });
});

Deno.test("trace()", async (t) => {
  await t.step("square and rectangular matrices", () => {
    assert.equal(trace(tensor([[1, 2], [3, 4]])).item(), 5);
    assert.equal(trace(tensor([[1, 2, 3], [4, 5, 6]])).item(), 6);
  });
  await t.step("d tr(A)/dA = I", () => {
    const A = randn([3, 3], { seed: 1 });
    assert.deepEqual(grad(trace, A).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
  await t.step("errors", () => {
    assert.throws(
      () => trace(zeros([3])),
      new ShapeError(
        "trace: cannot take the trace of a tensor of shape [3]: it needs a matrix (rank 2); " +
          "use einsum for traces over other axes",
      ),
    );
  });
});
