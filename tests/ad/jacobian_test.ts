import { assertEquals, assertMatch, assertStrictEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  crossEntropy,
  grad,
  hessian,
  jacfwd,
  jacobian,
  jacrev,
  kron,
  matmul,
  mul,
  numericalJacobian,
  outer,
  randn,
  reshape,
  ShapeError,
  softmax,
  square,
  sub,
  sum,
  tanh,
  type Tensor,
  tensor,
  toVecMatrix,
  transpose,
  ValueError,
  zeros,
} from "matcalc";

const TOL = { rtol: 1e-6, atol: 1e-8 };

/** jacfwd, jacrev, jacobian and central differences all agree on f at x. */
function agreeAll(f: (...xs: Tensor[]) => Tensor, x: Tensor): Tensor {
  const Jr = jacrev(f, x), Jf = jacfwd(f, x), J = jacobian(f, x);
  const N = numericalJacobian(f, x);
  assertEquals(Jr.shape, N.shape);
  assertEquals(Jf.shape, N.shape);
  assertAllClose(Jr, Jf, { rtol: 1e-12, atol: 1e-12 });
  assertAllClose(J, Jr, { rtol: 1e-12, atol: 1e-12 });
  assertAllClose(Jr, N, TOL);
  return Jr;
}

Deno.test("jacobian()", async (t) => {
  await t.step("W ↦ W x has shape [m, m, n] and entries δᵢⱼ x[k]", () => {
    const m = 3, n = 4;
    const x = randn([n], { seed: 1 });
    const J = agreeAll((W) => matmul(W, x), randn([m, n], { seed: 2 }));
    assertEquals(J.shape, [m, m, n]);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        for (let k = 0; k < n; k++) assertStrictEquals(J.at(i, j, k), i === j ? x.at(k) : 0);
      }
    }
  });

  await t.step("shape is [...f(x).shape, ...x.shape] for scalar and rank-3 shapes", () => {
    assertEquals(jacobian((x) => sum(x), zeros([2, 3])).shape, [2, 3]);
    assertEquals(jacobian((x) => mul(x, 2), zeros([])).shape, []);
    assertEquals(jacobian((x) => mul(x, 2), zeros([1, 2, 1])).shape, [1, 2, 1, 1, 2, 1]);
    assertEquals(jacobian((x) => outer(x, x), zeros([2])).shape, [2, 2, 2]);
    assertEquals(jacobian((x) => x, zeros([0])).shape, [0, 0]);
  });

  await t.step("MLP layer tanh(W x + b): fwd = rev = numeric, with several inputs", () => {
    const x = randn([3], { seed: 3 });
    const W = randn([4, 3], { seed: 4 }), b = randn([4], { seed: 5 });
    const f = (W: Tensor, b: Tensor) => tanh(add(matmul(W, x), b));
    agreeAll((W) => f(W, b), W);
    agreeAll((b) => f(W, b), b);
    const [JW, Jb] = jacrev(f, [W, b]);
    const [FW, Fb] = jacfwd(f, [W, b]);
    const [NW, Nb] = numericalJacobian(f, [W, b]);
    assertAllClose(JW, FW, TOL);
    assertAllClose(Jb, Fb, TOL);
    assertAllClose(JW, NW, TOL);
    assertAllClose(Jb, Nb, TOL);
    const [GW, Gb] = jacobian(f, [W, b]);
    assertAllClose(GW, NW, TOL);
    assertAllClose(Gb, Nb, TOL);
  });

  await t.step("softmax cross-entropy: fwd = rev = numeric", () => {
    const x = randn([3], { seed: 6 });
    agreeAll((W) => crossEntropy(matmul(W, x), 1), randn([4, 3], { seed: 7 }));
    agreeAll((z) => softmax(z), randn([2, 3], { seed: 8 }));
  });

  await t.step("X ↦ A X B in vec form equals kron(Bᵀ, A)", () => {
    const A = randn([2, 3], { seed: 9 }), B = randn([4, 5], { seed: 10 });
    const J = agreeAll((X) => matmul(matmul(A, X), B), randn([3, 4], { seed: 11 }));
    assertEquals(J.shape, [2, 5, 3, 4]);
    assertAllClose(toVecMatrix(J, 2), kron(transpose(B), A), { rtol: 0, atol: 1e-12 });
    assertAllClose(toVecMatrix(J, 2, { order: "C" }), kron(A, transpose(B)), {
      rtol: 0,
      atol: 1e-12,
    });
  });

  await t.step("x ↦ xᵀ A x: fwd = rev = numeric, gradient (A + Aᵀ) x", () => {
    const A = randn([3, 3], { seed: 12 }), x = randn([3], { seed: 13 });
    const J = agreeAll((x) => matmul(x, matmul(A, x)), x);
    assertAllClose(J, matmul(add(A, transpose(A)), x), TOL);
  });

  await t.step("a tall output uses the forward sweep and agrees", () => {
    const f = (x: Tensor) => outer(x, tensor([1, 2, 3, 4, 5]));
    agreeAll(f, tensor([2, -1]));
  });

  await t.step("constant functions give zeros; one that ignores an input is refused", () => {
    assertEquals(jacrev(() => tensor([1, 2]), zeros([3])).toArray(), [[0, 0, 0], [0, 0, 0]]);
    assertEquals(jacfwd(() => tensor([1, 2]), zeros([1])).toArray(), [[0], [0]]);
    const [Ja, Jb] = jacobian((a, _b) => mul(a, 2), [tensor([1]), tensor([5])]);
    assertEquals(Ja.toArray(), [[2]]);
    assertEquals(Jb.toArray(), [[0]]);
    // (a) => … given [a, b] never sees b: its zero block would look like an answer.
    assertThrows(
      () => jacobian((a) => mul(a, 2), [tensor([1]), tensor([5])]),
      Error,
      "jacobian: f takes 1 argument but 2 inputs were given",
    );
  });

  await t.step("results carry no graph", () => {
    const J = jacrev((x) => square(x), tensor([1, 2]));
    assertEquals(J._node, undefined);
    assertEquals(J.data, new Float64Array([2, 0, 0, 4]));
  });

  await t.step("errors: non-Tensor result, tracer escape, bad x", () => {
    assertEquals(
      assertThrows(() => jacobian(() => 3 as unknown as Tensor, zeros([2])), ValueError).message,
      "jacobian: the function must return a Tensor, got number 3; wrap numbers with " +
        "tensor(…) or return a matcalc op's result",
    );
    assertMatch(
      assertThrows(() => jacfwd((x) => [x] as unknown as Tensor, zeros([2])), ValueError).message,
      /^jacfwd: the function must return a Tensor, got an array of length 1;/,
    );
    assertEquals(
      assertThrows(
        () => jacobian((x: Tensor) => tensor(Array.from(x.data, (v) => v * 2)), tensor([1, 2])),
        ValueError,
      ).message,
      "jacobian: the function read .data of a traced tensor; derivatives cannot flow " +
        "through raw numbers, so the result would silently be wrong. Build the computation " +
        "from matcalc ops (add, mul, matmul, sum, …), or call stopGradient(x) first to " +
        "treat x as a constant on purpose",
    );
    assertMatch(
      assertThrows(() => jacrev((x) => tensor([x.at(0)]), tensor([1])), ValueError).message,
      /^jacrev: the function read \.at\(\)/,
    );
    assertEquals(
      assertThrows(() => jacobian((x) => x, [1, 2] as unknown as Tensor), ValueError).message,
      "jacobian: x must be a Tensor or a non-empty array of Tensors, got an array of " +
        "length 2; differentiate with respect to several inputs as jacobian(f, [W, b])",
    );
  });
});

Deno.test("grad()", async (t) => {
  await t.step("½‖Wx − t‖² has gradient outer(Wx − t, x)", () => {
    const W = randn([3, 4], { seed: 20 }), x = randn([4], { seed: 21 });
    const target = randn([3], { seed: 22 });
    const g = grad((W) => mul(0.5, sum(square(sub(matmul(W, x), target)))), W);
    assertAllClose(g, outer(sub(matmul(W, x), target), x), { rtol: 1e-12, atol: 1e-12 });
  });

  await t.step("softmax cross-entropy gradient is (softmax(Wx) − onehot) xᵀ", () => {
    const W = randn([4, 3], { seed: 23 }), x = randn([3], { seed: 24 });
    const g = grad((W) => crossEntropy(matmul(W, x), 2), W);
    const onehot = tensor([0, 0, 1, 0]);
    assertAllClose(g, outer(sub(softmax(matmul(W, x)), onehot), x), { rtol: 1e-12, atol: 1e-14 });
  });

  await t.step("of a non-scalar function throws and suggests jacobian", () => {
    assertEquals(
      assertThrows(() => grad((x) => mul(x, 2), tensor([1, 2, 3])), ShapeError).message,
      "grad: f must return a scalar, got shape [3]; use jacobian(f, x) for the full " +
        "derivative, vjp(f, x) for a weighted sum of rows, or differentiate sum(f(x))",
    );
  });
});

Deno.test("hessian()", async (t) => {
  await t.step("x ↦ xᵀ A x gives A + Aᵀ", () => {
    const A = randn([4, 4], { seed: 30 });
    const H = hessian((x) => matmul(x, matmul(A, x)), randn([4], { seed: 31 }));
    assertEquals(H.shape, [4, 4]);
    assertAllClose(H, add(A, transpose(A)), { rtol: 1e-12, atol: 1e-12 });
    assertAllClose(H, transpose(H), { rtol: 0, atol: 0 });
  });

  await t.step(
    "shape [...x.shape, ...x.shape], equal to jacfwd∘jacrev, jacrev∘jacrev, numeric",
    () => {
      const f = (W: Tensor) => sum(tanh(matmul(W, tensor([1, -2, 0.5]))));
      const W = randn([2, 3], { seed: 32 });
      const H = hessian(f, W);
      assertEquals(H.shape, [2, 3, 2, 3]);
      assertAllClose(jacfwd((v) => jacrev(f, v), W), H, { rtol: 1e-12, atol: 1e-12 });
      assertAllClose(jacrev((v) => jacrev(f, v), W), H, { rtol: 1e-12, atol: 1e-12 });
      assertAllClose(jacrev((v) => grad(f, v), W), H, { rtol: 1e-12, atol: 1e-12 });
      assertAllClose(numericalJacobian((v) => grad(f, v), W), H, TOL);
    },
  );

  await t.step("second derivative of a vector function: jacobian of jacobian", () => {
    const f = (x: Tensor) => mul(square(x), reshape(x, [2, 1]));
    const x = tensor([0.5, -1.5]);
    const JJ = jacfwd((v) => jacrev(f, v), x);
    const FF = jacrev((v) => jacfwd(f, v), x);
    assertEquals(JJ.shape, [2, 2, 2, 2]);
    assertAllClose(JJ, FF, { rtol: 1e-12, atol: 1e-12 });
    assertAllClose(JJ, numericalJacobian((v) => jacrev(f, v), x), TOL);
  });

  await t.step("of a non-scalar function throws", () => {
    assertEquals(
      assertThrows(() => hessian((x) => square(x), tensor([1, 2])), ShapeError).message,
      "hessian: f must return a scalar, got shape [2]; use jacobian((x) => jacobian(f, x), x) " +
        "for the second derivative of a vector function, or take the hessian of sum(f(x))",
    );
  });

  await t.step("of a linear function is zero", () => {
    assertEquals(hessian((x) => sum(x), tensor([1, 2])).toArray(), [[0, 0], [0, 0]]);
  });
});
