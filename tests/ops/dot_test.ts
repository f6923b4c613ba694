import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { arange, assertGrad, dot, randn, reshape, ShapeError, tensor, zeros } from "matcalc";

const A = tensor([[1, 2], [3, 4]]);
const B = tensor([[5, 6], [7, 8]]);

Deno.test("dot()", async (t) => {
  await t.step("vector · vector, matrix · vector, vector · matrix, matrix · matrix", () => {
    assertEquals(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(), 32);
    assertEquals(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).shape, []);
    assertEquals(dot(A, tensor([1, 1])).toArray(), [3, 7]);
    assertEquals(dot(tensor([1, 1]), A).toArray(), [4, 6]);
    assertEquals(dot(A, B).toArray(), [[19, 22], [43, 50]]);
  });
  await t.step("scalars scale", () => {
    assertEquals(dot(2, tensor([1, 2])).toArray(), [2, 4]);
    assertEquals(dot(A, tensor(0.5)).toArray(), [[0.5, 1], [1.5, 2]]);
    assertEquals(dot(3, 4).item(), 12);
  });
  await t.step("N-D: last axis of a with second-to-last of b", () => {
    const T = reshape(arange(12), [2, 3, 2]);
    const d = dot(T, A);
    assertEquals(d.shape, [2, 3, 2]);
    assertEquals(d.toArray(), [
      [[3, 4], [11, 16], [19, 28]],
      [[27, 40], [35, 52], [43, 64]],
    ]);
    assertEquals(dot(T, tensor([1, -1])).toArray(), [[-1, -1, -1], [-1, -1, -1]]);
    assertEquals(dot(A, reshape(arange(12), [3, 2, 2])).shape, [2, 3, 2]);
  });
  await t.step("edge shapes: empty, 1×n, n×1", () => {
    assertStrictEquals(dot(zeros([0]), zeros([0])).item(), 0);
    assertEquals(dot(zeros([2, 0]), zeros([0, 3])).toArray(), [[0, 0, 0], [0, 0, 0]]);
    assertEquals(dot(tensor([[1, 2, 3]]), tensor([[1], [1], [1]])).toArray(), [[6]]);
    assertEquals(dot(tensor([[1], [2]]), tensor([[3, 4]])).toArray(), [[3, 4], [6, 8]]);
  });
  await t.step("differentiates through matmul/tensordot", () => {
    assertGrad(dot, [randn([3], { seed: 1 }), randn([3], { seed: 2 })]);
    assertGrad(dot, [randn([2, 2, 3], { seed: 1 }), randn([3, 2], { seed: 2 })]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => dot(zeros([2, 3]), zeros([4, 5])), ShapeError).message,
      "dot: cannot multiply [2, 3] by [4, 5]: the last axis of a (3) must match axis -2 of b (4)",
    );
    assertEquals(
      assertThrows(() => dot(zeros([2, 3]), zeros([4])), ShapeError).message,
      "dot: cannot multiply [2, 3] by [4]: the last axis of a (3) must match the length of b (4)",
    );
  });
});
