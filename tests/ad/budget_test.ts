import { assertEquals, assertMatch, assertStrictEquals, assertThrows } from "@std/assert";
import {
  DEFAULT_DENSE_BUDGET,
  getDenseBudget,
  hessian,
  jacfwd,
  jacobian,
  jacrev,
  matmul,
  numericalJacobian,
  ones,
  setDenseBudget,
  sum,
  ValueError,
  zeros,
} from "matcalc";

function withBudget(n: number, body: () => void): void {
  const previous = setDenseBudget(n);
  try {
    body();
  } finally {
    setDenseBudget(previous);
  }
}

Deno.test("setDenseBudget()", async (t) => {
  await t.step("default is 2²⁷ numbers (1 GiB) and the setter returns the previous value", () => {
    assertStrictEquals(getDenseBudget(), DEFAULT_DENSE_BUDGET);
    assertStrictEquals(DEFAULT_DENSE_BUDGET, 2 ** 27);
    const previous = setDenseBudget(5);
    assertStrictEquals(previous, 2 ** 27);
    assertEquals(setDenseBudget(previous), 5);
  });

  await t.step("jacobian of y = W x at m = n = 4096 names the shape and 550 GB", () => {
    // Only the output's shape is needed, so x and W can stay small in memory: W is 4096², x 4096.
    const x = ones([4096]);
    assertEquals(
      assertThrows(() => jacobian((W) => matmul(W, x), zeros([4096, 4096])), ValueError).message,
      "jacobian: the dense Jacobian of shape [4096, 4096, 4096] would need 550 GB " +
        "(68719476736 float64 numbers), over the dense budget of 134217728 numbers (1.07 GB); " +
        "use a structured form (jacobianOfMatmul(W, x), kronJacobian(A, B)) whose " +
        "contract(g) applies the chain rule in O(m·n), or vjp(f, x) / jvp(f, x, v) for one " +
        "product with the Jacobian without building it; or raise the budget with " +
        "setDenseBudget(n)",
    );
  });

  await t.step("the guard fires exactly above the budget, in every dense builder", () => {
    const x = ones([3]);
    const f = (W: typeof x) => matmul(W, x);
    withBudget(18, () => {
      assertEquals(jacrev(f, zeros([2, 3])).shape, [2, 2, 3]); // 12 ≤ 18
      assertMatch(
        assertThrows(() => jacrev(f, zeros([3, 3])), ValueError).message,
        /^jacrev: the dense Jacobian of shape \[3, 3, 3\] would need 216 B \(27 float64 numbers\)/,
      );
      assertMatch(
        assertThrows(() => jacfwd(f, zeros([3, 3])), ValueError).message,
        /^jacfwd: the dense Jacobian of shape \[3, 3, 3\]/,
      );
      assertMatch(
        assertThrows(() => hessian((v) => sum(v), zeros([5])), ValueError).message,
        /^hessian: the dense Jacobian of shape \[5, 5\] would need 200 B/,
      );
      assertMatch(
        assertThrows(() => numericalJacobian(f, zeros([3, 3])), ValueError).message,
        /^numericalJacobian: the finite-difference Jacobian of shape \[3, 3, 3\]/,
      );
    });
  });

  await t.step("rejects bad budgets", () => {
    assertEquals(
      assertThrows(() => setDenseBudget(-1), ValueError).message,
      "setDenseBudget: the budget must be a non-negative integer number of elements, got -1; " +
        "e.g. setDenseBudget(2 ** 27) for 1 GiB",
    );
    assertThrows(() => setDenseBudget(NaN), Error, "got NaN");
    assertStrictEquals(getDenseBudget(), 2 ** 27);
  });
});
