import { assertEquals, assertThrows } from "@std/assert";
import {
  arange,
  assertGrad,
  commutation,
  eye,
  matmul,
  randn,
  reshape,
  ShapeError,
  tensor,
  transpose,
  unvec,
  ValueError,
  vec,
  zeros,
} from "matcalc";

Deno.test("vec()", async (t) => {
  const A = tensor([[1, 2, 3], [4, 5, 6]]);
  await t.step("column stacking by default, row stacking with order C", () => {
    assertEquals(vec(A).toArray(), [1, 4, 2, 5, 3, 6]);
    assertEquals(vec(A, { order: "F" }).toArray(), [1, 4, 2, 5, 3, 6]);
    assertEquals(vec(A, { order: "C" }).toArray(), [1, 2, 3, 4, 5, 6]);
  });
  await t.step("edge shapes: scalar, vector, 1×n, n×1, empty, 3-D", () => {
    assertEquals(vec(tensor(5)).toArray(), [5]);
    assertEquals(vec(tensor([1, 2])).toArray(), [1, 2]);
    assertEquals(vec(tensor([[1, 2, 3]])).toArray(), [1, 2, 3]);
    assertEquals(vec(tensor([[1], [2]])).toArray(), [1, 2]);
    assertEquals(vec(zeros([0, 3])).shape, [0]);
    // F order on 3-D: the first index varies fastest.
    assertEquals(vec(reshape(arange(8), [2, 2, 2])).toArray(), [0, 4, 2, 6, 1, 5, 3, 7]);
  });
  await t.step("differentiable (it is a transpose and a reshape)", () => {
    assertGrad((x) => vec(x), [randn([2, 3], { seed: 1 })]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => vec(A, { order: "X" as never }), ValueError).message,
      'vec: order must be "F" (stack columns) or "C" (stack rows), got "X"',
    );
  });
});

Deno.test("unvec()", async (t) => {
  await t.step("inverts vec in both orders", () => {
    assertEquals(unvec(tensor([1, 4, 2, 5, 3, 6]), [2, 3]).toArray(), [[1, 2, 3], [4, 5, 6]]);
    assertEquals(unvec(tensor([1, 2, 3, 4, 5, 6]), [2, 3], { order: "C" }).toArray(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const T = randn([2, 3, 4], { seed: 3 });
    assertEquals(unvec(vec(T), T.shape).toArray(), T.toArray());
  });
  await t.step("accepts a column or a row", () => {
    assertEquals(unvec(tensor([[1], [3], [2], [4]]), [2, 2]).toArray(), [[1, 2], [3, 4]]);
    assertEquals(unvec(tensor([[1, 3, 2, 4]]), [2, 2]).toArray(), [[1, 2], [3, 4]]);
  });
  await t.step("edge shapes: scalar and empty targets", () => {
    assertEquals(unvec(tensor([7]), []).toArray(), 7);
    assertEquals(unvec(zeros([0]), [0, 3]).shape, [0, 3]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => unvec(zeros([5]), [2, 3]), ShapeError).message,
      "unvec: cannot unstack a vector of shape [5] into [2, 3]: it has 5 elements but the shape holds 6",
    );
    assertEquals(
      assertThrows(() => unvec(zeros([2, 3]), [3, 2]), ShapeError).message,
      "unvec: cannot unstack a tensor of shape [2, 3] into [3, 2]: expected a vector (rank 1, or a [n, 1] column); apply vec first",
    );
    assertEquals(
      assertThrows(() => unvec(zeros([6]), [2, -3]), ShapeError).message,
      "unvec: invalid shape [2, -3]: every dimension must be a non-negative integer, got -3",
    );
    assertEquals(
      assertThrows(() => unvec(zeros([6]), [2, 1.5]), ShapeError).message,
      "unvec: invalid shape [2, 1.5]: every dimension must be a non-negative integer, got 1.5",
    );
    assertEquals(
      assertThrows(() => unvec(zeros([6]), [2, NaN]), ShapeError).message,
      "unvec: invalid shape [2, NaN]: every dimension must be a non-negative integer, got NaN",
    );
  });
});

Deno.test("commutation()", async (t) => {
  await t.step("literal K for 2×2 and 2×3", () => {
    assertEquals(commutation(2, 2).toArray(), [
      [1, 0, 0, 0],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
    const A = tensor([[1, 2, 3], [4, 5, 6]]);
    assertEquals(matmul(commutation(2, 3), vec(A)).toArray(), [1, 2, 3, 4, 5, 6]);
    assertEquals(matmul(commutation(2, 3), vec(A)).toArray(), vec(transpose(A)).toArray());
  });
  await t.step("edge sizes: 1×n is the identity, 0 is empty", () => {
    assertEquals(commutation(1, 3).toArray(), eye(3).toArray());
    assertEquals(commutation(0, 3).shape, [0, 0]);
  });
  await t.step("errors", () => {
    const cases: [() => unknown, string][] = [
      [
        () => commutation(2.5, 3),
        "commutation: m must be a non-negative integer (a matrix dimension), got 2.5",
      ],
      [
        () => commutation(NaN, 3),
        "commutation: m must be a non-negative integer (a matrix dimension), got NaN",
      ],
      [
        () => commutation(2, -1),
        "commutation: n must be a non-negative integer (a matrix dimension), got -1",
      ],
      [
        () => commutation(Infinity, 1),
        "commutation: m must be a non-negative integer (a matrix dimension), got Infinity",
      ],
    ];
    for (const [f, message] of cases) assertEquals(assertThrows(f, ValueError).message, message);
    assertThrows(() => commutation(100000, 100000), ValueError);
  });
});
