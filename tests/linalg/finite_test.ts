// The factorizations and solves refuse NaN and infinities up front, naming the op, the argument,
// its shape and the first bad entry (as SciPy's check_finite does), on either backend: LAPACK
// would otherwise answer from a partial read (±√2 as the eigenvalues of [[4, 1], [1, NaN]]) and
// the TypeScript kernels with NaN or a misleading "singular" or "not positive definite".
import { assertEquals, assertThrows } from "@std/assert";
import {
  cholesky,
  det,
  eigh,
  inv,
  logdet,
  matrixPower,
  norm,
  pinv,
  qr,
  slogdet,
  solve,
  solveTriangular,
  svd,
  type Tensor,
  tensor,
  ValueError,
} from "../../lib/mod.ts";

const BAD = tensor([[4, 1], [1, NaN]]);
const OPS: [string, (a: Tensor) => unknown, string?][] = [
  ["cholesky", cholesky],
  ["det", det],
  ["eigh", eigh],
  ["inv", inv],
  ["logdet", logdet],
  ["slogdet", slogdet],
  ["qr", qr],
  ["svd", svd],
  ["pinv", pinv],
  ["solve", (a) => solve(a, tensor([1, 2]))],
  ["solveTriangular", (a) => solveTriangular(a, tensor([1, 2]))],
  ["norm (ord 2)", (a) => norm(a, 2), "x"],
  ["matrixPower (k < 0)", (a) => matrixPower(a, -2)],
];

Deno.test("linalg ops refuse a NaN in A, naming the op and the entry", () => {
  for (const [op, f, arg = "A"] of OPS) {
    assertThrows(
      () => f(BAD),
      ValueError,
      `${op}: ${arg} of shape [2, 2] has NaN at index [1, 1]; ${op} needs finite entries`,
    );
  }
});

Deno.test("an infinity in a stack is found by its batch index, and counted", () => {
  const A = tensor([[[1, 0], [0, 1]], [[Infinity, 0], [0, -Infinity]]]);
  assertThrows(
    () => inv(A),
    ValueError,
    "inv: A of shape [2, 2, 2] has Infinity at index [1, 0, 0] (and 1 more non-finite entries)",
  );
});

Deno.test("the right-hand side of solve and solveTriangular is checked too", () => {
  const A = tensor([[2, 0], [1, 1]]);
  assertThrows(() => solve(A, tensor([1, -Infinity])), ValueError, "solve: B of shape [2] has");
  assertThrows(
    () => solveTriangular(A, tensor([[NaN], [1]]), { lower: true }),
    ValueError,
    "solveTriangular: B of shape [2, 1] has NaN at index [0, 0]",
  );
});

Deno.test("finite input is untouched; norms that need no SVD still propagate NaN", () => {
  assertEquals(det(tensor([[2, 1], [1, 3]])).item(), 5);
  assertEquals(Number.isNaN(norm(BAD).item()), true);
  assertEquals(Number.isNaN(norm(BAD, 1).item()), true);
});
