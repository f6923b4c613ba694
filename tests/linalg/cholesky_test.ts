import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  cholesky,
  eye,
  matmul,
  randn,
  ShapeError,
  tensor,
  transpose,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

const spd = (n: number, seed: number) => {
  const B = randn([n, n], { seed });
  return add(matmul(B, transpose(B)), eye(n));
};

forEachKernel("cholesky()", async (t) => {
  await t.step("closed form and reconstruction", () => {
    assertAllClose(cholesky(tensor([[4, 2], [2, 5]])), [[2, 0], [1, 2]]);
    const A = spd(5, 1);
    const L = cholesky(A);
    assertAllClose(matmul(L, transpose(L)), A, { atol: 1e-12 });
    assertEquals(L.data[1], 0);
    assertEquals(cholesky(tensor([[[4]], [[9]]])).toArray(), [[[2]], [[3]]]);
  });
  await t.step("reads the symmetric part", () => {
    assertAllClose(cholesky(tensor([[4, 0], [4, 5]])), [[2, 0], [1, 2]]);
  });
  await t.step("rules against differences: both modes, order 2", () => {
    checkRules("cholesky", cholesky, spd(3, 2));
  });
  await t.step("not positive definite: names the leading minor", () => {
    assertThrows(
      () => cholesky(tensor([[1, 2, 0], [2, 1, 0], [0, 0, 1]])),
      ValueError,
      "cholesky: the [3, 3] matrix is not positive definite: its leading minor of order 2 (A[:2, :2]) is not positive definite",
    );
    assertThrows(() => cholesky(tensor([[-1]])), ValueError, "leading minor of order 1");
    assertThrows(
      () => cholesky(tensor([[[1, 0], [0, 1]], [[1, 0], [0, -1]]])),
      ValueError,
      "at index [1] of the [2, 2, 2] input",
    );
  });
  await t.step("bad shapes", () => {
    assertThrows(() => cholesky(tensor([1, 2])), ShapeError, "cholesky: A must be a square matrix");
  });
});
