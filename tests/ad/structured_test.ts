import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  DiagonalJacobian,
  diagonalJacobian,
  eye,
  grad,
  identityJacobian,
  jacobian,
  jacobianOfMatmul,
  jvp,
  kron,
  KronJacobian,
  kronJacobian,
  matmul,
  mul,
  numericalGrad,
  outer,
  randn,
  reshape,
  setDenseBudget,
  ShapeError,
  stopGradient,
  StructuredJacobian,
  sub,
  sum,
  tanh,
  type Tensor,
  toVecMatrix,
  transpose,
  ValueError,
  vec,
  vjp,
  zeros,
} from "matcalc";
import { raw } from "../../lib/tensor.ts";

const EXACT = { rtol: 0, atol: 1e-12 };

Deno.test("jacobianOfMatmul()", async (t) => {
  await t.step("W ↦ W x: I₃ ⊗ xᵀ, dense equals jacobian, contract = outer(g, x)", () => {
    const W = randn([3, 4], { seed: 1 }), x = randn([4], { seed: 2 });
    const J = jacobianOfMatmul(W, x);
    assert(J instanceof StructuredJacobian && J instanceof KronJacobian);
    assertEquals(J.describe(), "I₃ ⊗ xᵀ");
    assertEquals(J.shape, [3, 3, 4]);
    assertStrictEquals(
      String(J),
      "KronJacobian I₃ ⊗ xᵀ: dense shape [3, 3, 4] (36 numbers, 288 B if materialized); " +
        "vec form xᵀ ⊗ I₃",
    );
    assertAllClose(J.materialize(), jacobian((W) => matmul(W, x), W), EXACT);
    const g = randn([3], { seed: 3 });
    assertAllClose(J.contract(g), outer(g, x), EXACT);
    const [, pullback] = vjp((W) => matmul(W, x), W);
    assertAllClose(J.contract(g), pullback(g), EXACT);
    const dW = randn([3, 4], { seed: 4 });
    assertAllClose(J.apply(dW), matmul(dW, x), EXACT);
    // (xᵀ ⊗ I) vec(dW) = vec(dW x)
    assertAllClose(matmul(J.toVecMatrix(), vec(dW)), matmul(dW, x), EXACT);
    assertAllClose(J.toVecMatrix(), kron(reshape(x, [1, 4]), eye(3)), EXACT);
  });

  await t.step("every operand shape and wrt agree with jacobian", () => {
    const shapes: [number[], number[]][] = [[[2, 3], [3, 4]], [[2, 3], [3]], [[3], [3, 2]], [
      [3],
      [3],
    ]];
    for (const [sa, sb] of shapes) {
      const a = randn(sa, { seed: 5 }), b = randn(sb, { seed: 6 });
      for (const wrt of [0, 1] as const) {
        const J = jacobianOfMatmul(a, b, { wrt });
        const dense = wrt === 0
          ? jacobian((a) => matmul(a, b), a)
          : jacobian((b) => matmul(a, b), b);
        assertEquals(J.shape, dense.shape);
        assertAllClose(J.materialize(), dense, EXACT);
        const outRank = J.outShape.length;
        assertAllClose(J.toVecMatrix(), toVecMatrix(dense, outRank), EXACT);
        const g = randn(J.outShape, { seed: 7 }), v = randn(J.inShape, { seed: 8 });
        const G = reshape(dense, [g.size, v.size]);
        assertAllClose(J.contract(g), reshape(matmul(reshape(g, [g.size]), G), J.inShape), EXACT);
        assertAllClose(J.apply(v), reshape(matmul(G, reshape(v, [v.size])), J.outShape), EXACT);
      }
    }
    assertEquals(jacobianOfMatmul(zeros([2, 3]), zeros([3]), { wrt: 1 }).describe(), "W ⊗ I₁");
  });

  await t.step("contract at m = n = 4096 without the 550 GB tensor", () => {
    const m = 4096, n = 4096;
    const W = zeros([m, n]), x = randn([n], { seed: 9 }), g = randn([m], { seed: 10 });
    const J = jacobianOfMatmul(W, x);
    assertStrictEquals(J.denseSize, m * m * n);
    const dW = J.contract(g);
    assertEquals(dW.shape, [m, n]);
    assertStrictEquals(dW.at(17, 99), g.at(17) * x.at(99));
    assertEquals(
      assertThrows(() => J.materialize(), ValueError).message,
      "KronJacobian.materialize: the dense form of I₄₀₉₆ ⊗ xᵀ of shape [4096, 4096, 4096] " +
        "would need 550 GB (68719476736 float64 numbers), over the dense budget of 134217728 " +
        "numbers (1.07 GB); keep the structured form and use contract(g) for the chain rule " +
        "or apply(v) for J v; or raise the budget with setDenseBudget(n)",
    );
  });

  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => jacobianOfMatmul(zeros([2, 3]), zeros([4])), ShapeError).message,
      "jacobianOfMatmul: cannot multiply [2, 3] by [4]: inner dimensions 3 and 4 differ",
    );
    const J = jacobianOfMatmul(zeros([2, 3]), zeros([3]));
    assertEquals(
      assertThrows(() => J.contract(zeros([3])), ShapeError).message,
      "KronJacobian.contract: cannot contract g of shape [3] with a Jacobian of shape " +
        "[2, 2, 3]: g must have the output shape [2]",
    );
    assertMatch(
      assertThrows(() => J.apply(zeros([3])), ShapeError).message,
      /^KronJacobian.apply: cannot apply a Jacobian of shape \[2, 2, 3\] to v of shape \[3\]/,
    );
  });
});

Deno.test("kronJacobian()", async (t) => {
  await t.step("X ↦ A X B: dense, vec form kron(Bᵀ, A), contract Aᵀ G Bᵀ", () => {
    const A = randn([2, 3], { seed: 11 }), B = randn([4, 5], { seed: 12 });
    const X = randn([3, 4], { seed: 13 });
    const f = (X: Tensor) => matmul(matmul(A, X), B);
    const J = kronJacobian(A, B);
    assertEquals(J.describe(), "A ⊗ Bᵀ");
    assertAllClose(J.materialize(), jacobian(f, X), EXACT);
    assertAllClose(J.toVecMatrix(), kron(transpose(B), A), EXACT);
    const G = randn([2, 5], { seed: 14 });
    assertAllClose(J.contract(G), matmul(matmul(transpose(A), G), transpose(B)), EXACT);
    assertAllClose(J.apply(X), f(X), EXACT);
  });

  await t.step("identity factors given as sizes", () => {
    const A = randn([2, 3], { seed: 15 });
    const J = kronJacobian(A, 4, { names: ["A", "B"] });
    assertEquals(J.describe(), "A ⊗ I₄");
    assertAllClose(J.materialize(), jacobian((X) => matmul(A, X), zeros([3, 4])), EXACT);
    assertAllClose(J.toVecMatrix(), kron(eye(4), A), EXACT);
    assertMatch(
      assertThrows(() => kronJacobian(zeros([2]), 3), ShapeError).message,
      /^kronJacobian: A must be a matrix, got shape \[2\]/,
    );
    assertMatch(
      assertThrows(() => kronJacobian(-1, 3), ValueError).message,
      /^kronJacobian: the size of the identity A must be a non-negative integer, got -1/,
    );
  });
});

Deno.test("identityJacobian()", () => {
  const J = identityJacobian([2, 2]);
  assertEquals(J.describe(), "I₄");
  assertAllClose(J.materialize(), jacobian((x) => x, zeros([2, 2])), EXACT);
  assertAllClose(J.toVecMatrix(), eye(4), EXACT);
  const g = randn([2, 2], { seed: 16 });
  assertEquals(J.contract(g).toArray(), g.toArray());
  assertEquals(J.apply(g).toArray(), g.toArray());
});

Deno.test("diagonalJacobian()", () => {
  const x = randn([2, 3], { seed: 17 });
  const y = tanh(x);
  const d = diagonalJacobian(sub(1, mul(y, y)), { name: "s" });
  assert(d instanceof DiagonalJacobian);
  assertEquals(d.describe(), "diag(s)");
  assertEquals(d.shape, [2, 3, 2, 3]);
  const close = { rtol: 1e-12, atol: 1e-14 };
  assertAllClose(d.materialize(), jacobian(tanh, x), close);
  assertAllClose(d.toVecMatrix(), toVecMatrix(jacobian(tanh, x), 2), close);
  const g = randn([2, 3], { seed: 18 });
  const [, pullback] = vjp(tanh, x);
  assertAllClose(d.contract(g), pullback(g), close);
  const [, tangent] = jvp(tanh, x, g);
  assertAllClose(d.apply(g), tangent, close);
});

Deno.test("StructuredJacobian display", async (t) => {
  await t.step("Jupyter.display defers to the matcalc.display hook", () => {
    const J = jacobianOfMatmul(zeros([2, 2]), zeros([2]));
    const key = Symbol.for("matcalc.display");
    const g = globalThis as Record<symbol, unknown>;
    const display = (J as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
    assertEquals(display.call(J), { "text/plain": String(J) });
    g[key] = (v: unknown) => ({ "text/html": v instanceof StructuredJacobian ? "<b>J</b>" : "" });
    try {
      assertEquals(display.call(J), { "text/html": "<b>J</b>" });
    } finally {
      delete g[key];
    }
    assertStrictEquals(Deno.inspect(J), String(J));
  });

  await t.step("materialize respects a lowered budget", () => {
    const previous = setDenseBudget(7);
    try {
      assertMatch(
        assertThrows(() => identityJacobian([3]).materialize(), ValueError).message,
        /^IdentityJacobian.materialize: the dense form of I₃ of shape \[3, 3\] would need 72 B/,
      );
      assertEquals(identityJacobian([2]).toVecMatrix().shape, [2, 2]);
    } finally {
      setDenseBudget(previous);
    }
  });
});

Deno.test("structured Jacobians under differentiation", async (t) => {
  // A loss on a dense form must carry its factors' derivatives. Three ways: the structured
  // Jacobian, the same dense Jacobian built by jacobian(), and finite differences.
  const W = randn([3, 4], { seed: 11 }),
    x = randn([4], { seed: 12 }),
    P = randn([4, 3], { seed: 13 });
  const S = randn([3, 4], { seed: 14 });
  const cases: [string, Tensor, (w: Tensor) => Tensor, (w: Tensor) => Tensor][] = [
    [
      "W x, wrt x: materialize",
      W,
      (w) => sum(mul(jacobianOfMatmul(w, x, { wrt: 1 }).materialize(), S)),
      (w) => sum(mul(jacobian((v: Tensor) => matmul(w, v), x), S)),
    ],
    [
      "W x, wrt x: toVecMatrix",
      W,
      (w) => sum(mul(jacobianOfMatmul(w, x, { wrt: 1 }).toVecMatrix(), S)),
      (w) => sum(mul(jacobian((v: Tensor) => matmul(w, v), x), S)),
    ],
    [
      "xᵀ P, wrt x: materialize",
      P,
      (p) => sum(mul(jacobianOfMatmul(x, p).materialize(), S)),
      (p) => sum(mul(jacobian((v: Tensor) => matmul(v, p), x), S)),
    ],
  ];
  await t.step(
    "jacobianOfMatmul: materialize and toVecMatrix carry the factor's derivative",
    () => {
      for (const [name, at, f, ref] of cases) {
        const g = grad(f, at);
        assertAllClose(g, grad(ref, at), EXACT);
        assertAllClose(g, numericalGrad(f, at), { rtol: 1e-6, atol: 1e-8 });
        assert(Math.max(...raw(g).map(Math.abs)) > 0.1, `${name}: all zero`);
      }
    },
  );
  await t.step("kronJacobian (A ⊗ Bᵀ and Bᵀ ⊗ A) and diagonalJacobian", () => {
    const A = randn([3, 2], { seed: 15 }), B = randn([4, 3], { seed: 16 });
    const Sd = randn([3, 3, 2, 4], { seed: 17 }), Sv = randn([9, 8], { seed: 18 });
    const pairs: [(a: Tensor) => Tensor, (a: Tensor) => Tensor][] = [
      [
        (a) => sum(mul(kronJacobian(a, B).materialize(), Sd)),
        (a) => sum(mul(reshape(kron(a, transpose(B)), [3, 3, 2, 4]), Sd)),
      ],
      [
        (a) => sum(mul(kronJacobian(a, B).toVecMatrix(), Sv)),
        (a) => sum(mul(kron(transpose(B), a), Sv)),
      ],
    ];
    for (const [f, ref] of pairs) {
      assertAllClose(grad(f, A), grad(ref, A), EXACT);
      assertAllClose(grad(f, A), numericalGrad(f, A), { rtol: 1e-6, atol: 1e-8 });
    }
    const d = randn([2, 3], { seed: 19 });
    const T4 = randn([2, 3, 2, 3], { seed: 20 }), T2 = randn([6, 6], { seed: 21 });
    for (
      const f of [
        (u: Tensor) => sum(mul(diagonalJacobian(u).materialize(), T4)),
        (u: Tensor) => sum(mul(diagonalJacobian(u).toVecMatrix(), T2)),
      ]
    ) {
      const g = grad(f, d);
      assertAllClose(g, numericalGrad(f, d), { rtol: 1e-6, atol: 1e-8 });
      assert(Math.max(...raw(g).map(Math.abs)) > 0.01);
    }
  });
  await t.step("the traced path gives the same numbers as the direct one", () => {
    const direct = jacobianOfMatmul(W, x, { wrt: 1 });
    const d = diagonalJacobian(x), k = kronJacobian(W, P);
    let seen: Tensor[] = [];
    grad((w: Tensor) => {
      const J = jacobianOfMatmul(w, x, { wrt: 1 });
      seen = [J.materialize(), J.toVecMatrix()].map(stopGradient);
      return sum(J.materialize());
    }, W);
    assertAllClose(seen[0], direct.materialize(), { rtol: 0, atol: 0 });
    assertAllClose(seen[1], direct.toVecMatrix(), { rtol: 0, atol: 0 });
    grad((u: Tensor) => {
      seen = [diagonalJacobian(u).materialize(), diagonalJacobian(u).toVecMatrix()].map(
        stopGradient,
      );
      return sum(u);
    }, x);
    assertAllClose(seen[0], d.materialize(), { rtol: 0, atol: 0 });
    assertAllClose(seen[1], d.toVecMatrix(), { rtol: 0, atol: 0 });
    grad((w: Tensor) => {
      seen = [kronJacobian(w, P).materialize(), kronJacobian(w, P).toVecMatrix()].map(
        stopGradient,
      );
      return sum(w);
    }, W);
    assertAllClose(seen[0], k.materialize(), { rtol: 0, atol: 0 });
    assertAllClose(seen[1], k.toVecMatrix(), { rtol: 0, atol: 0 });
  });
});
