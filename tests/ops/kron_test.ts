import { assertEquals, assertThrows } from "@std/assert";
import {
  arange,
  assertGrad,
  eye,
  grad,
  kron,
  randn,
  reshape,
  sum,
  tensor,
  ValueError,
  zeros,
} from "matcalc";

Deno.test("kron()", async (t) => {
  await t.step("matrix ⊗ matrix, literal", () => {
    const A = tensor([[1, 2], [3, 4]]);
    const B = tensor([[0, 5], [6, 7]]);
    assertEquals(kron(A, B).toArray(), [
      [0, 5, 0, 10],
      [6, 7, 12, 14],
      [0, 15, 0, 20],
      [18, 21, 24, 28],
    ]);
    assertEquals(kron(tensor([[1, 2]]), tensor([[1], [10]])).toArray(), [[1, 2], [10, 20]]);
  });
  await t.step("numpy.kron's shape rule: ranks padded with leading 1s", () => {
    assertEquals(kron(tensor([1, 10]), tensor([1, 2, 3])).toArray(), [1, 2, 3, 10, 20, 30]);
    assertEquals(kron(tensor([1, 2]), zeros([2, 3])).shape, [2, 6]);
    assertEquals(kron(zeros([2, 3]), tensor([1, 2])).shape, [2, 6]);
    assertEquals(kron(zeros([2, 1, 3]), zeros([4, 5])).shape, [2, 4, 15]);
    assertEquals(kron(tensor([1, 2]), tensor([[1], [1]])).toArray(), [[1, 2], [1, 2]]);
  });
  await t.step("3-D blocks", () => {
    const A = reshape(arange(2), [1, 2, 1]);
    const B = reshape(arange(4, 8), [2, 1, 2]);
    // out[i0·2+j0, i1·1+j1, i2·2+j2] = A[i0, i1, i2] · B[j0, j1, j2]
    assertEquals(kron(A, B).toArray(), [[[0, 0], [4, 5]], [[0, 0], [6, 7]]]);
  });
  await t.step("edge shapes: scalars, 1×n, n×1, empty", () => {
    assertEquals(kron(2, 3).item(), 6);
    assertEquals(kron(2, tensor([[1, 2]])).toArray(), [[2, 4]]);
    assertEquals(kron(tensor([[1], [2]]), tensor([[1, 2]])).toArray(), [[1, 2], [2, 4]]);
    assertEquals(kron(zeros([0, 3]), eye(2)).shape, [0, 6]);
    assertEquals(kron(eye(2), zeros([2, 0])).shape, [4, 0]);
  });
  await t.step("I ⊗ B is block diagonal, B ⊗ I interleaves", () => {
    const B = tensor([[1, 2], [3, 4]]);
    assertEquals(kron(B, eye(2)).toArray(), [
      [1, 0, 2, 0],
      [0, 1, 0, 2],
      [3, 0, 4, 0],
      [0, 3, 0, 4],
    ]);
  });
  await t.step("does not modify its inputs", () => {
    const a = tensor([1, 2]), b = tensor([3, 4]);
    kron(a, b);
    assertEquals([a.toArray(), b.toArray()], [[1, 2], [3, 4]]);
  });
  await t.step("gradient literal: ∂ Σ(A⊗B) / ∂A = Σ B everywhere", () => {
    const B = tensor([[1, 2], [3, 4]]);
    assertEquals(grad((A) => sum(kron(A, B)), zeros([2, 3])).toArray(), [
      [10, 10, 10],
      [10, 10, 10],
    ]);
  });
  await t.step("VJP and JVP match finite differences on several shapes", () => {
    const shapes: [number[], number[]][] = [
      [[2, 3], [3, 2]],
      [[3], [2, 2]],
      [[2, 1, 2], [2, 3]],
      [[], [3]],
      [[1, 4], [3, 1]],
    ];
    shapes.forEach(([sa, sb], k) =>
      assertGrad(kron, [randn(sa, { seed: 2 * k }), randn(sb, { seed: 2 * k + 1 })])
    );
  });
  await t.step("second derivatives: the rules are differentiable", () => {
    // f(A) = Σ (A⊗A): ∂f/∂A[i] = 2 Σ A, so the gradient of Σ ∂f/∂A is 2·size everywhere.
    const g2 = grad((A) => sum(grad((X) => sum(kron(X, X)), A)), tensor([[1, 2], [3, 4]]));
    assertEquals(g2.toArray(), [[8, 8], [8, 8]]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => kron(zeros([100000, 1]), zeros([100000, 1])), ValueError).message,
      "kron: the result of shape [10000000000, 1] would hold 10000000000 numbers (8e+10 bytes, 80 GB), more than a Float64Array can hold (1073741823 numbers, 8.59e+9 bytes, 8.59 GB); use a smaller shape or a structured form",
    );
    assertEquals(
      assertThrows(() => kron("a" as never, 1), ValueError).message,
      'kron: operand must be a Tensor or a number, got string "a"; build a tensor with tensor(…)',
    );
  });
});
