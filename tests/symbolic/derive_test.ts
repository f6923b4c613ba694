import { assert, assertAlmostEquals, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  assertAllClose,
  commutation,
  Derivation,
  derive,
  eye,
  jacobian,
  jacobianOfMatmul,
  kron,
  matmul,
  randn,
  ShapeError,
  tensor,
  toVecMatrix,
  transpose,
  ValueError,
  zeros,
} from "matcalc";

Deno.test("derive()", async (t) => {
  await t.step("types by first letter, overridden by types", () => {
    assertEquals(derive("x'*A*x", "x").wrtKind, "vector");
    assertEquals(derive("a*b", "a").wrtKind, "scalar");
    const d = derive("w'*b", "b", { types: { b: "vector" } });
    assertEquals(d.toString(), "w");
    assertEquals(derive("W*b", "W", { types: { b: "vector" } }).toString(), "kron(eye, b')");
  });

  await t.step("a Hessian is the derivative of the printed gradient", () => {
    const g = derive("x'*A*x + sum(exp(x))", "x");
    assertEquals(g.toString(), "(A + A')*x + exp(x)");
    const H = derive(g.toString(), "x");
    assertEquals(H.toString(), "A + A' + diag(exp(x))");
    assert(H.check({ x: randn([3], { seed: 1 }), A: randn([3, 3], { seed: 2 }) }).ok);
  });

  await t.step("steps name their rules and end with the identification", () => {
    const d = derive("x'*A*x", "x");
    assertEquals(d.steps.map((s) => s.rule), [
      "expression",
      "product rule",
      "collect terms",
      "identification",
      "gradient",
    ]);
    assertEquals(d.steps[1].text, "d(x'*A*x) = dx'*A*x + x'*A*dx");
    assertEquals(
      d.steps[1].latex,
      "\\mathrm{d}\\left(x^\\top A x\\right) = " +
        "\\mathrm{d}x^\\top A x + x^\\top A \\mathrm{d}x",
    );
    assertEquals(d.steps[4].text, "∂f/∂x = (A + A')*x");
    assertEquals(d.latex, "\\frac{\\partial f}{\\partial x} = \\left(A + A^\\top\\right) x");
  });

  await t.step("order 3: ∂(Wx)/∂W as map, both vec orders and indices", () => {
    const d = derive("W*x", "W", { name: "y" });
    assertEquals(d.order, 3);
    assertEquals(d.linearMap, "\\mathrm{d}W \\mapsto \\mathrm{d}W x");
    assertEquals(d.kronC, "I \\otimes x^\\top");
    assertEquals(d.kronF, "x^\\top \\otimes I");
    assertEquals(d.index, "\\frac{\\partial y_{i}}{\\partial W_{kl}} = \\delta_{ik}\\,x_{l}");
    const W = randn([2, 3], { seed: 3 }), x = tensor([1, 2, 3]);
    const J = d.evaluate({ W, x });
    assertEquals(J.toArray(), jacobian((W) => matmul(W, x), W).toArray());
    assertEquals(d.toLayout("vec", { W, x }).toArray(), toVecMatrix(J, 1).toArray());
  });

  await t.step("order 4: ∂X⁻¹/∂X", () => {
    const d = derive("inv(X)", "X");
    assertEquals(d.order, 4);
    assertEquals(d.kronC, "-X^{-1} \\otimes X^{-\\top}");
    assertEquals(d.kronF, "-X^{-\\top} \\otimes X^{-1}");
    assertEquals(
      d.index,
      "\\frac{\\partial f_{ij}}{\\partial X_{kl}} = -\\left(X^{-1}\\right)_{ik}\\,\\left(X^{-1}\\right)_{lj}",
    );
    const report = d.check({ X: tensor([[2, 1], [0, 3]]) });
    assert(report.ok, report.toString());
    assertEquals(report.symbolic.shape, [2, 2, 2, 2]);
  });

  await t.step("a term with a transposed dX uses the commutation matrix", () => {
    const d = derive("X'*A", "X");
    assertEquals(d.kronC, "\\left(I \\otimes A^\\top\\right) K");
    assertMatch(d.toString(), /^dX -> /);
    assert(d.check({ X: randn([3, 2], { seed: 4 }), A: randn([3, 2], { seed: 5 }) }).ok);
  });

  await t.step("the Kronecker forms are matcalc's kron, commutation and jacobianOfMatmul", () => {
    const W = randn([2, 3], { seed: 7 }), x = tensor([1, -2, 3]);
    const J = derive("W*x", "W").evaluate({ W, x });
    assertAllClose(J, jacobianOfMatmul(W, x).materialize());
    // ∂(X'A)/∂X in column-major vec order is (Aᵀ ⊗ I) K, K the commutation matrix of X (3×2).
    const X = randn([3, 2], { seed: 8 }), A = randn([3, 2], { seed: 9 });
    const d = derive("X'*A", "X");
    assertEquals(d.kronF, "\\left(A^\\top \\otimes I\\right) K");
    const F = toVecMatrix(d.evaluate({ X, A }), 2);
    assertAllClose(F, matmul(kron(transpose(A), eye(2)), commutation(3, 2)));
  });

  await t.step(
    "shapes: output's shape then wrt's; the gradient of a scalar has wrt's shape",
    () => {
      const x = tensor([1, 2]), A = tensor([[1, 2], [3, 4]]);
      assertEquals(derive("x'*A*x", "x").evaluate({ x, A }).shape, [2]);
      assertEquals(derive("A*x", "x").evaluate({ x, A }).shape, [2, 2]);
      assertEquals(derive("x*x'", "x").evaluate({ x }).shape, [2, 2, 2]);
      assertEquals(derive("a*x", "a").evaluate({ a: 2, x }).toArray(), [1, 2]);
      assertEquals(derive("tr(X)", "X").evaluate({ X: zeros([3, 3]) }).toArray(), [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]);
      // A constant has a zero derivative of the right shape.
      assertEquals(derive("y'*y", "x").evaluate({ y: x, x: tensor([5, 6, 7]) }).toArray(), [
        0,
        0,
        0,
      ]);
    },
  );

  await t.step("layouts: gradient m×n and numerator n×m from one derivation", () => {
    const d = derive("u'*tanh(W*x)", "W");
    const values = { u: tensor([1, -1]), W: randn([2, 3], { seed: 6 }), x: tensor([1, 2, 3]) };
    const g = d.toLayout("gradient", values), num = d.toLayout("numerator", values);
    assertEquals(g.shape, [2, 3]);
    assertEquals(num.toArray(), transpose(g).toArray());
    assertEquals(d.toLayout("denominator", values).toArray(), g.toArray());
    assertThrows(() => d.toLayout("rows" as never, values), ValueError, 'unknown layout "rows"');
  });

  await t.step("compile() evaluates the derivative and agrees with evaluate()", () => {
    const d = derive("logdet(X) + tr(A*X)", "X");
    assertEquals(d.toString(), "inv(X)' + A'");
    const f = d.compile();
    const X = tensor([[2, 1], [1, 3]]), A = tensor([[1, 2], [3, 4]]);
    assertEquals(f({ X, A }).toArray(), d.evaluate({ X, A }).toArray());
    assertAlmostEquals(f({ X, A }).at(0, 0), 3 / 5 + 1, 1e-12);
  });

  await t.step("REPL and Jupyter display", () => {
    const d = derive("tr(A*X*B)", "X");
    assertEquals(Deno.inspect(d), "∂(tr(A*X*B))/∂X = A'*B'");
    const bundle = (d as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for("Jupyter.display")
    ]();
    assertMatch(bundle["text/latex"], /^\$\$\\begin\{aligned\}/);
    assertMatch(bundle["text/latex"], /&& \\text\{identification\}/);
    assertMatch(bundle["text/plain"], /identification: df = tr\(B\*A\*dX\)/);
    assert(d instanceof Derivation);
  });
});

Deno.test("derive() errors", async (t) => {
  await t.step("a parse error names the position and the token", () => {
    assertThrows(
      () => derive("x'*A*)", "x"),
      ValueError,
      'derive: unexpected token ")" at position 5: expected a number, a name or "("',
    );
    assertThrows(() => derive("(x + y", "x"), ValueError, "unexpected end of input at position 6");
    assertThrows(() => derive("x $ y", "x"), ValueError, 'unexpected character "$" at position 2');
  });

  await t.step("an unknown function lists the supported ones", () => {
    assertThrows(
      () => derive("foo(x)", "x"),
      ValueError,
      'unknown function "foo" at position 0; supported: tr, det, logdet, inv, log, exp, sin, cos, tanh',
    );
  });

  await t.step("kinds that do not fit", () => {
    assertThrows(() => derive("x*y", "x"), ValueError, "did you mean x'*y or x*y'?");
    assertThrows(() => derive("A + x", "x"), ValueError, "cannot add a matrix and a vector");
    assertThrows(() => derive("A^x", "A"), ValueError, "expected an integer exponent");
    assertThrows(() => derive("x", "x", { types: { x: "tensor" as never } }), ValueError);
    assertThrows(() => derive("x", "1x"), ValueError, "wrt must be a variable name");
  });

  await t.step("evaluating with mismatched shapes names the operands and shapes", () => {
    const d = derive("x'*A*x", "x");
    assertThrows(
      () => d.evaluate({ x: tensor([1, 2]), A: zeros([3, 3]) }),
      ShapeError,
      "evaluate: cannot multiply x' [1, 2] by A [3, 3]: inner dimensions 2 and 3 differ",
    );
    assertThrows(
      () => d.evaluate({ x: tensor([[1, 2]]), A: zeros([2, 2]) }),
      ShapeError,
      'evaluate: x is a vector in "x\'*A*x", got a tensor of shape [1, 2]; pass shape [n]',
    );
    assertThrows(() => d.evaluate({ A: zeros([2, 2]) }), ValueError, "no value for x");
  });
});
