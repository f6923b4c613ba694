import { assertEquals, assertThrows } from "@std/assert";
import { assertGrad, grad, pow, randn, sum, Tensor, tensor, ValueError } from "matcalc";

Deno.test("pow()", async (t) => {
  await t.step("literal cases", () => {
    assertEquals(pow(tensor([1, 2, 3]), 2).toArray(), [1, 4, 9]);
    assertEquals(pow(tensor([4, 9]), 0.5).toArray(), [2, 3]);
    assertEquals(pow(tensor([2]), -1).toArray(), [0.5]);
    assertEquals(pow(tensor([0, 5]), 0).toArray(), [1, 1]);
  });
  await t.step("derivatives, including p = 0 at x = 0", () => {
    assertEquals(grad((x) => sum(pow(x, 0)), tensor([0, 2])).toArray(), [0, 0]);
    assertEquals(grad((x) => sum(pow(x, 3)), tensor([1, 2])).toArray(), [3, 12]);
    const x = new Tensor(randn([2, 3], { seed: 4 }).data.map((v) => Math.abs(v) + 0.5), [2, 3]);
    assertGrad((y) => pow(y, 2.5), [x]);
    assertGrad((y) => pow(y, -2), [x]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => pow(tensor([1]), NaN), ValueError).message,
      "pow: exponent must be a number, got NaN; for a tensor exponent use exp(mul(p, log(a)))",
    );
  });
});
