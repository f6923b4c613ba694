import { assertEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  eye,
  grad,
  matmul,
  mul,
  randn,
  ShapeError,
  sum,
  svd,
  tensor,
  transpose,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("svd()", async (t) => {
  await t.step("closed form and reconstruction on square, tall, wide", () => {
    assertAllClose(svd(tensor([[3, 0], [4, 5]])).S, [Math.sqrt(45), Math.sqrt(5)]);
    for (const shape of [[4, 4], [5, 3], [3, 5], [1, 1]]) {
      const A = randn(shape, { seed: shape[0] * 7 + shape[1] });
      const { U, S, Vh } = svd(A);
      const r = Math.min(shape[0], shape[1]);
      assertEquals([U.shape, S.shape, Vh.shape], [[shape[0], r], [r], [r, shape[1]]]);
      assertAllClose(matmul(mul(U, S), Vh), A, { atol: 1e-12 });
      assertAllClose(matmul(transpose(U), U), eye(r), { atol: 1e-12 });
    }
    assertEquals(Deno.inspect(svd(tensor([[1]]))).startsWith("SvdResult {"), true);
  });
  await t.step(
    "rules against differences: S, U, Vh on square, tall, wide; both modes, order 2",
    () => {
      for (const shape of [[3, 3], [4, 2], [2, 4]]) {
        const A = randn(shape, { seed: 11 + shape[0] });
        checkRules(`S ${shape}`, (A) => svd(A).S, A);
        checkRules(`U ${shape}`, (A) => svd(A).U, A);
        checkRules(`Vh ${shape}`, (A) => svd(A).Vh, A);
      }
    },
  );
  await t.step("repeated singular values: S losses exact, vector derivatives refused", () => {
    // Nuclear norm of an orthogonal matrix (all singular values 1): gradient U Vh = Q itself.
    const Q = tensor([[0, 1], [-1, 0]]);
    assertAllClose(grad((A) => sum(svd(A).S), Q), Q);
    assertThrows(
      () => grad((A) => sum(svd(A).U), Q),
      ValueError,
      "svd: the derivative of the singular vectors is undefined at repeated values",
    );
    assertThrows(
      () => grad((A) => sum(svd(A).U), tensor([[1, 0], [0, 0], [0, 0]])),
      ValueError,
      "singular value is 0",
    );
  });
  await t.step("bad shapes", () => {
    assertThrows(
      () => svd(tensor([1, 2])),
      ShapeError,
      "svd: A must be a matrix [m, n], got shape [2]",
    );
  });
});
