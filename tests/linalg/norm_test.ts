import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { forEachKernel } from "./helpers.ts";
import {
  arange,
  assertAllClose,
  div,
  grad,
  hessian,
  jacfwd,
  jvp,
  matmul,
  norm,
  outer,
  randn,
  reshape,
  ShapeError,
  slice,
  sub,
  sum,
  svd,
  tensor,
  ValueError,
} from "matcalc";
import { checkOrders } from "../ops/derivs.ts";

// Expected values from numpy 2.4 (np.linalg.norm).
const A = tensor([[1, -2, 3], [4, 0, -6]]);
const v = tensor([3, 0, -4, 1]);
const B = sub(reshape(arange(24), [2, 3, 4]), 11);

Deno.test("norm(): vectors", async (t) => {
  await t.step("orders 2, 1, ±Infinity, 0, p (as numpy)", () => {
    assertAlmostEquals(norm(v).item(), 5.0990195135927845, 1e-15);
    assertAlmostEquals(norm(v, 2).item(), 5.0990195135927845, 1e-15);
    assertEquals(norm(v, 1).item(), 8);
    assertEquals(norm(v, Infinity).item(), 4);
    assertEquals(norm(v, -Infinity).item(), 0);
    assertEquals(norm(v, 0).item(), 3);
    assertAlmostEquals(norm(v, 3).item(), 4.514357435474001, 1e-14);
    assertAlmostEquals(norm(v, 0.5).item(), 22.392304845413257, 1e-13);
    assertEquals(norm(v, -1).item(), 0);
  });
  await t.step("axis and keepdims", () => {
    assertAllClose(norm(A, 2, { axis: 1 }), [Math.sqrt(14), Math.sqrt(52)]);
    assertAllClose(norm(A, 1, { axis: 0 }), [5, 2, 9]);
    assertEquals(norm(B, 3, { axis: -1, keepdims: true }).shape, [2, 3, 1]);
    assertEquals(norm(B, undefined, { keepdims: true }).shape, [1, 1, 1]);
    assertEquals(norm(B).item(), 34);
  });
  await t.step("gradient x/‖x‖; at 0 the subgradient 0 (PyTorch's choice, not JAX's NaN)", () => {
    const x = randn([5], { seed: 1 });
    const n = norm(x).item();
    assertAllClose(grad((y) => norm(y), x), div(x, n));
    assertEquals(norm(tensor([0, 0, 0])).item(), 0);
    assertEquals(grad((y) => norm(y), tensor([0, 0, 0])).toArray(), [0, 0, 0]);
    assertEquals(grad((y) => norm(y, 3), tensor([0, 0])).toArray(), [0, 0]);
    assertEquals(grad((y) => norm(y, 1), tensor([0, 2])).toArray(), [0, 1]);
    const [, d] = jvp((y) => norm(y), tensor([0, 0]), tensor([1, 1]));
    assertEquals(d.item(), 0);
    // Per row: a zero row gets 0, the other row its own x/‖x‖.
    assertAllClose(
      grad((M) => sum(norm(M, 2, { axis: 1 })), tensor([[0, 0], [3, 4]])),
      [[0, 0], [0.6, 0.8]],
    );
  });
  await t.step("Hessian (I − x̂ x̂ᵀ)/‖x‖; both modes, order 2", () => {
    const x = tensor([1, 2, 2]);
    const xh = [1 / 3, 2 / 3, 2 / 3];
    const expected = xh.map((a, i) => xh.map((b, j) => ((i === j ? 1 : 0) - a * b) / 3));
    assertAllClose(hessian((y) => norm(y), x), expected);
    const X = randn([2, 3], { seed: 2 });
    checkOrders((y) => norm(y, 2, { axis: 1 }), X);
    checkOrders((y) => norm(y, 3, { axis: 0 }), X);
    checkOrders((y) => norm(y, 1, { axis: 1 }), X);
    checkOrders((y) => norm(y, Infinity, { axis: 1 }), X);
  });
});

Deno.test("norm(): matrices", async (t) => {
  await t.step("fro, 1, −1, ±Infinity (as numpy)", () => {
    assertAlmostEquals(norm(A).item(), 8.12403840463596, 1e-14);
    assertAlmostEquals(norm(A, "fro").item(), 8.12403840463596, 1e-14);
    assertEquals(norm(A, 1).item(), 9);
    assertEquals(norm(A, -1).item(), 2);
    assertEquals(norm(A, Infinity).item(), 10);
    assertEquals(norm(A, -Infinity).item(), 6);
  });
  await t.step("axis pairs, in the order given; keepdims", () => {
    assertEquals(norm(B, 1, { axis: [2, 0] }).toArray(), [38, 26, 42]);
    assertEquals(norm(B, Infinity, { axis: [1, 2] }).toArray(), [38, 42]);
    assertEquals(norm(B, "fro", { axis: [1, 2], keepdims: true }).shape, [2, 1, 1]);
  });
  await t.step("derivatives: ∂‖A‖_F = A/‖A‖_F; 1 and ∞ through the max column/row", () => {
    assertAllClose(grad((M) => norm(M), A), div(A, norm(A)));
    // The largest column sum is column 2: ∂ = sign of that column.
    assertEquals(grad((M) => norm(M, 1), A).toArray(), [[0, 0, 1], [0, 0, -1]]);
    assertEquals(grad((M) => norm(M, Infinity), A).toArray(), [[0, 0, 0], [1, 0, -1]]);
    assertEquals(grad((M) => norm(M, "fro"), tensor([[0, 0]])).toArray(), [[0, 0]]);
    assertEquals(jacfwd((M) => norm(M, "fro", { axis: [0, 1] }), A).shape, [2, 3]);
    checkOrders((M) => norm(M, "fro", { axis: [1, 2] }), randn([2, 2, 3], { seed: 3 }));
  });
});

Deno.test("norm(): errors", () => {
  assertThrows(() => norm(B, 2), ShapeError, "norm: cannot take the order-2 norm of a tensor of");
  assertThrows(() => norm(v, "fro"), ValueError, 'norm: invalid order "fro" for a vector norm');
  assertThrows(() => norm(A, 3), ValueError, "norm: invalid order 3 for a matrix norm");
  assertThrows(() => norm(A, 2, { axis: [0, 0] }), ShapeError, "norm: axis 0 is repeated");
  assertThrows(() => norm(A, 2, { axis: 2 }), ShapeError, "norm: axis 2 is out of bounds");
  assertThrows(
    () => norm(A, 2, { axis: [0, 1, 2] as unknown as number[] }),
    ValueError,
    "norm: axis must be one integer",
  );
  assertThrows(
    () => norm(A, 2, { axes: 1 } as unknown as { axis: number }),
    ValueError,
    "norm",
  );
});

forEachKernel("norm(): nuclear and spectral norms (through svd)", async (t) => {
  await t.step("values as numpy", () => {
    assertAlmostEquals(norm(A, "nuc").item(), 10.58915720813905, 1e-13);
    assertAlmostEquals(norm(A, 2).item(), 7.523353470521766, 1e-13);
    assertAlmostEquals(norm(A, -2).item(), 3.065803737617284, 1e-13);
    assertAllClose(norm(B, "nuc", { axis: [1, 2] }), [24.364638499284705, 27.159447881001306], {
      rtol: 1e-13,
    });
    assertAllClose(
      norm(B, 2, { axis: [0, 2] }),
      [19.712649798827737, 17.031482917207914, 21.299096568593875],
      { rtol: 1e-13 },
    );
    assertEquals(norm(B, -2, { axis: [1, 2], keepdims: true }).shape, [2, 1, 1]);
  });
  await t.step("gradients: ∂‖A‖₂ = u₁v₁ᵀ, ∂‖A‖_* = U Vᵀ; both modes, order 2", () => {
    const { U, Vh } = svd(A);
    assertAllClose(grad((M) => norm(M, "nuc"), A), matmul(U, Vh), { rtol: 1e-10 });
    const u1 = reshape(slice(U, [0, 0], [2, 1]), [2]), v1 = reshape(slice(Vh, [0, 0], [1, 3]), [3]);
    assertAllClose(grad((M) => norm(M, 2), A), outer(u1, v1), { rtol: 1e-10 });
    checkOrders((M) => norm(M, "nuc"), A);
    checkOrders((M) => norm(M, 2), randn([3, 2], { seed: 4 }));
    checkOrders((M) => norm(M, -2, { axis: [1, 2] }), randn([2, 2, 3], { seed: 5 }));
  });
});
