import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  arange,
  assertAllClose,
  expandDims,
  grad,
  hessian,
  jacfwd,
  jacrev,
  mul,
  numericalJacobian,
  randn,
  reshape,
  ShapeError,
  squeeze,
  sum,
  take,
  tanh,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "matcalc";

// Expected values are NumPy's (np.take, np.squeeze, np.expand_dims, A.T, A[i, j]).
const A = reshape(arange(6), [2, 3]); // [[0, 1, 2], [3, 4, 5]]
const B = reshape(arange(24), [2, 3, 4]);

/** Jacobians of f at x by both autodiff modes, each compared with central differences. */
function checkDerivatives(f: (x: Tensor) => Tensor, x: Tensor): void {
  const N = numericalJacobian(f, x);
  assertAllClose(jacfwd(f, x), N, { rtol: 1e-6, atol: 1e-8 });
  assertAllClose(jacrev(f, x), N, { rtol: 1e-6, atol: 1e-8 });
}

Deno.test("Tensor.T and Tensor.ndim", async (t) => {
  await t.step("2-D: the matrix transpose", () => {
    assertEquals(A.T.toArray(), [[0, 3], [1, 4], [2, 5]]);
    assertEquals(A.T.T.toArray(), A.toArray());
  });
  await t.step("other ranks reverse the axes, as NumPy's .T", () => {
    assertEquals(B.T.shape, [4, 3, 2]);
    assertEquals(B.T.at(3, 2, 1), B.at(1, 2, 3));
    assertEquals(tensor([1, 2]).T.toArray(), [1, 2]);
    assertEquals(tensor(7).T.toArray(), 7);
  });
  await t.step("ndim is the rank", () => {
    assertEquals([tensor(1).ndim, tensor([1]).ndim, A.ndim, B.ndim], [0, 1, 2, 3]);
  });
  await t.step("derivatives of .T, both modes", () => {
    checkDerivatives((x) => mul(x.T, x.T), randn([2, 3], { seed: 1 }));
  });
});

Deno.test("Tensor.get()", async (t) => {
  await t.step("integers drop their axes (A[0], A[1, 2], A[-1, -1])", () => {
    assertEquals(A.get(0).toArray(), [0, 1, 2]);
    assertEquals(A.get(-1).toArray(), [3, 4, 5]);
    assertEquals(A.get(1, 2).shape, []);
    assertEquals(A.get(1, 2).item(), 5);
    assertEquals(A.get(-1, -3).item(), 3);
    assertEquals(B.get(1, -1).toArray(), [20, 21, 22, 23]);
    assertEquals(A.get().toArray(), A.toArray());
  });
  await t.step("at() stays a number; a partial at() points to get()", () => {
    assertEquals(A.at(0, -1), 2);
    const e = assertThrows(() => A.at(0), ShapeError);
    assertEquals(
      e.message,
      "at: a tensor of shape [2, 3] needs 2 indices, got 1 ([0]); for a sub-tensor " +
        "(a row: x[0]) use x.get(0)",
    );
  });
  await t.step("errors name the op, the axis and its size", () => {
    assertEquals(
      assertThrows(() => A.get(2), ShapeError).message,
      "get: index 2 is out of bounds for axis 0 with size 2 (tensor of shape [2, 3]); " +
        "use an index in [-2, 1]",
    );
    assertEquals(
      assertThrows(() => A.get(0, -4), ShapeError).message,
      "get: index -4 is out of bounds for axis 1 with size 3 (tensor of shape [2, 3]); " +
        "use an index in [-3, 2]",
    );
    assertEquals(
      assertThrows(() => A.get(0, 0, 0), ShapeError).message,
      "get: too many indices for a tensor of shape [2, 3]: got 3 ([0, 0, 0]), the tensor has " +
        "2 axes",
    );
    assertThrows(() => A.get(0.5), ValueError, "index 0.5 on axis 0 is not an integer");
    assertThrows(() => zeros([0, 2]).get(0), ShapeError, "the axis is empty");
  });
  await t.step("derivatives: a row, an element, a tanh of an element (both modes)", () => {
    const x = randn([3, 4], { seed: 2 });
    checkDerivatives((x) => x.get(1), x);
    checkDerivatives((x) => x.get(-1, 2), x);
    checkDerivatives((x) => tanh(mul(x.get(0), x.get(-1))), x);
    // Closed form: d/dx x[1, 2]² is 2 x[1, 2] at [1, 2], zero elsewhere.
    const g = grad((x) => mul(x.get(1, 2), x.get(1, 2)), x);
    assertEquals(g.at(1, 2), 2 * x.at(1, 2));
    assertEquals(sum(g).item(), 2 * x.at(1, 2));
  });
});

Deno.test("take()", async (t) => {
  await t.step("along an axis: an array keeps it, an integer drops it", () => {
    assertEquals(take(A, [2, 0], 1).toArray(), [[2, 0], [5, 3]]);
    assertEquals(take(A, [1], 0).toArray(), [[3, 4, 5]]);
    assertEquals(take(A, 1, 0).toArray(), [3, 4, 5]);
    assertEquals(take(A, -1, 1).toArray(), [2, 5]);
    assertEquals(take(B, [0, 0], -1).shape, [2, 3, 2]);
    assertEquals(take(B, [3, 0], -1).get(1, 2).toArray(), [23, 20]);
  });
  await t.step("no axis: the flattened tensor; the result has the indices' shape", () => {
    assertEquals(take(A, 4).toArray(), 4);
    assertEquals(take(A, [[0, 5], [-1, 1]]).toArray(), [[0, 5], [5, 1]]);
    assertEquals(take(A, tensor([[1], [0]]), 0).toArray(), [[[3, 4, 5]], [[0, 1, 2]]]);
    assertEquals(take(A, [], 1).shape, [2, 0]);
  });
  await t.step("errors name the op, the index, the axis and its size", () => {
    assertEquals(
      assertThrows(() => take(A, [0, 3], 1), ShapeError).message,
      "take: index 3 is out of bounds for axis 1 with size 3 (tensor of shape [2, 3]); " +
        "use an index in [-3, 2]",
    );
    assertEquals(
      assertThrows(() => take(A, -7), ShapeError).message,
      "take: index -7 is out of bounds for the flattened tensor of size 6 (shape [2, 3], no " +
        "axis given); use an index in [-6, 5]",
    );
    assertThrows(() => take(A, 0, 2), ShapeError, "take: axis 2 is out of bounds");
    assertThrows(() => take(A, [1.5], 0), ValueError, "take: index 1.5 (position 0)");
    assertThrows(() => take(A, [[0], [1, 2]], 0), ShapeError, "take: indices are ragged");
    assertThrows(() => take(A, "0" as unknown as number), ValueError, 'got string "0"');
  });
  await t.step("derivatives: repeated indices accumulate (both modes, order 2)", () => {
    const x = randn([3, 4], { seed: 3 });
    checkDerivatives((x) => take(x, [2, 0, 2], 0), x);
    checkDerivatives((x) => take(x, [[1, -1], [0, 0]], 1), x);
    checkDerivatives((x) => take(x, [5, 5, 11]), x);
    // Closed form: d/dv sum(take(v, [0, 0, 2])) counts how often each entry is taken.
    assertEquals(grad((v) => sum(take(v, [0, 0, 2])), tensor([1, 2, 3])).toArray(), [2, 0, 1]);
    // Order 2: the Hessian of sum(take(v, idx)²) is 2·diag(counts).
    const H = hessian((v) => sum(mul(take(v, [0, 0, 2]), take(v, [0, 0, 2]))), tensor([1, 2, 3]));
    assertEquals(H.toArray(), [[4, 0, 0], [0, 0, 0], [0, 0, 2]]);
  });
});

Deno.test("squeeze()", async (t) => {
  await t.step("all size-1 axes, or the ones named", () => {
    assertEquals(squeeze(zeros([1, 3, 1])).shape, [3]);
    assertEquals(squeeze(zeros([1, 3, 1]), 0).shape, [3, 1]);
    assertEquals(squeeze(zeros([1, 3, 1]), [-1, 0]).shape, [3]);
    assertEquals(squeeze(zeros([1, 1])).shape, []);
    assertEquals(squeeze(tensor([[5, 6]])).toArray(), [5, 6]);
    assertEquals(squeeze(A).shape, [2, 3]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => squeeze(zeros([1, 3]), 1), ShapeError).message,
      "squeeze: cannot remove axis 1 of a tensor of shape [1, 3]: its size is 3, not 1; only " +
        "axes of size 1 can be squeezed",
    );
    assertThrows(() => squeeze(zeros([1, 3]), 2), ShapeError, "squeeze: axis 2 is out of bounds");
  });
  await t.step("derivatives, both modes", () => {
    checkDerivatives((x) => tanh(squeeze(x)), randn([1, 3, 1], { seed: 4 }));
  });
});

Deno.test("expandDims()", async (t) => {
  await t.step("positions refer to the result, as np.expand_dims", () => {
    const x = tensor([1, 2, 3]);
    assertEquals(expandDims(x, 0).toArray(), [[1, 2, 3]]);
    assertEquals(expandDims(x, 1).toArray(), [[1], [2], [3]]);
    assertEquals(expandDims(x, -1).shape, [3, 1]);
    assertEquals(expandDims(x, [0, 2]).shape, [1, 3, 1]);
    assertEquals(expandDims(x, [0, 1]).shape, [1, 1, 3]);
    assertEquals(expandDims(A, -2).shape, [2, 1, 3]);
    assertEquals(expandDims(tensor(5), 0).toArray(), [5]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => expandDims(tensor([1, 2]), 2),
      ShapeError,
      "expandDims: axis 2 is out of bounds for a tensor of shape [0, 0] (rank 2)",
    );
    assertThrows(() => expandDims(tensor([1, 2]), [0, 0]), ShapeError, "axis 0 is repeated");
  });
  await t.step("derivatives, both modes", () => {
    checkDerivatives((x) => mul(expandDims(x, 0), expandDims(x, 1)), randn([3], { seed: 5 }));
  });
});

Deno.test("assertEquals() on tensors compares their elements", async (t) => {
  await t.step("W.T.T is W, so deep equality through the .T getter ends", () => {
    assertStrictEquals(A.T.T, A);
    assertEquals(tensor([[1, 2], [3, 4]]), tensor([[1, 2], [3, 4]]));
  });
  await t.step("a different element or shape fails", () => {
    assertThrows(() => assertEquals(tensor([[1, 2], [3, 4]]), tensor([[1, 2], [3, 5]])));
    assertThrows(() => assertEquals(tensor([1, 2, 3, 4]), tensor([[1, 2], [3, 4]])));
  });
});
