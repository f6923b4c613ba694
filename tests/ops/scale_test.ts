import { assertEquals, assertThrows } from "@std/assert";
import { grad, scale, sum, tensor, ValueError, zeros } from "matcalc";

Deno.test("scale()", async (t) => {
  await t.step("literal cases", () => {
    assertEquals(scale(tensor([1, -2]), 3).toArray(), [3, -6]);
    assertEquals(scale(zeros([0, 2]), 3).shape, [0, 2]);
    assertEquals(grad((x) => sum(scale(x, 4)), tensor([1, 2])).toArray(), [4, 4]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => scale(tensor([1]), tensor([2]) as never), ValueError).message,
      "scale: the factor must be a number, got object; use mul for elementwise products",
    );
  });
});
