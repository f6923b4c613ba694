import { assertEquals, assertThrows } from "@std/assert";
import {
  arange,
  diag,
  diagonal,
  eye,
  grad,
  jacfwd,
  jacrev,
  mul,
  randn,
  reshape,
  ShapeError,
  sum,
  tensor,
  trace,
  ValueError,
  zeros,
} from "matcalc";
import { checkOrders } from "./derivs.ts";

Deno.test("diagonal()", async (t) => {
  const A = reshape(arange(12), [3, 4]);
  await t.step("offsets on a rectangular matrix (as numpy.diagonal)", () => {
    assertEquals(diagonal(A).toArray(), [0, 5, 10]);
    assertEquals(diagonal(A, 1).toArray(), [1, 6, 11]);
    assertEquals(diagonal(A, 3).toArray(), [3]);
    assertEquals(diagonal(A, 4).toArray(), []);
    assertEquals(diagonal(A, -2).toArray(), [8]);
    assertEquals(diagonal(A, -5).shape, [0]);
  });
  await t.step("axes: the diagonal becomes the last axis", () => {
    const B = reshape(arange(24), [2, 3, 4]);
    // numpy: np.arange(24).reshape(2,3,4).diagonal() → [[0, 16], [1, 17], [2, 18], [3, 19]]
    assertEquals(diagonal(B).toArray(), [[0, 16], [1, 17], [2, 18], [3, 19]]);
    assertEquals(diagonal(B, 0, 1, 2).toArray(), [[0, 5, 10], [12, 17, 22]]);
    // Swapping the axes transposes each slice: the offset then reads below.
    assertEquals(diagonal(B, 1, 2, 1).toArray(), [[4, 9], [16, 21]]);
    assertEquals(diagonal(B, 0, -2, -1).toArray(), diagonal(B, 0, 1, 2).toArray());
  });
  await t.step("trace is the sum of the diagonal", () => {
    const X = randn([4, 4], { seed: 9 });
    assertEquals(sum(diagonal(X)).item(), trace(X).item());
  });
  await t.step("derivative puts the cotangent back on the diagonal; both modes; order 2", () => {
    assertEquals(grad((M) => sum(diagonal(M, 1)), zeros([2, 3])).toArray(), [[0, 1, 0], [
      0,
      0,
      1,
    ]]);
    checkOrders((M) => diagonal(M, -1), randn([3, 3], { seed: 10 }));
    checkOrders((M) => mul(diagonal(M, 1, 0, 2), diagonal(M, 1, 2, 0)), randn([3, 2, 3]));
  });
  await t.step("errors", () => {
    assertThrows(() => diagonal(tensor([1, 2])), ShapeError, "diagonal: cannot take a diagonal");
    assertThrows(() => diagonal(A, 0, 1, -1), ValueError, "diagonal: axis1 and axis2 must differ");
    assertThrows(
      () => diagonal(A, 0.5),
      ValueError,
      "diagonal: diagonal offset must be an integer",
    );
    assertThrows(() => diagonal(A, 0, 0, 2), ShapeError, "diagonal: axis 2 is out of bounds");
  });
});

Deno.test("diag()", async (t) => {
  await t.step("vector → matrix, with offsets (as numpy.diag)", () => {
    assertEquals(diag(tensor([1, 2, 3])).toArray(), [[1, 0, 0], [0, 2, 0], [0, 0, 3]]);
    assertEquals(diag(tensor([1, 2]), -1).toArray(), [[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
    assertEquals(diag(tensor([7]), 2).toArray(), [[0, 0, 7], [0, 0, 0], [0, 0, 0]]);
    assertEquals(diag(zeros([0])).shape, [0, 0]);
    assertEquals(diag(tensor([1, 1])).toArray(), eye(2).toArray());
  });
  await t.step("matrix → vector", () => {
    const M = tensor([[1, 2, 3], [4, 5, 6]]);
    assertEquals(diag(M).toArray(), [1, 5]);
    assertEquals(diag(M, 2).toArray(), [3]);
    assertEquals(diag(diag(M)).toArray(), [[1, 0], [0, 5]]);
  });
  await t.step("derivatives both ways, both modes, order 2", () => {
    const J = jacfwd((v) => diag(v), tensor([1, 2]));
    assertEquals(J.shape, [2, 2, 2]);
    assertEquals(J.toArray(), [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]);
    assertEquals(
      jacrev((v) => diag(v, 1), tensor([1, 2])).toArray(),
      jacfwd(
        (v) => diag(v, 1),
        tensor([1, 2]),
      ).toArray(),
    );
    checkOrders((v) => mul(diag(v, 1), diag(v, 1)), randn([3], { seed: 11 }));
    checkOrders((M) => diag(M, -1), randn([3, 4], { seed: 12 }));
  });
  await t.step("errors", () => {
    assertThrows(() => diag(zeros([2, 2, 2])), ShapeError, "diag: expected a vector or a matrix");
    assertThrows(() => diag(tensor(1)), ShapeError, "diag: expected a vector or a matrix");
  });
});
