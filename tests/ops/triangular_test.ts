import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  arange,
  grad,
  jacfwd,
  randn,
  reshape,
  ShapeError,
  sum,
  tensor,
  tril,
  triu,
  ValueError,
} from "matcalc";
import { checkOrders } from "./derivs.ts";

Deno.test("tril() and triu()", async (t) => {
  const A = reshape(add(arange(12), 1), [3, 4]);
  await t.step("offsets, rectangular (as numpy.tril/triu)", () => {
    assertEquals(tril(A).toArray(), [[1, 0, 0, 0], [5, 6, 0, 0], [9, 10, 11, 0]]);
    assertEquals(tril(A, 1).toArray(), [[1, 2, 0, 0], [5, 6, 7, 0], [9, 10, 11, 12]]);
    assertEquals(tril(A, -2).toArray(), [[0, 0, 0, 0], [0, 0, 0, 0], [9, 0, 0, 0]]);
    assertEquals(triu(A).toArray(), [[1, 2, 3, 4], [0, 6, 7, 8], [0, 0, 11, 12]]);
    assertEquals(triu(A, -1).toArray(), [[1, 2, 3, 4], [5, 6, 7, 8], [0, 10, 11, 12]]);
    assertEquals(triu(A, 5).toArray(), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    // tril(A, k) + triu(A, k + 1) = A
    assertEquals(add(tril(A, 1), triu(A, 2)).toArray(), A.toArray());
  });
  await t.step("stacks of matrices: the last two axes", () => {
    const S = reshape(arange(8), [2, 2, 2]);
    assertEquals(tril(S).toArray(), [[[0, 0], [2, 3]], [[4, 0], [6, 7]]]);
    assertEquals(triu(S).toArray(), [[[0, 1], [0, 3]], [[4, 5], [0, 7]]]);
  });
  await t.step("an Infinity outside the triangle gives 0, not NaN", () => {
    assertEquals(tril(tensor([[1, Infinity], [2, 3]])).toArray(), [[1, 0], [2, 3]]);
  });
  await t.step("derivative is the same mask, both modes, order 2", () => {
    assertEquals(grad((M) => sum(tril(M)), tensor([[5, 5], [5, 5]])).toArray(), [[1, 0], [1, 1]]);
    assertEquals(jacfwd((M) => triu(M), tensor([[1, 2], [3, 4]])).at(1, 0, 1, 0), 0);
    const X = randn([3, 3], { seed: 8 });
    checkOrders((M) => tril(M, -1), X);
    checkOrders((M) => triu(M, 1), X);
  });
  await t.step("errors", () => {
    assertThrows(() => tril(tensor([1, 2])), ShapeError, "tril: cannot take a triangle");
    assertThrows(() => triu(A, 0.5), ValueError, "triu: diagonal offset k must be an integer");
  });
});
