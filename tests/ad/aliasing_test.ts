import { assertEquals, assertNotStrictEquals } from "@std/assert";
import { add, grad, jvp, mul, sum, type Tensor, tensor, valueAndGrad, vjp } from "matcalc";
import { raw } from "../../lib/tensor.ts";

/**
 * `.data` is writable, so every tensor a transform hands back must own its buffer: not share
 * it with another result, an argument or a cotangent.
 */
Deno.test("transform results never share a buffer", async (t) => {
  await t.step("grad of a + b: two gradients, two buffers", () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(add(a, b)), [
      tensor([1, 2]),
      tensor([3, 4]),
    ]);
    assertNotStrictEquals(raw(ga), raw(gb));
    ga.data[0] = 99;
    assertEquals(gb.toArray(), [1, 1]);
  });
  await t.step("the value of an identity-like function is not the input's buffer", () => {
    const x = tensor([5]);
    const [value, g] = valueAndGrad((v: Tensor) => sum(v), x);
    assertNotStrictEquals(raw(value), raw(x));
    assertNotStrictEquals(raw(g), raw(x));
    const [y, dy] = jvp((v: Tensor) => v, x, tensor([1]));
    assertNotStrictEquals(raw(y), raw(x));
    dy.data[0] = 7;
    assertEquals(x.item(), 5);
  });
  await t.step("a pullback does not return the caller's cotangent", () => {
    const x = tensor([1, 2]);
    const [, pb] = vjp((v: Tensor) => v, x);
    const u = tensor([3, 4]);
    const g = pb(u);
    assertNotStrictEquals(raw(g), raw(u));
    g.data[0] = 0;
    assertEquals(u.toArray(), [3, 4]);
    // Values stay right.
    assertEquals(vjp((v: Tensor) => mul(v, v), x)[1](u).toArray(), [6, 16]);
  });
});
