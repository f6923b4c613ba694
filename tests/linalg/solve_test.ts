import { assertEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  matmul,
  randn,
  ShapeError,
  solve,
  tensor,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("solve()", async (t) => {
  const A = randn([4, 4], { seed: 1 });
  await t.step("vector, matrix and stacked right-hand sides", () => {
    assertAllClose(solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])), [2, 3]);
    const b = randn([4], { seed: 2 }), B = randn([4, 3], { seed: 3 });
    assertAllClose(matmul(A, solve(A, b)), b, { atol: 1e-12 });
    assertAllClose(matmul(A, solve(A, B)), B, { atol: 1e-12 });
    const As = tensor([[[2, 0], [0, 4]], [[1, 1], [0, 1]]]);
    assertAllClose(solve(As, tensor([2, 4])), [[1, 1], [-2, 4]]);
    assertAllClose(solve(As, tensor([[[2], [4]], [[3], [1]]])), [[[1], [1]], [[2], [1]]]);
    assertEquals(solve(As, tensor([[2, 1], [4, 1]])).shape, [2, 2, 2]);
    // One A, a stack of B.
    assertAllClose(solve(tensor([[2, 0], [0, 4]]), tensor([[[2], [4]], [[4], [8]]])), [[[1], [1]], [
      [2],
      [2],
    ]]);
  });
  await t.step("rules against differences in A and B: both modes, order 2", () => {
    const B = randn([4, 2], { seed: 5 }), b = randn([4], { seed: 6 });
    checkRules("solve wrt A", (A) => solve(A, B), A);
    checkRules("solve wrt B", (B) => solve(A, B), B);
    checkRules("solve wrt b", (b) => solve(A, b), b);
    checkRules("solve wrt A, vector b", (A) => solve(A, b), A);
    const As = randn([2, 3, 3], { seed: 7 }), b3 = randn([3], { seed: 8 });
    checkRules("solve wrt a stack of A", (As) => solve(As, b3), As, { order2: false });
    checkRules("solve wrt a stack of B", (Bs) => solve(As, Bs), randn([2, 3, 2], { seed: 9 }), {
      order2: false,
    });
  });
  await t.step("singular: ValueError naming solve, the shape and the condition", () => {
    assertThrows(
      () => solve(tensor([[1, 2], [2, 4]]), tensor([1, 1])),
      ValueError,
      "solve: cannot solve with the [2, 2] matrix: it is singular",
    );
    const H = tensor(
      Array.from({ length: 14 }, (_, i) => Array.from({ length: 14 }, (_, j) => 1 / (i + j + 1))),
    );
    assertThrows(
      () => solve(H, randn([14], { seed: 1 })),
      ValueError,
      "estimated condition number",
    );
  });
  await t.step("bad shapes", () => {
    assertThrows(
      () => solve(A, tensor([1, 2, 3])),
      ShapeError,
      "solve: cannot solve A X = B with A [4, 4] and B [3]: B has 3 rows, A has 4",
    );
    assertThrows(
      () => solve(tensor([[1, 2, 3]]), tensor([1])),
      ShapeError,
      "solve: A must be a square matrix",
    );
    assertThrows(
      () => solve(randn([2, 4, 4], { seed: 1 }), randn([3, 4, 1], { seed: 1 })),
      ShapeError,
      "leading axes [3] of B differ from A's [2]",
    );
  });
});
