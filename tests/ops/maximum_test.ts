import { assertEquals, assertThrows } from "@std/assert";
import {
  assertGrad,
  grad,
  hessian,
  jvp,
  maximum,
  minimum,
  mul,
  ShapeError,
  sum,
  type Tensor,
  tensor,
} from "matcalc";

Deno.test("maximum() and minimum()", async (t) => {
  await t.step("values with broadcasting and scalars", () => {
    const a = tensor([[1, 5], [4, -2]]);
    assertEquals(maximum(a, tensor([3, 0])).toArray(), [[3, 5], [4, 0]]);
    assertEquals(minimum(a, tensor([3, 0])).toArray(), [[1, 0], [3, -2]]);
    assertEquals(maximum(2, a).toArray(), [[2, 5], [4, 2]]);
    assertEquals(minimum(tensor([[1], [6]]), tensor([2, 5])).toArray(), [[1, 1], [2, 5]]);
    assertEquals(maximum(1, 2).item(), 2);
  });

  await t.step("NaN propagates from either side, as in NumPy", () => {
    assertEquals(maximum(tensor([NaN, 1]), tensor([1, NaN])).toArray(), [NaN, NaN]);
    assertEquals(minimum(tensor([NaN, 1]), 0).toArray(), [NaN, 0]);
  });

  await t.step("gradient follows the selected operand; ties split half and half", () => {
    const a = tensor([1, 2, 3]), b = tensor([3, 2, 1]);
    const [ga, gb] = grad((x, y) => sum(maximum(x, y)), [a, b]);
    assertEquals(ga.toArray(), [0, 0.5, 1]);
    assertEquals(gb.toArray(), [1, 0.5, 0]);
    const [ha, hb] = grad((x, y) => sum(minimum(x, y)), [a, b]);
    assertEquals(ha.toArray(), [1, 0.5, 0]);
    assertEquals(hb.toArray(), [0, 0.5, 1]);
    // maximum(x, x) = x: the two halves add up to the identity's slope.
    assertEquals(grad((x) => sum(maximum(x, x)), a).toArray(), [1, 1, 1]);
    // Forward mode agrees at the tie.
    const [, tan] = jvp((x, y) => maximum(x, y), [a, b], [tensor([1, 1, 1]), tensor([0, 0, 0])]);
    assertEquals(tan.toArray(), [0, 0.5, 1]);
  });

  await t.step("broadcast gradients sum over the broadcast axes", () => {
    const [ga, gb] = grad((x, y) => sum(maximum(x, y)), [tensor([[0], [5]]), tensor([1, 2, 3])]);
    assertEquals(ga.toArray(), [[0], [3]]);
    assertEquals(gb.toArray(), [1, 1, 1]);
  });

  await t.step("an Infinity cotangent reaches only the selected operand (no 0·∞ = NaN)", () => {
    const [ga, gb] = grad((x, y) => sum(mul(tensor([Infinity, 1]), maximum(x, y))), [
      tensor([1, 0]),
      tensor([0, 1]),
    ]);
    assertEquals(ga.toArray(), [Infinity, 0]);
    assertEquals(gb.toArray(), [0, 1]);
  });

  await t.step("second derivatives: the selected operand's (order 2 check)", () => {
    const f = (x: Tensor, y: Tensor) => sum(maximum(mul(x, x), mul(y, mul(y, y))));
    // x² vs y³ at x = 3, y = 1: x² is selected, so ∂²/∂x² = 2 and everything else is 0.
    assertEquals(hessian((x) => f(x, tensor([1])), tensor([3])).toArray(), [[2]]);
    assertGrad(f, [tensor([3, 0.5]), tensor([1, 1.5])], { order: 2 });
  });

  await t.step("shape errors name the op", () => {
    assertThrows(
      () => maximum(tensor([1, 2]), tensor([1, 2, 3])),
      ShapeError,
      "maximum: cannot broadcast [2] with [3]",
    );
    assertThrows(() => minimum(tensor([1, 2]), "a" as never), Error, "minimum: operand must be");
  });
});
