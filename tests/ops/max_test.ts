import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  assertGrad,
  grad,
  jvp,
  max,
  min,
  randn,
  ShapeError,
  tensor,
  ValueError,
  zeros,
} from "matcalc";

Deno.test("max()", async (t) => {
  const A = tensor([[1, 5, 2], [4, 0, 6]]);
  await t.step("over all axes, one axis, several axes", () => {
    assertEquals(max(A).item(), 6);
    assertEquals(max(A).shape, []);
    assertEquals(max(A, 0).toArray(), [4, 5, 6]);
    assertEquals(max(A, 1).toArray(), [5, 6]);
    assertEquals(max(A, -1).toArray(), [5, 6]);
    assertEquals(max(A, [0, 1]).toArray(), 6);
    assertEquals(max(A, []).toArray(), A.toArray());
  });
  await t.step("keepdims", () => {
    assertEquals(max(A, 1, { keepdims: true }).toArray(), [[5], [6]]);
    assertEquals(max(A, undefined, { keepdims: true }).shape, [1, 1]);
  });
  await t.step("edge shapes: scalar, 1×n, n×1, empty non-reduced axis", () => {
    assertStrictEquals(max(tensor(-3)).item(), -3);
    assertEquals(max(7).item(), 7);
    assertEquals(max(tensor([[1, 9, 2]]), 1).toArray(), [9]);
    assertEquals(max(tensor([[1], [9], [2]]), 0).toArray(), [9]);
    assertEquals(max(zeros([3, 0]), 0).shape, [0]);
  });
  await t.step("negative numbers, infinities and NaN (NaN propagates, as in NumPy)", () => {
    assertStrictEquals(max(tensor([-5, -2, -9])).item(), -2);
    assertStrictEquals(max(tensor([-Infinity, -1])).item(), -1);
    assert(Number.isNaN(max(tensor([1, NaN, 3])).item()));
    assert(Number.isNaN(max(tensor([NaN, 1, 3])).item()));
    assertEquals(max(tensor([[NaN, 1], [2, 3]]), 0).toArray(), [NaN, 3]);
  });
  await t.step("does not modify its input", () => {
    const x = tensor([3, 1, 2]);
    max(x, 0);
    assertEquals(x.toArray(), [3, 1, 2]);
  });
  await t.step("gradient goes to the argmax, split evenly among ties", () => {
    assertEquals(grad((x) => max(x), tensor([1, 7, 3])).toArray(), [0, 1, 0]);
    assertEquals(grad((x) => max(x), tensor([3, 1, 3])).toArray(), [0.5, 0, 0.5]);
    const g = grad((x) => max(x), tensor([[2, 2], [2, 2]]));
    assertEquals(g.toArray(), [[0.25, 0.25], [0.25, 0.25]]);
    const [, dy] = jvp((x) => max(x, 1), tensor([[1, 4], [5, 5]]), tensor([[10, 20], [30, 40]]));
    assertEquals(dy.toArray(), [20, 35]);
  });
  await t.step("VJP and JVP match finite differences", () => {
    assertGrad((x) => max(x), [randn([4], { seed: 1 })]);
    assertGrad((x) => max(x, 0), [randn([3, 4], { seed: 2 })]);
    assertGrad((x) => max(x, [0, 2], { keepdims: true }), [randn([2, 3, 4], { seed: 3 })]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => max(zeros([2, 3]), 2), ShapeError).message,
      "max: axis 2 is out of bounds for a tensor of shape [2, 3] (rank 2); use an integer in [-2, 1]",
    );
    assertEquals(
      assertThrows(() => max(zeros([0, 3])), ValueError).message,
      "max: cannot reduce a tensor of shape [0, 3] over axes [0, 1]: an empty axis has no maximum; reduce over non-empty axes only",
    );
    assertEquals(
      assertThrows(() => max(zeros([2]), 0.5), ShapeError).message,
      "max: axis 0.5 is out of bounds for a tensor of shape [2] (rank 1); use an integer in [-1, 0]",
    );
    assertEquals(
      assertThrows(() => max("x" as never), ValueError).message,
      'max: operand must be a Tensor or a number, got string "x"; build a tensor with tensor(…)',
    );
  });
});

Deno.test("min()", async (t) => {
  const A = tensor([[1, 5, 2], [4, 0, 6]]);
  await t.step("literal cases", () => {
    assertStrictEquals(min(A).item(), 0);
    assertEquals(min(A, 0).toArray(), [1, 0, 2]);
    assertEquals(min(A, 1, { keepdims: true }).toArray(), [[1], [0]]);
    assertEquals(min(tensor(2)).item(), 2);
  });
  await t.step("gradient splits among tied minima", () => {
    assertEquals(grad((x) => min(x), tensor([0, 1, 0, 0])).toArray(), [1 / 3, 0, 1 / 3, 1 / 3]);
  });
  await t.step("VJP and JVP match finite differences", () => {
    assertGrad((x) => min(x, 1), [randn([3, 5], { seed: 4 })]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => min(zeros([2, 3]), [1, -1]), ShapeError).message,
      "min: axis -1 is repeated in [1, -1]",
    );
    assertEquals(
      assertThrows(() => min(zeros([2, 0]), 1), ValueError).message,
      "min: cannot reduce a tensor of shape [2, 0] over axes [1]: an empty axis has no minimum; reduce over non-empty axes only",
    );
  });
});
