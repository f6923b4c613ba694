import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  eye,
  grad,
  inv,
  matmul,
  matrixPower,
  mul,
  randn,
  ShapeError,
  stack,
  tensor,
  trace,
  transpose,
  ValueError,
  zeros,
} from "matcalc";
import { checkOrders } from "../ops/derivs.ts";

Deno.test("matrixPower()", async (t) => {
  const A = randn([3, 3], { seed: 1 });
  await t.step("k = 0, 1, 2, 5, −1, −3 against repeated products (as numpy.matrix_power)", () => {
    assertEquals(matrixPower(A, 0).toArray(), eye(3).toArray());
    assertEquals(matrixPower(A, 1).toArray(), A.toArray());
    assertAllClose(matrixPower(A, 2), matmul(A, A));
    let P = A;
    for (let i = 1; i < 5; i++) P = matmul(P, A);
    assertAllClose(matrixPower(A, 5), P, { rtol: 1e-12 });
    assertAllClose(matrixPower(A, -1), inv(A));
    const Ai = inv(A);
    assertAllClose(matrixPower(A, -3), matmul(Ai, matmul(Ai, Ai)), { rtol: 1e-10 });
    assertAllClose(matmul(matrixPower(A, 3), matrixPower(A, -3)), eye(3), { atol: 1e-10 });
    // Fibonacci: [[1, 1], [1, 0]]ⁿ holds F(n+1), F(n).
    assertEquals(matrixPower(tensor([[1, 1], [1, 0]]), 10).toArray(), [[89, 55], [55, 34]]);
  });
  await t.step("stacks [..., n, n]", () => {
    const S = stack([A, mul(2, A)]);
    const P = matrixPower(S, 3);
    assertEquals(P.shape, [2, 3, 3]);
    assertAllClose(P, stack([matrixPower(A, 3), mul(8, matrixPower(A, 3))]));
    assertEquals(matrixPower(S, 0).shape, [2, 3, 3]);
  });
  await t.step("derivatives: ∂ tr(Aᵏ) = k (Aᵏ⁻¹)ᵀ; both modes, order 2", () => {
    assertAllClose(
      grad((X) => trace(matrixPower(X, 4)), A),
      mul(4, transpose(matrixPower(A, 3))),
      { rtol: 1e-12 },
    );
    // ∂ tr(A⁻¹) = −(A⁻²)ᵀ
    assertAllClose(
      grad((X) => trace(matrixPower(X, -1)), A),
      mul(-1, transpose(matrixPower(A, -2))),
    );
    checkOrders((X) => matrixPower(X, 3), A);
    checkOrders((X) => matrixPower(X, -2), add(A, mul(3, eye(3))));
    assertEquals(grad((X) => trace(matrixPower(X, 0)), A).toArray(), zeros([3, 3]).toArray());
  });
  await t.step("errors", () => {
    assertThrows(
      () => matrixPower(zeros([2, 3]), 2),
      ShapeError,
      "matrixPower: A must be a square",
    );
    assertThrows(
      () => matrixPower(A, 1.5),
      ValueError,
      "matrixPower: exponent k must be an integer",
    );
    assertThrows(() => matrixPower(zeros([2, 2]), -1), ValueError, "inv");
  });
});
