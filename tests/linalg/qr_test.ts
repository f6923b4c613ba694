import { assertEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  eye,
  grad,
  matmul,
  qr,
  randn,
  ShapeError,
  sum,
  tensor,
  transpose,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("qr()", async (t) => {
  await t.step("closed form and reconstruction", () => {
    const { Q, R } = qr(tensor([[3, 1], [4, 1]]));
    assertAllClose(R, [[-5, -1.4], [0, -0.2]]);
    assertAllClose(Q, [[-0.6, -0.8], [-0.8, 0.6]]);
    for (const shape of [[4, 4], [6, 3], [3, 6]]) {
      const A = randn(shape, { seed: shape[0] });
      const { Q, R } = qr(A);
      const r = Math.min(shape[0], shape[1]);
      assertEquals([Q.shape, R.shape], [[shape[0], r], [r, shape[1]]]);
      assertAllClose(matmul(Q, R), A, { atol: 1e-12 });
      assertAllClose(matmul(transpose(Q), Q), eye(r), { atol: 1e-12 });
    }
    assertEquals(Deno.inspect(qr(tensor([[1]]))).startsWith("QrResult {"), true);
  });
  await t.step("rules against differences: Q and R, square and tall; both modes, order 2", () => {
    for (const shape of [[3, 3], [5, 3]]) {
      const A = randn(shape, { seed: 20 + shape[0] });
      checkRules(`Q ${shape}`, (A) => qr(A).Q, A);
      checkRules(`R ${shape}`, (A) => qr(A).R, A);
    }
  });
  await t.step("wide or rank-deficient: the derivative is refused", () => {
    assertThrows(
      () => grad((A) => sum(qr(A).R), randn([2, 3], { seed: 1 })),
      ValueError,
      "qr: the derivative is implemented for tall or square A",
    );
    assertThrows(
      () => grad((A) => sum(qr(A).R), tensor([[1, 2], [2, 4]])),
      ValueError,
      "full column rank",
    );
  });
  await t.step("bad shapes", () => {
    assertThrows(() => qr(tensor([1, 2])), ShapeError, "qr: A must be a matrix [m, n]");
  });
});
