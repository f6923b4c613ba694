import assert from "@matcalc/assert";
import { argmax, ShapeError, tensor, ValueError, zeros } from "matcalc";

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
