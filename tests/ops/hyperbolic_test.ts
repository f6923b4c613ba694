import { assertEquals } from "@std/assert";
import {
  assertAllClose,
  cosh,
  grad,
  hessian,
  mul,
  ones,
  randn,
  sinh,
  sub,
  sum,
  tensor,
} from "matcalc";
import { checkOrders } from "./derivs.ts";

const x = randn([2, 3], { seed: 4 });

Deno.test("sinh()", async (t) => {
  await t.step("values: closed form, tiny and huge arguments", () => {
    const v = [-2, -0.5, 0.5, 3];
    assertAllClose(sinh(tensor(v)), v.map((a) => (Math.exp(a) - Math.exp(-a)) / 2));
    assertEquals(sinh(tensor([1e-300, 800, -800])).toArray(), [1e-300, Infinity, -Infinity]);
  });
  await t.step("derivatives: cosh, then sinh", () => {
    assertAllClose(grad((v) => sum(sinh(v)), tensor([1])), [Math.cosh(1)]);
    assertAllClose(hessian((v) => sum(sinh(v)), tensor([1])), [[Math.sinh(1)]]);
    checkOrders(sinh, x);
  });
});

Deno.test("cosh()", async (t) => {
  await t.step("values", () => {
    const v = [-2, 0, 0.5, 3];
    assertAllClose(cosh(tensor(v)), v.map((a) => (Math.exp(a) + Math.exp(-a)) / 2));
    assertEquals(cosh(tensor([800, -800])).toArray(), [Infinity, Infinity]);
  });
  await t.step("derivatives: sinh, then cosh; cosh² − sinh² = 1", () => {
    assertAllClose(grad((v) => sum(cosh(v)), tensor([1])), [Math.sinh(1)]);
    assertAllClose(hessian((v) => sum(cosh(v)), tensor([1])), [[Math.cosh(1)]]);
    const c = cosh(x), s = sinh(x);
    assertAllClose(sub(mul(c, c), mul(s, s)), ones([2, 3]));
    checkOrders(cosh, x);
  });
});
