import { assertEquals, assertThrows } from "@std/assert";
import { assertGrad, grad, randn, ShapeError, sum, tensor, where, zeros } from "matcalc";

Deno.test("where()", async (t) => {
  await t.step("literal cases with broadcasting", () => {
    assertEquals(where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).toArray(), [1, 0, 3]);
    assertEquals(where(tensor([[1], [0]]), tensor([1, 2]), tensor([9, 8])).toArray(), [
      [1, 2],
      [9, 8],
    ]);
  });
  await t.step("gradients go to the chosen branch; Infinity elsewhere does not leak NaN", () => {
    const [ga, gb] = grad(
      (a, b) => sum(where(tensor([1, 0]), a, b)),
      [tensor([1, 2]), tensor([Infinity, 3])],
    );
    assertEquals([ga.toArray(), gb.toArray()], [[1, 0], [0, 1]]);
    assertGrad((a, b) => where(tensor([[1, 0, 1]]), a, b), [
      randn([2, 3], { seed: 1 }),
      randn([3], { seed: 2 }),
    ]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => where(zeros([2]), zeros([3]), 0), ShapeError).message,
      "where: cannot broadcast cond [2], a [3] and b [] together: sizes on each axis must match or be 1",
    );
  });
});
