import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  eigh,
  eye,
  grad,
  matmul,
  mul,
  randn,
  ShapeError,
  sum,
  tensor,
  transpose,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

const symm = (n: number, seed: number) => {
  const B = randn([n, n], { seed });
  return add(B, transpose(B));
};

forEachKernel("eigh()", async (t) => {
  await t.step("closed form and reconstruction", () => {
    const r = Math.SQRT1_2;
    const { eigenvalues, eigenvectors } = eigh(tensor([[2, 1], [1, 2]]));
    assertAllClose(eigenvalues, [1, 3]);
    assertAllClose(eigenvectors, [[r, r], [-r, r]]);
    const A = symm(6, 1);
    const { eigenvalues: w, eigenvectors: V } = eigh(A);
    assertAllClose(matmul(V, matmul(mul(eye(6), w), transpose(V))), A, { atol: 1e-12 });
    assertAllClose(matmul(transpose(V), V), eye(6), { atol: 1e-13 });
    const ws = w.data;
    for (let i = 1; i < 6; i++) assertEquals(ws[i - 1] <= ws[i], true);
    assertEquals(Deno.inspect(eigh(tensor([[1]]))).startsWith("EighResult {"), true);
  });
  await t.step("stacks", () => {
    const r = eigh(tensor([[[2, 1], [1, 2]], [[5, 0], [0, -1]]]));
    assertEquals(r.eigenvectors.shape, [2, 2, 2]);
    assertAllClose(r.eigenvalues, [[1, 3], [-1, 5]]);
  });
  await t.step("reads the symmetric part (A + Aᵀ)/2", () => {
    assertAllClose(eigh(tensor([[2, 0], [2, 2]])).eigenvalues, [1, 3]);
  });
  await t.step("rules against differences: values and vectors, both modes, order 2", () => {
    const A = symm(4, 2);
    checkRules("eigenvalues", (A) => eigh(A).eigenvalues, A);
    checkRules("eigenvectors", (A) => eigh(A).eigenvectors, A);
  });
  await t.step("repeated eigenvalues: value losses exact, vector derivatives refused", () => {
    const I = eye(3);
    // sum of eigenvalues = trace: gradient I even though all three coincide.
    assertAllClose(grad((A) => sum(eigh(A).eigenvalues), I), eye(3));
    assertAllClose(
      grad(
        (A) => sum(mul(eigh(A).eigenvalues, tensor([0, 0, 1]))),
        tensor([[1, 0, 0], [0, 1, 0], [0, 0, 2]]),
      ),
      [[0, 0, 0], [0, 0, 0], [0, 0, 1]],
    );
    assertThrows(
      () => grad((A) => sum(mul(eigh(A).eigenvectors, randn([3, 3], { seed: 1 }))), I),
      ValueError,
      "eigh: the derivative of the eigenvectors is undefined at repeated values",
    );
  });
  await t.step("bad shapes", () => {
    assertThrows(() => eigh(tensor([[1, 2, 3]])), ShapeError, "eigh: A must be a square matrix");
  });
});
