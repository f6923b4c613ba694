import { assertEquals, assertThrows } from "@std/assert";
import { forEachKernel } from "./helpers.ts";
import {
  assertAllClose,
  eye,
  grad,
  inv,
  jvp,
  matmul,
  mul,
  norm,
  pinv,
  randn,
  ShapeError,
  solve,
  stack,
  sum,
  type Tensor,
  tensor,
  transpose,
  ValueError,
  zeros,
} from "matcalc";
import { checkOrders } from "../ops/derivs.ts";

/** The four Penrose conditions: A P A = A, P A P = P, (A P)ᵀ = A P, (P A)ᵀ = P A. */
function assertPenrose(A: Tensor, P: Tensor, atol = 1e-12) {
  const AP = matmul(A, P), PA = matmul(P, A);
  assertAllClose(matmul(AP, A), A, { atol });
  assertAllClose(matmul(PA, P), P, { atol });
  assertAllClose(transpose(AP), AP, { atol });
  assertAllClose(transpose(PA), PA, { atol });
}

forEachKernel("pinv()", async (t) => {
  await t.step("against numpy: wide full rank, tall rank-deficient", () => {
    const A = tensor([[1, 2, 0], [-1, 0.5, 3]]);
    assertAllClose(pinv(A), [
      [0.19999999999999998, -0.09756097560975609],
      [0.3999999999999999, 0.04878048780487809],
      [0, 0.2926829268292683],
    ], { atol: 1e-15 });
    const B = tensor([[1, 2, 3], [2, 4, 6], [1, 0, 1], [0, 0, 0]]);
    assertAllClose(pinv(B), [
      [-0.03333333333333385, -0.06666666666666661, 0.8333333333333339, 0],
      [0.0666666666666671, 0.13333333333333325, -0.666666666666667, 0],
      [0.033333333333333236, 0.06666666666666664, 0.16666666666666682, 0],
    ], { atol: 1e-13 });
    assertPenrose(A, pinv(A));
    assertPenrose(B, pinv(B));
  });
  await t.step("square invertible: the inverse; tall full rank: least squares", () => {
    const S = randn([4, 4], { seed: 1 });
    assertAllClose(pinv(S), inv(S), { rtol: 1e-10 });
    const X = randn([6, 3], { seed: 2 }), y = randn([6], { seed: 3 });
    const normal = solve(matmul(transpose(X), X), matmul(transpose(X), y));
    assertAllClose(matmul(pinv(X), y), normal, { rtol: 1e-10 });
  });
  await t.step("zero matrix, rcond, stacks, empty", () => {
    assertEquals(pinv(zeros([2, 3])).toArray(), zeros([3, 2]).toArray());
    // A singular value 1e-10 of the largest is kept by default, dropped with rcond = 1e-8.
    const D = tensor([[1, 0], [0, 1e-10]]);
    assertAllClose(pinv(D), [[1, 0], [0, 1e10]], { rtol: 1e-12 });
    assertAllClose(pinv(D, { rcond: 1e-8 }), [[1, 0], [0, 0]]);
    const A = randn([2, 3], { seed: 4 });
    const P = pinv(stack([A, mul(2, A)]));
    assertEquals(P.shape, [2, 3, 2]);
    assertAllClose(P, stack([pinv(A), mul(0.5, pinv(A))]));
    assertEquals(pinv(zeros([0, 3])).shape, [3, 0]);
  });
  await t.step("derivatives: −A⁻¹ dA A⁻¹ when square; Golub–Pereyra both modes, order 2", () => {
    const S = randn([3, 3], { seed: 5 }), E = randn([3, 3], { seed: 6 });
    const Si = inv(S);
    assertAllClose(jvp(pinv, [S], [E])[1], mul(-1, matmul(Si, matmul(E, Si))), { rtol: 1e-9 });
    checkOrders(pinv, randn([2, 3], { seed: 7 }), { rtol: 1e-5 });
    checkOrders(pinv, randn([4, 2], { seed: 8 }), { rtol: 1e-5 });
    // Rank 1 (the rank stays 1 along the family s·u vᵀ): autodiff against a central difference.
    const u = tensor([1, 2, 2]), v = tensor([3, -1]);
    const fam = (s: Tensor) => pinv(matmul(transpose(stack([mul(s, u)])), stack([v])));
    const g = grad((s) => sum(fam(s)), tensor(2)).item();
    const h = 1e-6;
    const fd = (sum(fam(tensor(2 + h))).item() - sum(fam(tensor(2 - h))).item()) / (2 * h);
    assertAllClose(g, fd, { rtol: 1e-6 });
    // Least-squares residual ‖A A⁺ b − b‖ is differentiable through pinv.
    const b = randn([4], { seed: 9 });
    checkOrders((M: Tensor) => norm(matmul(M, matmul(pinv(M), b))), randn([4, 2], { seed: 10 }), {
      rtol: 1e-5,
    });
  });
  await t.step("errors", () => {
    assertThrows(() => pinv(tensor([1, 2])), ShapeError, "pinv: A must be a matrix [m, n]");
    assertThrows(() => pinv(eye(2), { rcond: -1 }), ValueError, "pinv: rcond must be");
    assertThrows(
      () => pinv(eye(2), { rtol: 1 } as unknown as { rcond: number }),
      ValueError,
      "pinv",
    );
  });
});
