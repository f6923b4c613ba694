import { assertEquals, assertThrows } from "@std/assert";
import { argmax, ShapeError, tensor, ValueError, zeros } from "matcalc";

Deno.test("argmax()", async (t) => {
  await t.step("over each axis of a matrix, first index on ties", () => {
    const A = tensor([[1, 7, 7], [9, 0, 2]]);
    assertEquals(argmax(A, 0).toArray(), [1, 0, 0]);
    assertEquals(argmax(A, 1).toArray(), [1, 0]);
    assertEquals(argmax(A, -1).toArray(), [1, 0]);
    assertEquals(argmax(A).item(), 3);
  });
  await t.step("middle axis of a rank-3 tensor", () => {
    const A = tensor([[[1, 5], [3, 2]], [[0, 0], [4, -1]]]);
    assertEquals(argmax(A, 1).toArray(), [[1, 0], [1, 0]]);
  });
  await t.step("NaN counts as the largest, as in NumPy", () => {
    assertEquals(argmax(tensor([1, NaN, 5])).item(), 1);
  });
  await t.step("a vector and a 1×n matrix", () => {
    assertEquals(argmax(tensor([2, 8, 3])).item(), 1);
    assertEquals(argmax(tensor([[2, 8, 3]]), 1).toArray(), [1]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => argmax(zeros([0])), ValueError).message,
      "argmax: cannot take the argmax of an empty tensor (shape [0])",
    );
    assertEquals(
      assertThrows(() => argmax(zeros([2, 0]), 1), ValueError).message,
      "argmax: cannot take the argmax over axis 1 of size 0 (tensor of shape [2, 0])",
    );
    assertThrows(() => argmax(zeros([2, 3]), 2), ShapeError);
  });
});
