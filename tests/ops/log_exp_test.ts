import { assertEquals, assertLess } from "@std/assert";
import {
  assertAllClose,
  exp,
  expm1,
  grad,
  hessian,
  log,
  log1p,
  randn,
  sigmoid,
  softplus,
  sum,
  tensor,
} from "matcalc";
import { checkOrders } from "./derivs.ts";

const x = randn([2, 3], { seed: 5 });

Deno.test("log1p()", async (t) => {
  await t.step("values: small arguments keep their digits; domain x ≥ −1", () => {
    assertEquals(log1p(tensor([0, 1e-20, -1])).toArray(), [0, 1e-20, -Infinity]);
    assertEquals(log(tensor([1 + 1e-20])).toArray(), [0]); // why log1p exists
    assertAllClose(log1p(tensor([1, Math.E - 1])), [Math.LN2, 1]);
    assertEquals(log1p(-2).item(), NaN);
  });
  await t.step("derivatives: 1/(1 + x), then −1/(1 + x)²", () => {
    assertAllClose(grad((v) => sum(log1p(v)), tensor([3])), [0.25]);
    assertAllClose(hessian((v) => sum(log1p(v)), tensor([3])), [[-1 / 16]]);
    checkOrders(log1p, tensor([[0.5, -0.3, 2]]));
  });
});

Deno.test("expm1()", async (t) => {
  await t.step("values", () => {
    assertEquals(expm1(tensor([0, 1e-20, -Infinity])).toArray(), [0, 1e-20, -1]);
    assertAllClose(expm1(tensor([1, -1])), [Math.E - 1, 1 / Math.E - 1]);
  });
  await t.step("derivatives: eˣ at both orders", () => {
    assertAllClose(grad((v) => sum(expm1(v)), tensor([0.5])), [Math.exp(0.5)]);
    assertAllClose(hessian((v) => sum(expm1(v)), tensor([0.5])), [[Math.exp(0.5)]]);
    checkOrders(expm1, x);
  });
});

Deno.test("softplus()", async (t) => {
  await t.step("values: closed form, and stable for large |x|", () => {
    const v = [-3, -0.5, 0, 0.5, 3];
    assertAllClose(softplus(tensor(v)), v.map((a) => Math.log(1 + Math.exp(a))));
    assertEquals(softplus(tensor([1000, -1000])).toArray(), [1000, 0]);
    assertEquals(log(1 + Math.exp(1000)).item(), Infinity); // the naive formula overflows
    assertLess(Math.abs(softplus(-40).item() / Math.exp(-40) - 1), 1e-15);
    assertEquals(softplus(40).item(), 40 + Math.exp(-40));
  });
  await t.step("derivatives: sigmoid, then σ(1 − σ); finite at ±1000", () => {
    assertAllClose(grad((v) => sum(softplus(v)), x), sigmoid(x));
    const s = 1 / (1 + Math.exp(-0.3));
    assertAllClose(hessian((v) => sum(softplus(v)), tensor([0.3])), [[s * (1 - s)]]);
    assertEquals(grad((v) => sum(softplus(v)), tensor([1000, -1000])).toArray(), [1, 0]);
    assertEquals(hessian((v) => sum(softplus(v)), tensor([1000])).toArray(), [[0]]);
    checkOrders(softplus, x);
    void exp;
  });
});
