import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  det,
  grad,
  hessian,
  inv,
  mul,
  randn,
  ShapeError,
  tensor,
  transpose,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("det()", async (t) => {
  await t.step("closed forms", () => {
    assertAlmostEquals(det(tensor([[1, 2], [3, 4]])).item(), -2, 1e-14);
    assertAlmostEquals(det(tensor([[2, 0, 0], [0, 3, 0], [0, 0, 4]])).item(), 24, 1e-13);
    assertEquals(det(tensor([[5]])).item(), 5);
    assertEquals(det(tensor([[1, 2], [2, 4]])).item(), 0);
    // Triangular: the product of the diagonal; a row swap flips the sign.
    assertAlmostEquals(det(tensor([[0, 1], [1, 0]])).item(), -1, 1e-15);
  });
  await t.step("stacks give one determinant per matrix", () => {
    const d = det(tensor([[[1, 2], [3, 4]], [[2, 0], [0, 3]]]));
    assertEquals(d.shape, [2]);
    assertAllClose(d, [-2, 6]);
    assertEquals(det(randn([2, 3, 4, 4], { seed: 1 })).shape, [2, 3]);
  });
  await t.step("gradient is det(A) A⁻ᵀ (Jacobi's formula)", () => {
    const A = randn([4, 4], { seed: 3 });
    assertAllClose(grad(det, A), mul(det(A), transpose(inv(A))), { rtol: 1e-10 });
  });
  await t.step("rules against differences: both modes, order 2", () => {
    checkRules("det", det, randn([3, 3], { seed: 4 }));
    checkRules("det 1×1", det, tensor([[2.5]]));
    checkRules("det stack", det, randn([2, 3, 3], { seed: 5 }));
  });
  await t.step("singular, corank 1: the gradient is the cofactor u uᵀ", () => {
    const S = tensor([[50, -30, 45], [-30, 90, -81], [45, -81, 81]]);
    const u = [27, -45, -60];
    const g = grad(det, S);
    assertAllClose(g, u.map((a) => u.map((b) => a * b)), { atol: 1e-9, rtol: 1e-12 });
    // A non-symmetric corank-1 matrix: the cofactor matrix by hand.
    const B = tensor([[1, 2, 3], [2, 4, 6], [1, 1, 1]]);
    assertAllClose(grad(det, B), [[-2, 4, -2], [1, -2, 1], [0, 0, 0]], { atol: 1e-12 });
  });
  await t.step("singular, corank ≥ 2: the gradient is 0", () => {
    assertAllClose(grad(det, tensor([[1, 2, 3], [2, 4, 6], [3, 6, 9]])), [[0, 0, 0], [0, 0, 0], [
      0,
      0,
      0,
    ]], {
      atol: 1e-12,
    });
    assertAllClose(grad(det, tensor([[0, 0], [0, 0]])), [[0, 0], [0, 0]]);
    assertAllClose(grad(det, tensor([[0]])), [[1]]);
  });
  await t.step("nearly singular: the SVD path agrees with the cofactors by minors", () => {
    const cof3 = (a: number[][]) =>
      a.map((_, i) =>
        a.map((_, j) => {
          const r = [0, 1, 2].filter((k) => k !== i), c = [0, 1, 2].filter((k) => k !== j);
          const m = a[r[0]][c[0]] * a[r[1]][c[1]] - a[r[0]][c[1]] * a[r[1]][c[0]];
          return (i + j) % 2 === 0 ? m : -m;
        })
      );
    for (const delta of [1e-6, 1e-9, 1e-12]) {
      const a = [[50, -30, 45], [-30, 90, -81], [45, -81, 81 + delta]];
      assertAllClose(grad(det, tensor(a)), cof3(a), { atol: 1e-8, rtol: 1e-10 });
    }
    const b = [[1, 2], [2, 4 + 1e-9]];
    assertAllClose(grad(det, tensor(b)), [[4 + 1e-9, -2], [-2, 1]], { atol: 1e-12, rtol: 1e-12 });
  });
  await t.step("second derivative at a singular matrix is refused, not NaN", () => {
    const S = tensor([[1, 2], [2, 4]]);
    assertThrows(
      () => hessian(det, S),
      ValueError,
      "det: the second derivative of det at a singular",
    );
    // Away from singularity the Hessian exists (checked against differences above).
    assertEquals(hessian(det, tensor([[1, 2], [3, 4]])).shape, [2, 2, 2, 2]);
  });
  await t.step("bad shapes", () => {
    assertThrows(
      () => det(tensor([[1, 2, 3], [4, 5, 6]])),
      ShapeError,
      "det: A must be a square matrix [n, n] or a stack of them [..., n, n], got shape [2, 3]",
    );
    assertThrows(() => det(tensor([1, 2])), ShapeError, "got shape [2]");
  });
});
