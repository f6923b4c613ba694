import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  eye,
  grad,
  hessian,
  kron,
  KronHessian,
  leastSquaresHessian,
  matmul,
  mul,
  outer,
  randn,
  reshape,
  ShapeError,
  solve,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  transpose,
  ValueError,
  zeros,
} from "matcalc";

const loss = (X: Tensor, Y: Tensor) => (W: Tensor) => mul(0.5, sum(square(sub(matmul(W, X), Y))));

Deno.test("leastSquaresHessian()", async (t) => {
  const X = randn([3, 6], { seed: 1 }), Y = randn([2, 6], { seed: 2 });
  const W = randn([2, 3], { seed: 3 });
  await t.step("equals the dense hessian, one sample and a batch", () => {
    const x = tensor([1, -2, 0.5]), y = tensor([0.3, 1]);
    const H1 = leastSquaresHessian(W, x);
    assertAllClose(H1.materialize(), hessian(loss(reshape(x, [3, 1]), reshape(y, [2, 1])), W));
    assertAllClose(
      hessian((V) => mul(0.5, sum(square(sub(matmul(V, x), y)))), W),
      H1.materialize(),
    );
    const H = leastSquaresHessian(W, X);
    assertEquals(H.shape, [2, 3, 2, 3]);
    assertAllClose(H.materialize(), hessian(loss(X, Y), W), { atol: 1e-12 });
    assertEquals(leastSquaresHessian(2, X).materialize().toArray(), H.materialize().toArray());
  });
  await t.step("vec order: column-stacked (X Xᵀ) ⊗ I_m; row-major I_m ⊗ X Xᵀ", () => {
    const H = leastSquaresHessian(W, X);
    const G = matmul(X, transpose(X));
    assertAllClose(H.toVecMatrix(), kron(G, eye(2)));
    assertAllClose(reshape(H.materialize(), [6, 6]), kron(eye(2), G));
    assertEquals(H.describe(), "I₂ ⊗ XXᵀ");
    assertEquals(leastSquaresHessian(W, tensor([1, 2, 3])).describe(), "I₂ ⊗ xxᵀ");
    assertEquals(
      String(H),
      "KronHessian I₂ ⊗ XXᵀ: dense shape [2, 3, 2, 3] (36 numbers, 288 B if materialized); " +
        "vec form (XXᵀ) ⊗ I₂",
    );
    // One sample: x xᵀ.
    const x = tensor([1, 2, 3]);
    assertAllClose(leastSquaresHessian(2, x).toVecMatrix(), kron(outer(x, x), eye(2)));
  });
  await t.step("apply and contract are H[V] = V X Xᵀ (symmetric)", () => {
    const H = leastSquaresHessian(W, X), V = randn([2, 3], { seed: 4 });
    const HV = matmul(V, matmul(X, transpose(X)));
    assertAllClose(H.apply(V), HV);
    assertAllClose(H.contract(V), HV);
  });
  await t.step("solve: Newton's step reaches the optimum of solve(X Xᵀ, X Yᵀ)ᵀ in one step", () => {
    const H = leastSquaresHessian(W, X);
    const V = randn([2, 3], { seed: 5 });
    assertAllClose(H.solve(H.apply(V)), V, { rtol: 1e-10 });
    const W1 = sub(W, H.solve(grad(loss(X, Y), W)));
    const Wstar = transpose(solve(matmul(X, transpose(X)), matmul(X, transpose(Y))));
    assertAllClose(W1, Wstar, { rtol: 1e-10 });
    assertAllClose(grad(loss(X, Y), W1), zeros([2, 3]), { atol: 1e-12 });
  });
  await t.step("damping: (H + λI)[V] = G", () => {
    const H = leastSquaresHessian(W, X), G = randn([2, 3], { seed: 6 });
    const V = H.solve(G, { damping: 0.5 });
    assertAllClose(add(H.apply(V), mul(0.5, V)), G, { rtol: 1e-10 });
  });
  await t.step("one sample, n > 1: x xᵀ is singular, solve says so; damping fixes it", () => {
    const H = leastSquaresHessian(2, tensor([1, 2, 3]));
    assertThrows(() => H.solve(randn([2, 3], { seed: 7 })), ValueError, "solve");
    const V = H.solve(tensor([[1, 0, 0], [0, 1, 0]]), { damping: 1e-3 });
    assertEquals(V.shape, [2, 3]);
  });
  await t.step("errors", () => {
    const H = leastSquaresHessian(W, X);
    assertThrows(
      () => H.solve(zeros([3, 2])),
      ShapeError,
      "KronHessian.solve: G must have the shape [2, 3]",
    );
    assertThrows(() => H.solve(zeros([2, 3]), { damping: -1 }), ValueError, "damping must be");
    assertThrows(
      () => leastSquaresHessian(zeros([2, 4]), X),
      ShapeError,
      "W must be a matrix [m, 3]",
    );
    assertThrows(() => leastSquaresHessian(2, zeros([2, 2, 2])), ShapeError, "X must be a sample");
    assertThrows(() => leastSquaresHessian(1.5, X), ValueError, "row count m");
    assertEquals(H instanceof KronHessian, true);
  });
});
