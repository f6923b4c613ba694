import { assertEquals } from "@std/assert";
import { randn, transpose } from "matcalc";

Deno.test("transpose()", async (t) => {
  await t.step("the identity permutation of a matrix leaves it unchanged (regression)", () => {
    const X = randn([4, 3], { seed: 0 });
    assertEquals(transpose(X, [0, 1]).toArray(), X.toArray());
  });
});
