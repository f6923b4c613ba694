import assert from "@matcalc/assert";
import { assertGrad, grad, randn, sum, tensor, where, zeros } from "matcalc";

Deno.test("where()", async (t) => {
  await t.step("literal cases with broadcasting", () => {
    assert.deepEqual(where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).toArray(), [1, 0, 3]);
    assert.deepEqual(where(tensor([[1], [0]]), tensor([1, 2]), tensor([9, 8])).toArray(), [
      [1, 2],
      [9, 8],
    ]);
  });
  await t.step("gradients go to the chosen branch; Infinity elsewhere does not leak NaN", () => {
    const [ga, gb] = grad(
      (a, b) => sum(where(tensor([1, 0]), a, b)),
      [tensor([1, 2]), tensor([Infinity, 3])],
    );
    assert.deepEqual([ga.toArray(), gb.toArray()], [[1, 0], [0, 1]]);
    assertGrad((a, b) => where(tensor([[1, 0, 1]]), a, b), [
      randn([2, 3], { seed: 1 }),
      randn([3], { seed: 2 }),
    ]);
  });
  await t.step("errors", () => {
    assert.throws(() => where(zeros([2]), zeros([3]), 0), {
      name: "ShapeError",
      message:
        "where: cannot broadcast cond [2], a [3] and b [] together: sizes on each axis must match or be 1",
    });
  });
});
