import { assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  eye,
  matmul,
  randn,
  scale,
  ShapeError,
  solveTriangular,
  tensor,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("solveTriangular()", async (t) => {
  const A = add(randn([4, 4], { seed: 1 }), scale(eye(4), 4));
  const B = randn([4, 2], { seed: 2 });
  await t.step("lower and upper, vector and matrix", () => {
    assertAllClose(solveTriangular(tensor([[2, 0], [1, 4]]), tensor([2, 9]), { lower: true }), [
      1,
      2,
    ]);
    assertAllClose(solveTriangular(tensor([[2, 1], [0, 4]]), tensor([4, 8])), [1, 2]);
    const U = tensor((A.toArray() as number[][]).map((r, i) => r.map((x, j) => (j >= i ? x : 0))));
    assertAllClose(matmul(U, solveTriangular(A, B)), B, { atol: 1e-12 });
  });
  await t.step("rules against differences in A and B: both modes, order 2", () => {
    for (const lower of [true, false]) {
      checkRules(`A lower=${lower}`, (A) => solveTriangular(A, B, { lower }), A);
      checkRules(`B lower=${lower}`, (B) => solveTriangular(A, B, { lower }), B);
    }
  });
  await t.step("zero diagonal and bad shapes", () => {
    assertThrows(
      () => solveTriangular(tensor([[1, 0], [5, 0]]), tensor([1, 1]), { lower: true }),
      ValueError,
      "solveTriangular: the triangular [2, 2] matrix is singular: its diagonal entry [1, 1] is 0",
    );
    assertThrows(
      () => solveTriangular(A, tensor([1, 2])),
      ShapeError,
      "solveTriangular: cannot solve A X = B with A [4, 4] and B [2]: B must be [4] or [4, k]",
    );
  });
});
