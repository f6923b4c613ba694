import { assertEquals, assertThrows } from "@std/assert";
import { assertGrad, clip, grad, sum, tensor, ValueError } from "matcalc";

Deno.test("clip()", async (t) => {
  await t.step("literal cases and one-sided clips", () => {
    assertEquals(clip(tensor([-2, 0.5, 3]), 0, 1).toArray(), [0, 0.5, 1]);
    assertEquals(clip(tensor([-2, 3]), -Infinity, 0).toArray(), [-2, 0]);
  });
  await t.step("derivative is 1 inside, 0 outside", () => {
    assertEquals(grad((x) => sum(clip(x, 0, 1)), tensor([-1, 0.5, 2])).toArray(), [0, 1, 0]);
    assertGrad((x) => clip(x, -0.5, 0.5), [tensor([-1, -0.2, 0.1, 0.3, 2])]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => clip(tensor([1]), 1, 0), ValueError).message,
      "clip: lower bound 1 is above upper bound 0; swap them",
    );
    assertEquals(
      assertThrows(() => clip(tensor([1]), NaN, 0), ValueError).message,
      "clip: bounds must be numbers, got NaN and 0",
    );
  });
});
