import { assertAlmostEquals, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  assertGrad,
  checkGrad,
  grad,
  hessian,
  jacfwd,
  prod,
  randn,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  zeros,
} from "matcalc";
import { bind, type Primitive } from "../../lib/ad/node.ts";
import { mul } from "../../lib/ops/mul.ts";
import { div } from "../../lib/ops/div.ts";
import { raw } from "../../lib/tensor.ts";

const p = (x: Tensor) => prod(x);

Deno.test("prod()", async (t) => {
  await t.step("values over all axes, one axis, several axes, keepdims", () => {
    const A = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    assertEquals(prod(A).item(), 40320);
    assertEquals(prod(A, 0).toArray(), [[5, 12], [21, 32]]);
    assertEquals(prod(A, [0, 2]).toArray(), [60, 672]);
    assertEquals(prod(A, -1, { keepdims: true }).shape, [2, 2, 1]);
    assertEquals(prod(A, undefined, { keepdims: true }).shape, [1, 1, 1]);
    assertEquals(prod(A, []).toArray(), A.toArray());
    assertEquals(prod(7).item(), 7);
    // Odd lengths take the tree's leftover path.
    assertEquals(prod(tensor([1, 2, 3, 4, 5, 6, 7])).item(), 5040);
  });

  await t.step("empty axes give 1, as in NumPy", () => {
    assertEquals(prod(zeros([0])).item(), 1);
    assertEquals(prod(zeros([2, 0]), 1).toArray(), [1, 1]);
    assertEquals(prod(zeros([2, 0]), 0).shape, [0]);
  });

  await t.step("NaN and Infinity propagate", () => {
    assertEquals(prod(tensor([1, NaN, 3])).item(), NaN);
    assertEquals(prod(tensor([2, Infinity])).item(), Infinity);
  });

  await t.step("gradient and Hessian at zero entries (closed form)", () => {
    assertEquals(grad(p, tensor([2, 3, 4])).toArray(), [12, 8, 6]);
    assertEquals(grad(p, tensor([0, 2, 3])).toArray(), [6, 0, 0]);
    // ∂²/∂x0∂x1 prod = x2 = 3, ∂²/∂x0∂x2 = x1 = 2, ∂²/∂x1∂x2 = x0 = 0.
    assertEquals(hessian(p, tensor([0, 2, 3])).toArray(), [[0, 3, 2], [3, 0, 0], [2, 0, 0]]);
    assertEquals(grad(p, tensor([0, 0, 3])).toArray(), [0, 0, 0]);
    assertEquals(hessian(p, tensor([0, 0, 3])).toArray(), [[0, 3, 0], [3, 0, 0], [0, 0, 0]]);
    // Forward over forward agrees.
    assertEquals(jacfwd((x) => jacfwd(p, x), tensor([0, 0, 3])).toArray(), [
      [0, 3, 0],
      [3, 0, 0],
      [0, 0, 0],
    ]);
  });

  await t.step("order-2 check at zeros, along an axis", () => {
    const x = tensor([[0, 2, 3], [0, 0, 3], [1, 2, 3]]);
    assertGrad((v) => prod(v, 1), x, { order: 2 });
    assertGrad((v) => sum(prod(v, 0)), x, { order: 2 });
    assertGrad(p, randn([2, 3], { seed: 4 }), { order: 2 });
  });

  await t.step("the trap: a rule with a constant mask passes order 1, fails order 2", () => {
    // The pattern max.ts uses (right there, since max is piecewise linear) applied to prod:
    // slope prod(x)/x, with the zero entry's slope frozen as a number.
    const trapPrim: Primitive = {
      name: "prodTrap",
      forward: ([x]) => tensor(raw(x).reduce((a, b) => a * b, 1)),
      vjp: (g, [x]) => [mul(g, slopes(x))],
      jvp: ([dx], [x]) => sum(mul(dx, slopes(x))),
    };
    const slopes = (x: Tensor): Tensor => {
      const X = raw(x), zeros = X.filter((v) => v === 0).length;
      if (zeros === 0) return div(bind(trapPrim, [x], undefined), x);
      const rest = X.reduce((a, b) => (b === 0 ? a : a * b), 1);
      return tensor([...X].map((v) => (v === 0 && zeros === 1 ? rest : 0)));
    };
    const trap = (x: Tensor) => bind(trapPrim, [x], undefined);
    const x = tensor([0, 2, 3]);
    assertEquals(grad(trap, x).toArray(), [6, 0, 0]);
    assertEquals(checkGrad(trap, x).ok, true);
    const r = checkGrad(trap, x, { order: 2 });
    assertEquals(r.ok, false);
    assertEquals(r.worst!.order, 2);
    assertAlmostEquals(Math.abs(r.worst!.numeric), 3, 1e-6);
    assertEquals(checkGrad(p, x, { order: 2 }).ok, true);
  });

  await t.step("errors name the op", () => {
    assertThrows(
      () => prod(tensor([1, 2]), 1),
      ShapeError,
      "prod: axis 1 is out of bounds for a tensor of shape [2]",
    );
    const e = assertThrows(() => prod(tensor([1]), 0, { keepDims: true } as never));
    assertMatch(String(e), /prod/);
  });
});
