import assert from "@matcalc/assert";
import { grad, scale, sum, tensor, zeros } from "matcalc";

Deno.test("scale()", async (t) => {
  await t.step("literal cases", () => {
    assert.deepEqual(scale(tensor([1, -2]), 3).toArray(), [3, -6]);
    assert.deepEqual(scale(zeros([0, 2]), 3).shape, [0, 2]);
    assert.deepEqual(grad((x) => sum(scale(x, 4)), tensor([1, 2])).toArray(), [4, 4]);
  });
  await t.step("errors", () => {
    assert.throws(() => scale(tensor([1]), tensor([2]) as never), {
      name: "ValueError",
      message: "scale: the factor must be a number, got object; use mul for elementwise products",
    });
  });
});
