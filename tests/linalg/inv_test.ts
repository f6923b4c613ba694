import { assertEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  eye,
  inv,
  matmul,
  randn,
  ShapeError,
  tensor,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("inv()", async (t) => {
  await t.step("closed form and A A⁻¹ = I", () => {
    assertAllClose(inv(tensor([[4, 7], [2, 6]])), [[0.6, -0.7], [-0.2, 0.4]]);
    assertAllClose(inv(tensor([[4]])), [[0.25]]);
    const A = randn([6, 6], { seed: 1 });
    assertAllClose(matmul(A, inv(A)), eye(6), { atol: 1e-12 });
  });
  await t.step("stacks", () => {
    const A = randn([2, 3, 4, 4], { seed: 2 });
    const X = inv(A);
    assertEquals(X.shape, [2, 3, 4, 4]);
    // The matrix at index [1, 2] is inverted on its own.
    const A12 = tensor(
      Array.from({ length: 4 }, (_, i) => Array.from(A.data.slice(80 + 4 * i, 84 + 4 * i))),
    );
    assertAllClose(
      tensor(Array.from({ length: 4 }, (_, i) => Array.from(X.data.slice(80 + 4 * i, 84 + 4 * i)))),
      inv(A12),
    );
  });
  await t.step("rules against differences: both modes, order 2", () => {
    checkRules("inv", inv, randn([3, 3], { seed: 4 }));
    checkRules("inv stack", inv, randn([2, 2, 2], { seed: 5 }), { order2: false });
  });
  await t.step("singular and numerically singular: ValueError with the condition number", () => {
    assertThrows(
      () => inv(tensor([[1, 2], [2, 4]])),
      ValueError,
      "inv: cannot invert the [2, 2] matrix: it is singular (pivot 1",
    );
    assertThrows(
      () => inv(tensor([[1, 1], [1, 1 + 1e-17 + 2 ** -52 / 4]])),
      ValueError,
      "inv: cannot invert",
    );
    // Hilbert matrix of order 13: cond ≈ 1e18, not exactly singular, still refused.
    const H = tensor(
      Array.from({ length: 13 }, (_, i) => Array.from({ length: 13 }, (_, j) => 1 / (i + j + 1))),
    );
    const e = assertThrows(() => inv(H), ValueError);
    assertEquals(
      /estimated condition number \d\.\d\de\+(\d+)/.exec(e.message)?.[1] !== undefined,
      true,
    );
    assertThrows(
      () => inv(tensor([[[1, 0], [0, 1]], [[1, 2], [2, 4]]])),
      ValueError,
      "at index [1] of the [2, 2, 2] input",
    );
  });
  await t.step("bad shapes", () => {
    assertThrows(() => inv(tensor([[1, 2, 3]])), ShapeError, "inv: A must be a square matrix");
  });
});
