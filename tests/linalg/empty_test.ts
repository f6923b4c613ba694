import { assertEquals } from "@std/assert";
import { cholesky, det, eigh, inv, qr, slogdet, solve, svd, zeros } from "../../lib/mod.ts";

Deno.test("empty matrices and empty stacks follow numpy's shapes", async (t) => {
  await t.step("0×0: det 1, log|det| 0, empty inverse and factors", () => {
    assertEquals(det(zeros([0, 0])).item(), 1);
    assertEquals(slogdet(zeros([0, 0])).logabsdet.item(), 0);
    assertEquals(inv(zeros([0, 0])).shape, [0, 0]);
    assertEquals(solve(zeros([0, 0]), zeros([0])).shape, [0]);
    assertEquals(cholesky(zeros([0, 0])).shape, [0, 0]);
    assertEquals(eigh(zeros([0, 0])).eigenvectors.shape, [0, 0]);
    assertEquals(svd(zeros([0, 3])).Vh.shape, [0, 3]);
    assertEquals(qr(zeros([2, 0])).Q.shape, [2, 0]);
  });
  await t.step("a stack of no matrices", () => {
    assertEquals(det(zeros([0, 2, 2])).shape, [0]);
    assertEquals(inv(zeros([0, 2, 2])).shape, [0, 2, 2]);
    assertEquals(cholesky(zeros([0, 2, 2])).shape, [0, 2, 2]);
    assertEquals(eigh(zeros([3, 0, 2, 2])).eigenvalues.shape, [3, 0, 2]);
    assertEquals(solve(zeros([0, 2, 2]), zeros([2])).shape, [0, 2]);
  });
});
