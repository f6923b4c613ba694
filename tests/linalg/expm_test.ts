import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  diag,
  exp,
  expm,
  eye,
  frechet,
  grad,
  jvp,
  matmul,
  mul,
  neg,
  numericalJacobian,
  randn,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  trace,
  transpose,
  ValueError,
  zeros,
} from "matcalc";
import { checkOrders } from "../ops/derivs.ts";

// Expected values from scipy 1.17 (scipy.linalg.expm, expm_frechet).
const A = tensor([[1, 2, 0], [-1, 0.5, 3], [0.2, -2, 1]]);
const E = tensor([[0.3, -1, 2], [0, 1, 0.5], [1, 1, -1]]);

Deno.test("expm()", async (t) => {
  await t.step("against scipy, including a matrix that needs scaling", () => {
    assertAllClose(expm(A), [
      [1.851997492991547, 0.6081247641115746, 3.5938827489950027],
      [0.055325892843713476, -1.8939164470313492, 0.912187146167361],
      [1.3186714385594087, -0.3685325808452409, -0.5439243396717885],
    ], { rtol: 1e-13, atol: 1e-14 });
    // ‖A‖₁ = 12 > θ₁₃: scaled by 2², then squared twice.
    assertAllClose(expm(tensor([[0, 12], [-12, 0]])), [
      [0.8438539587324857, -0.5365729180004313],
      [0.5365729180004313, 0.8438539587324868],
    ], { rtol: 1e-12, atol: 1e-13 });
    // Moler and Van Loan's hard example (eigenvalues −1 and −17).
    assertAllClose(expm(tensor([[-49, 24], [-64, 31]])), [
      [-0.7357587581447559, 0.5518190996580998],
      [-1.4715175990882672, 1.1036382407155778],
    ], { rtol: 1e-10 });
  });
  await t.step("identities: diagonal, nilpotent, e^A e^(−A) = I, det e^A = e^tr A", () => {
    assertAllClose(expm(diag(tensor([1, -2, 0]))), diag(exp(tensor([1, -2, 0]))));
    assertEquals(expm(zeros([2, 2])).toArray(), [[1, 0], [0, 1]]);
    assertAllClose(expm(tensor([[0, 1], [0, 0]])), [[1, 1], [0, 1]]);
    assertAllClose(matmul(expm(A), expm(neg(A))), eye(3), { atol: 1e-13 });
    const X = randn([4, 4], { seed: 1 });
    const S = add(X, transpose(X));
    // e^S is symmetric for symmetric S.
    assertAllClose(expm(S), transpose(expm(S)), { rtol: 1e-12 });
    assertEquals(expm(tensor([[2]])).toArray(), [[Math.exp(2)]]);
    assertEquals(expm(zeros([0, 0])).shape, [0, 0]);
  });
  await t.step("derivatives: Fréchet derivative against scipy, finite differences, order 2", () => {
    const [, L] = jvp(expm, [A], [E]);
    const scipyL = [
      [3.0964979348198347, 0.49666644493076345, 2.029031030456246],
      [0.46050276294019155, 1.448660945901249, 1.4130224773243079],
      [0.7916053892502031, -0.12241514669706263, 1.564268848831683],
    ];
    assertAllClose(L, scipyL, { rtol: 1e-12, atol: 1e-13 });
    // ∂ tr(e^A) / ∂A = (e^A)ᵀ
    assertAllClose(grad((X) => trace(expm(X)), A), transpose(expm(A)), { rtol: 1e-12 });
    checkOrders(expm, mul(0.5, randn([3, 3], { seed: 2 })));
    checkOrders(expm, mul(3, randn([2, 2], { seed: 3 })), { rtol: 1e-5 });
  });
  await t.step("errors", () => {
    assertThrows(() => expm(zeros([2, 3])), ShapeError, "expm: A must be a square matrix");
    assertThrows(() => expm(tensor([1, 2])), ShapeError, "expm: A must be a square matrix [n, n]");
  });
});

Deno.test("frechet()", async (t) => {
  await t.step("closed forms: A², A³, expm (against scipy)", () => {
    const sq = (X: Tensor) => matmul(X, X);
    assertAllClose(frechet(sq, A, E), add(matmul(A, E), matmul(E, A)));
    const cube = (X: Tensor) => matmul(X, matmul(X, X));
    const L3 = add(add(matmul(matmul(E, A), A), matmul(matmul(A, E), A)), matmul(A, matmul(A, E)));
    assertAllClose(frechet(cube, A, E), L3);
    assertAllClose(frechet(expm, A, E), [
      [3.0964979348198347, 0.49666644493076345, 2.029031030456246],
      [0.46050276294019155, 1.448660945901249, 1.4130224773243079],
      [0.7916053892502031, -0.12241514669706263, 1.564268848831683],
    ], { rtol: 1e-12, atol: 1e-13 });
  });
  await t.step("against jvp and finite differences", () => {
    const f = (X: Tensor) => add(expm(X), matmul(X, X));
    assertAllClose(frechet(f, A, E), jvp(f, [A], [E])[1], { rtol: 1e-12, atol: 1e-13 });
    // Finite differences: J applied to E.
    const J = numericalJacobian(expm, A);
    const JE = sum(mul(J, E), [2, 3]);
    assertAllClose(frechet(expm, A, E), JE, { rtol: 1e-7, atol: 1e-8 });
  });
  await t.step("linear in E, differentiable again", () => {
    assertAllClose(frechet(expm, A, mul(2, E)), mul(2, frechet(expm, A, E)), { rtol: 1e-12 });
    checkOrders((X: Tensor) => frechet(expm, X, E), mul(0.3, A), { rtol: 1e-5 });
  });
  await t.step("errors", () => {
    assertThrows(() => frechet(expm, zeros([2, 3]), zeros([2, 3])), ShapeError, "frechet: A");
    assertThrows(() => frechet(expm, A, zeros([2, 2])), ShapeError, "frechet: E must have");
    assertThrows(
      () => frechet((X: Tensor) => sum(X), A, E),
      ShapeError,
      "frechet: f must map a [6, 6] matrix",
    );
    assertThrows(
      () => frechet(3 as unknown as (X: Tensor) => Tensor, A, E),
      ValueError,
      "frechet: f must be a function",
    );
  });
});
