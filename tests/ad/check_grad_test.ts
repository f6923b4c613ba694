import {
  assert,
  assertEquals,
  assertMatch,
  assertStrictEquals,
  assertThrows,
  fail,
} from "@std/assert";
import {
  assertAllClose,
  assertGrad,
  checkGrad,
  DEFAULT_FD_EPS,
  div,
  exp,
  GradCheckError,
  GradCheckReport,
  log,
  matmul,
  mul,
  numericalGrad,
  numericalJacobian,
  randn,
  ShapeError,
  square,
  stopGradient,
  sub,
  sum,
  tanh,
  type Tensor,
  tensor,
  ValueError,
} from "matcalc";

Deno.test("numericalJacobian()", async (t) => {
  await t.step("step is ∛ε ≈ 6.06e-6 and the error on smooth functions is ~1e-10 relative", () => {
    assertStrictEquals(DEFAULT_FD_EPS, Math.cbrt(2 ** -52));
    assert(Math.abs(DEFAULT_FD_EPS - 6.055e-6) < 1e-9);
    // d/dx exp(x) = exp(x), across magnitudes: the step scales with |x|.
    for (const v of [-3, 0.1, 1, 7, 300]) {
      const J = numericalJacobian((x) => exp(div(x, 100)), tensor([v]));
      const exact = Math.exp(v / 100) / 100;
      assert(Math.abs(J.at(0, 0) - exact) / exact < 1e-8, `x = ${v}`);
    }
    const x = tensor([0.3, -1.2, 2]);
    const J = numericalJacobian(tanh, x);
    for (let i = 0; i < 3; i++) {
      const d = 1 - Math.tanh(x.at(i)) ** 2;
      assert(Math.abs(J.at(i, i) - d) / d < 1e-8);
    }
  });

  await t.step("shape convention and several inputs", () => {
    const xv = tensor([1, 2]);
    const [JW, Jb] = numericalJacobian((W, b) => tanh(mul(matmul(W, xv), b)), [
      randn([3, 2], { seed: 1 }),
      randn([3], { seed: 2 }),
    ]);
    assertEquals(JW.shape, [3, 3, 2]);
    assertEquals(Jb.shape, [3, 3]);
  });

  await t.step("non-finite x, f(x) or f(x ± h) throws a ValueError", () => {
    assertEquals(
      assertThrows(() => numericalJacobian(tanh, tensor([1, NaN])), ValueError).message,
      "numericalJacobian: x has a non-finite value NaN at index [1]; derivatives can only be " +
        "checked at finite inputs",
    );
    assertEquals(
      assertThrows(() => numericalJacobian(log, tensor([1, 0])), ValueError).message,
      "numericalJacobian: f(x) has a non-finite value -Infinity at index [1]; its derivative " +
        "cannot be checked there: pick an x where f is finite (e.g. away from log(0) or a " +
        "division by 0)",
    );
    assertMatch(
      assertThrows(() => numericalJacobian(log, tensor([1e-7])), ValueError).message,
      /^numericalJacobian: f is not finite next to x: moving x\[0\] from 1e-7 to -0\.00000595\d+ gives NaN at output index \[0\]; x is at or next to a point where f is undefined/,
    );
    assertMatch(
      assertThrows(() => numericalJacobian(tanh, tensor([1]), { eps: 0 }), ValueError).message,
      /^numericalJacobian: eps must be a positive finite number, got number 0/,
    );
    assertMatch(
      assertThrows(() => numericalJacobian(() => 1 as unknown as Tensor, tensor([1])), ValueError)
        .message,
      /^numericalJacobian: the function must return a Tensor, got number 1/,
    );
  });
});

Deno.test("numericalGrad()", async (t) => {
  await t.step("matches the closed form", () => {
    const g = numericalGrad((x) => sum(mul(x, mul(x, x))), tensor([[1, 2], [-1, 0.5]]));
    assertEquals(g.shape, [2, 2]);
    const expected = [[3, 12], [3, 0.75]];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) assert(Math.abs(g.at(i, j) - expected[i][j]) < 1e-8);
    }
  });
  await t.step("of a non-scalar function throws", () => {
    assertEquals(
      assertThrows(() => numericalGrad(tanh, tensor([1, 2])), ShapeError).message,
      "numericalGrad: f must return a scalar, got shape [2]; use numericalJacobian(f, x) for " +
        "the full derivative, or differentiate sum(f(x))",
    );
  });
});

Deno.test("checkGrad()", async (t) => {
  const x = tensor([1, -2, 0.5]);
  const f = (W: Tensor) => tanh(matmul(W, x));
  const W = randn([2, 3], { seed: 3 });

  await t.step("passes on correct rules with errors near 1e-10 and a readable report", () => {
    const r = checkGrad(f, W);
    assert(r instanceof GradCheckReport);
    assertEquals(r.ok, true);
    assert(r.maxAbsError < 1e-9, String(r.maxAbsError));
    assert(r.maxRelError < 1e-6, String(r.maxRelError));
    assertEquals(r.entries, 12);
    assertEquals(r.options, { modes: ["fwd", "rev"], rtol: 1e-3, atol: 1e-5, order: 1 });
    assertEquals(r.worst!.index.length, 3);
    assertMatch(
      String(r),
      /^checkGrad passed: max abs error \S+, max rel error \S+ over 12 Jacobian entries \(modes fwd, rev; atol 0\.00001, rtol 0\.001\); worst (fwd|rev)-mode entry \[\d, \d, \d\]: analytic \S+, numeric \S+$/,
    );
    assertStrictEquals(Deno.inspect(r), String(r));
    assertEquals(checkGrad(f, W, { modes: ["rev"] }).ok, true);
  });

  await t.step("fails on a wrong derivative and points at the entry", () => {
    // stopGradient hides one factor: d(x·x)/dx comes out as x instead of 2x.
    const wrong = (v: Tensor) => mul(stopGradient(v), v);
    const r = checkGrad(wrong, tensor([1, 3]));
    assertEquals(r.ok, false);
    assertEquals(r.worst, {
      input: 0,
      index: [1, 1],
      analytic: 3,
      numeric: r.worst!.numeric,
      mode: "fwd",
      order: 1,
    });
    assert(Math.abs(r.worst!.numeric - 6) < 1e-8);
    assert(Math.abs(r.maxAbsError - 3) < 1e-8);
    assertMatch(
      String(r),
      /^checkGrad failed: fwd-mode entry \[1, 1\] differs from finite differences: analytic 3, numeric 6 \(abs error 3, allowed 0\.00601\); max abs error 3, max rel error 0\.5 over 4 Jacobian entries/,
    );
    assertThrows(() => assertGrad(wrong, tensor([1, 3])), GradCheckError);
    try {
      assertGrad(wrong, tensor([1, 3]), { modes: ["rev"] });
      fail("should throw");
    } catch (e) {
      if (!(e instanceof GradCheckError)) throw e;
      assertEquals(e.report.worst!.mode, "rev");
      assertMatch(
        e.message,
        /^assertGrad failed: rev-mode entry \[1, 1\].*A derivative rule \(VJP for rev, JVP for fwd\)/,
      );
    }
  });

  await t.step("several inputs name the argument", () => {
    const wrong = (a: Tensor, b: Tensor) => mul(a, mul(stopGradient(b), b));
    const r = checkGrad(wrong, [tensor([2]), tensor([3])]);
    assertEquals(r.ok, false);
    assertEquals(r.worst!.input, 1);
    assertMatch(String(r), /entry \[0, 0\] of the Jacobian for argument 1/);
    assertEquals(assertGrad((a, b) => mul(a, b), [tensor([2]), tensor([3])]).ok, true);
  });

  await t.step(
    "order 2: a right gradient with a wrong Hessian passes order 1, fails order 2",
    () => {
      // Value Σx²/2, gradient x (right), Hessian 0 instead of I (wrong).
      const f2 = (v: Tensor) =>
        sum(sub(mul(v, stopGradient(v)), mul(0.5, square(stopGradient(v)))));
      const v = tensor([1, -2, 0.5]);
      assertAllClose(f2(v), 2.625);
      assertEquals(checkGrad(f2, v).ok, true);
      const r = checkGrad(f2, v, { order: 2 });
      assertEquals(r.ok, false);
      assertStrictEquals(r.entries, 3 + 9);
      assertEquals(r.worst!.order, 2);
      assertStrictEquals(r.worst!.analytic, 0);
      assert(Math.abs(r.worst!.numeric - 1) < 1e-6);
      assertStrictEquals(r.worst!.index[0], r.worst!.index[1]);
      assertMatch(
        String(r),
        /^checkGrad failed: (fwd|rev)-over-rev entry \[(\d), \2\] of the second derivative differs from finite differences: analytic 0, numeric 1 .* over 12 first- and second-derivative entries \(modes fwd, rev; order 2; atol 0\.00001, rtol 0\.001\)$/,
      );
      for (const mode of ["fwd", "rev"] as const) {
        try {
          assertGrad(f2, v, { order: 2, modes: [mode] });
          fail("should throw");
        } catch (e) {
          if (!(e instanceof GradCheckError)) throw e;
          assertStrictEquals(e.report.worst!.mode, mode);
          assertMatch(e.message, /constant mask/);
        }
      }
    },
  );

  await t.step("order 2 passes on right rules, for several inputs and non-scalar f", () => {
    const r = assertGrad(f, W, { order: 2 });
    // 12 first-derivative entries; the projected gradient has 6 entries, its Jacobian 36.
    assertStrictEquals(r.entries, 12 + 36);
    assert(r.maxAbsError < 1e-8, String(r.maxAbsError));
    assertMatch(String(r), /^checkGrad passed: .* first- and second-derivative entries/);
    const two = assertGrad((a, b) => mul(exp(a), tanh(b)), [tensor([0.5, 1]), tensor([-1, 2])], {
      order: 2,
    });
    // First order: 2 Jacobians of 2×2; second: 2 gradients × 2 arguments, each 2×2.
    assertStrictEquals(two.entries, 8 + 16);
    const wrong = (a: Tensor, b: Tensor) => mul(a, mul(stopGradient(b), b));
    const r2 = checkGrad(wrong, [tensor([2]), tensor([3])], { order: 2 });
    assertEquals(r2.ok, false);
    assertMatch(String(r2), /of argument \d, differentiated by argument \d|argument 1/);
  });

  await t.step("non-finite x or f(x) is an error, not a silent pass", () => {
    assertEquals(
      assertThrows(() => checkGrad(tanh, tensor([Infinity])), ValueError).message,
      "checkGrad: x has a non-finite value Infinity at index [0]; derivatives can only be " +
        "checked at finite inputs",
    );
    assertMatch(
      assertThrows(() => checkGrad((v) => div(1, v), tensor([0, 1])), ValueError).message,
      /^checkGrad: f\(x\) has a non-finite value Infinity at index \[0\]/,
    );
  });

  await t.step("bad options", () => {
    assertEquals(
      assertThrows(() => checkGrad(tanh, tensor([1]), { modes: [] }), ValueError).message,
      'checkGrad: modes must be a non-empty array of "fwd" and "rev", got an array of length 0',
    );
    assertEquals(
      assertThrows(() => checkGrad(tanh, tensor([1]), { rtol: -1 }), ValueError).message,
      "checkGrad: rtol must be a non-negative finite number, got number -1",
    );
    assertEquals(
      assertThrows(() => checkGrad(tanh, tensor([1]), { order: 3 as 2 }), ValueError).message,
      "checkGrad: order must be 1 or 2, got number 3",
    );
  });
});
