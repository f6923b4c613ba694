import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  arctan,
  arctan2,
  assertAllClose,
  cos,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  randn,
  sin,
  sum,
  tan,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "matcalc";
import { checkOrders } from "./derivs.ts";

const x = randn([2, 3], { seed: 1 });

Deno.test("sin()", async (t) => {
  await t.step("values", () => {
    assertAllClose(sin(tensor([0, Math.PI / 6, Math.PI / 2, -Math.PI / 2])), [0, 0.5, 1, -1]);
    assertEquals(sin(zeros([0, 2])).shape, [0, 2]);
    assertEquals(sin(Infinity).item(), NaN);
  });
  await t.step("derivatives: cos, both modes, order 2 (−sin)", () => {
    const J = jacfwd(sin, tensor([0.3, 1.2]));
    assertAllClose(J, [[Math.cos(0.3), 0], [0, Math.cos(1.2)]]);
    assertAllClose(hessian((v) => sin(v), tensor([0.7])), [[-Math.sin(0.7)]]);
    checkOrders(sin, x);
  });
});

Deno.test("cos()", () => {
  assertAllClose(cos(tensor([0, Math.PI / 3, Math.PI])), [1, 0.5, -1]);
  assertAllClose(jacrev(cos, tensor([0.3])), [[-Math.sin(0.3)]]);
  assertAllClose(hessian((v) => cos(v), tensor([0.7])), [[-Math.cos(0.7)]]);
  checkOrders(cos, x);
});

Deno.test("tan()", () => {
  assertAllClose(tan(tensor([0, Math.PI / 4, -Math.PI / 4])), [0, 1, -1]);
  // sec² and its derivative 2 tan sec².
  const v = 0.4, s2 = 1 / Math.cos(v) ** 2;
  assertAllClose(grad((t) => tan(t), tensor(v)), s2);
  assertAllClose(hessian((t) => tan(t), tensor([v])), [[2 * Math.tan(v) * s2]]);
  assertAlmostEquals(Math.abs(tan(Math.PI / 2).item()), 1.633e16, 1e13);
  checkOrders(tan, tensor([[0.1, -0.5, 1.2]]));
});

Deno.test("arctan()", () => {
  assertAllClose(arctan(tensor([0, 1, -1, Infinity])), [0, Math.PI / 4, -Math.PI / 4, Math.PI / 2]);
  assertAllClose(grad((t) => arctan(t), tensor(2)), 1 / 5);
  // d²/dx² arctan = −2x / (1 + x²)².
  assertAllClose(hessian((t) => arctan(t), tensor([2])), [[-4 / 25]]);
  checkOrders(arctan, x);
});

Deno.test("arctan2()", async (t) => {
  await t.step("quadrants, axes, signed zeros (as numpy.arctan2)", () => {
    const ys = tensor([1, 1, -1, -1, 0, 0, 1, -1]);
    const xs = tensor([1, -1, 1, -1, 1, -1, 0, 0]);
    assertAllClose(arctan2(ys, xs), [
      Math.PI / 4,
      3 * Math.PI / 4,
      -Math.PI / 4,
      -3 * Math.PI / 4,
      0,
      Math.PI,
      Math.PI / 2,
      -Math.PI / 2,
    ]);
    assertEquals(arctan2(-0, -1).item(), -Math.PI);
    assertEquals(arctan2(0, 0).item(), 0);
  });
  await t.step("broadcasting", () => {
    const out = arctan2(tensor([[1], [-1]]), tensor([1, 0, -1]));
    assertEquals(out.shape, [2, 3]);
    assertAllClose(out, [[Math.PI / 4, Math.PI / 2, 3 * Math.PI / 4], [
      -Math.PI / 4,
      -Math.PI / 2,
      -3 * Math.PI / 4,
    ]]);
    const [gy, gx] = grad((y, x) => sum(arctan2(y, x)), [tensor([[2], [1]]), tensor([1, 3])]);
    assertEquals(gy.shape, [2, 1]);
    assertEquals(gx.shape, [2]);
    assertAllClose(gy, [[1 / 5 + 3 / 13], [1 / 2 + 3 / 10]]);
    assertAllClose(gx, [-2 / 5 - 1 / 2, -2 / 13 - 1 / 10]);
  });
  await t.step("derivative (x dy − y dx) / r², both modes, order 2", () => {
    const [, d] = jvp((y, x) => arctan2(y, x), [tensor(3), tensor(4)], [tensor(1), tensor(0)]);
    assertAllClose(d, 4 / 25);
    const y = randn([3], { seed: 2 }), xx = randn([3], { seed: 3 });
    checkOrders((v) => arctan2(v, xx), y);
    checkOrders((v) => arctan2(y, v), xx);
  });
  await t.step("at the origin the gradient is 0, not NaN (documented choice)", () => {
    const [gy, gx] = grad((y, x) => arctan2(y, x), [tensor(0), tensor(0)]);
    assertEquals([gy.item(), gx.item()], [0, 0]);
    const [, d] = jvp((y, x) => arctan2(y, x), [tensor(0), tensor(0)], [tensor(1), tensor(1)]);
    assertEquals(d.item(), 0);
  });
  await t.step("errors", () => {
    assertThrows(
      () => arctan2(tensor([1, 2]), tensor([1, 2, 3])),
      Error,
      "arctan2: cannot broadcast [2] with [3]",
    );
    assertThrows(() => arctan2("1" as unknown as Tensor, 1), ValueError, "arctan2: y must be");
  });
});
