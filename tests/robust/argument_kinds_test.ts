/**
 * Issue 16.4: bad arguments never reach the internals. A non-function where a function is
 * expected, and a Symbol or BigInt in any shape, axis, index, count or option, give a
 * ValueError or ShapeError that names the function and the argument (a template literal or
 * JSON.stringify would throw a TypeError of their own on these values). assertGrad's errors
 * name assertGrad.
 */
// deno-lint-ignore-file no-explicit-any
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import * as m from "matcalc";

const A = m.tensor([[1, 2], [3, 4]]), v = m.tensor([1, 2]);
const f = (x: m.Tensor) => m.sum(m.square(x));

/** Every slot that takes a number, shape, axis, index or option, filled with `b`. */
const slots = (b: any): Record<string, () => unknown> => ({
  "zeros shape": () => m.zeros([b]),
  "zeros shape bare": () => m.zeros(b),
  "ones": () => m.ones([2, b]),
  "full shape": () => m.full([b], 1),
  "full value": () => m.full([2], b),
  "eye n": () => m.eye(b),
  "eye m": () => m.eye(2, b),
  "arange start": () => m.arange(b),
  "arange stop": () => m.arange(0, b),
  "arange step": () => m.arange(0, 2, b),
  "linspace num": () => m.linspace(0, 1, b),
  "linspace start": () => m.linspace(b, 1, 3),
  "rand shape": () => m.rand([b]),
  "rand seed": () => m.rand([2], { seed: b }),
  "randn seed": () => m.randn([2], { seed: b }),
  "randn shape": () => m.randn(b),
  "tensor elem": () => m.tensor([1, b]),
  "tensor scalar": () => m.tensor(b),
  "add operand": () => m.add(v, b),
  "mul operand": () => m.mul(b, v),
  "scale": () => m.scale(v, b),
  "pow p": () => m.pow(v, b),
  "clip lo": () => m.clip(v, b, 1),
  "clip hi": () => m.clip(v, 0, b),
  "where b": () => m.where(v, v, b),
  "sum axis": () => m.sum(A, b),
  "sum axes": () => m.sum(A, [0, b]),
  "mean axis": () => m.mean(A, b),
  "max axis": () => m.max(A, b),
  "min axis": () => m.min(A, b),
  "argmax axis": () => m.argmax(A, b),
  "sum keepdims": () => m.sum(A, 0, { keepdims: b }),
  "logsumexp axis": () => m.logsumexp(A, b),
  "softmax axis": () => m.softmax(A, b),
  "logSoftmax axis": () => m.logSoftmax(A, b),
  "reshape shape": () => m.reshape(A, [b]),
  "reshape shape2": () => m.reshape(A, [2, b]),
  "reshape bare": () => m.reshape(A, b),
  "broadcastTo": () => m.broadcastTo(v, [b, 2]),
  "sumTo": () => m.sumTo(A, [b]),
  "transpose perm": () => m.transpose(A, [b, 0]),
  "slice start": () => m.slice(A, [b], [1]),
  "slice size": () => m.slice(A, [0], [b]),
  "concat axis": () => m.concat([A, A], b),
  "stack axis": () => m.stack([v, v], b),
  "tensordot axes": () => m.tensordot(A, A, b),
  "tensordot axes2": () => m.tensordot(A, A, [[b], [0]]),
  "einsum spec": () => m.einsum(b, A),
  "vec order": () => m.vec(A, { order: b }),
  "unvec shape": () => m.unvec(v, [b, 1]),
  "commutation": () => m.commutation(b, 2),
  "commutation n": () => m.commutation(2, b),
  "allClose rtol": () => m.allClose(A, A, { rtol: b }),
  "allClose atol": () => m.allClose(A, A, { atol: b }),
  "assertAllClose": () => m.assertAllClose(A, A, { atol: b }),
  "numericalGrad eps": () => m.numericalGrad(f, v, { eps: b }),
  "checkGrad eps": () => m.checkGrad(f, v, { eps: b }),
  "checkGrad rtol": () => m.checkGrad(f, v, { rtol: b }),
  "checkGrad atol": () => m.checkGrad(f, v, { atol: b }),
  "checkGrad modes": () => m.checkGrad(f, v, { modes: [b] }),
  "assertGrad atol": () => m.assertGrad(f, v, { atol: b }),
  "identityJacobian": () => m.identityJacobian([b]),
  "setDenseBudget": () => m.setDenseBudget(b),
  "toLayout": () => m.toLayout(A, b),
  "fromLayout shape": () => m.fromLayout(A, "numerator", [b]),
  "crossEntropy labels": () => m.crossEntropy(A, [b, 0]),
  "crossEntropy label": () => m.crossEntropy(v, b),
  "gd lr": () => m.gradientDescent({ loss: f, params: v, lr: b, steps: 1 }),
  "gd steps": () => m.gradientDescent({ loss: f, params: v, lr: 0.1, steps: b }),
  "gd evalEvery": () => m.gradientDescent({ loss: f, params: v, lr: 0.1, steps: 1, evalEvery: b }),
  "gd maxLoss": () =>
    m.gradientDescent({ loss: f, params: v, lr: 0.1, steps: 1, divergence: { maxLoss: b } }),
  "gd growth": () =>
    m.gradientDescent({ loss: f, params: v, lr: 0.1, steps: 1, divergence: { growth: b } }),
  "gd label": () => m.gradientDescent({ loss: f, params: v, lr: 0.1, steps: 1, label: b }),
  "minibatches n": () => m.minibatches(b, 2),
  "minibatches bs": () => m.minibatches(4, b),
  "minibatches epochs": () => m.minibatches(4, 2, { epochs: b }),
  "minibatches seed": () => m.minibatches(4, 2, { seed: b }),
  "minibatches shuffle": () => m.minibatches(4, 2, { shuffle: b }),
  "minibatches dropLast": () => m.minibatches(4, 2, { dropLast: b }),
  "takeRows": () => m.takeRows(A, [b]),
  "at": () => A.at(b, 0),
  "setThreads": () => m.setThreads(b),
  "jvp tangent": () => m.jvp(f, v, b),
  "vjp cotangent": () => m.vjp(f, v)[1](b),
  "grad x": () => m.grad(f, b),
  "dot": () => m.dot(v, b),
  "matmul": () => m.matmul(A, b),
  "outer": () => m.outer(v, b),
  "kron": () => m.kron(A, b),
  "trace": () => m.trace(b),
  "diagonalJacobian": () => m.diagonalJacobian(b),
  "options bare": () => m.sum(A, 0, b),
  "squeeze axis": () => m.squeeze(m.ones([1, 2]), b),
  "expandDims axis": () => m.expandDims(v, b),
  "take index": () => m.take(A, [b]),
  "take axis": () => m.take(A, [0], b),
  "cumsum axis": () => m.cumsum(A, b),
  "tril k": () => m.tril(A, b),
  "triu k": () => m.triu(A, b),
  "diag k": () => m.diag(v, b),
  "diagonal offset": () => m.diagonal(A, b),
  "diagonal axis": () => m.diagonal(A, 0, b),
  "prod axis": () => m.prod(A, b),
  "prod keepdims": () => m.prod(A, 0, { keepdims: b }),
  "norm ord": () => m.norm(A, b),
  "norm axis": () => m.norm(A, 2, { axis: b }),
  "norm keepdims": () => m.norm(v, 2, { keepdims: b }),
  "matrixPower k": () => m.matrixPower(A, b),
  "get index": () => A.get(b),
  "get second index": () => A.get(0, b),
  "solveTriangular lower": () => m.solveTriangular(A, v, { lower: b }),
  "maximum operand": () => m.maximum(v, b),
  "Tensor ctor shape": () => new m.Tensor(new Float64Array(2), [b]),
});

/** Each slot's message must name what it is about (the argument, or the option). */
const NAMES: Record<string, RegExp> = {
  "full value": /value/,
  "arange start": /stop/,
  "arange stop": /stop/,
  "arange step": /step/,
  "linspace num": /num/,
  "linspace start": /start/,
  "rand seed": /seed/,
  "randn seed": /seed/,
  "pow p": /exponent/,
  "clip lo": /bounds/,
  "clip hi": /bounds/,
  "sum keepdims": /keepdims/,
  "slice start": /start/,
  "slice size": /end/,
  "einsum spec": /spec/,
  "vec order": /order/,
  "commutation": /\bm\b/,
  "commutation n": /\bn\b/,
  "allClose rtol": /rtol/,
  "allClose atol": /atol/,
  "assertAllClose": /atol/,
  "numericalGrad eps": /eps/,
  "checkGrad eps": /eps/,
  "checkGrad rtol": /rtol/,
  "checkGrad atol": /atol/,
  "checkGrad modes": /modes/,
  "assertGrad atol": /assertGrad: atol/,
  "setDenseBudget": /budget/,
  "toLayout": /layout/,
  "crossEntropy labels": /labels/,
  "crossEntropy label": /labels/,
  "gd lr": /lr/,
  "gd steps": /steps/,
  "gd evalEvery": /evalEvery/,
  "gd maxLoss": /maxLoss/,
  "gd growth": /growth/,
  "gd label": /label/,
  "minibatches n": /\bn\b/,
  "minibatches bs": /batchSize/,
  "minibatches epochs": /epochs/,
  "minibatches seed": /seed/,
  "minibatches shuffle": /shuffle/,
  "minibatches dropLast": /dropLast/,
  "takeRows": /index/,
  "at": /index/,
  "setThreads": /threads/,
  "jvp tangent": /tangent/,
  "vjp cotangent": /\bu\b/,
  "grad x": /\bx\b/,
  "options bare": /options/,
  "transpose perm": /perm/,
  "tensordot axes": /axes/,
  "tensordot axes2": /axis/,
  "squeeze axis": /axis/,
  "expandDims axis": /axis/,
  "take index": /indices/,
  "take axis": /axis/,
  "cumsum axis": /axis/,
  "tril k": /offset k/,
  "triu k": /offset k/,
  "diag k": /offset/,
  "diagonal offset": /offset/,
  "diagonal axis": /axis/,
  "prod axis": /axis/,
  "prod keepdims": /keepdims/,
  "norm ord": /order/,
  "norm axis": /axis/,
  "norm keepdims": /keepdims/,
  "matrixPower k": /exponent k/,
  "get index": /index/,
  "get second index": /index .* on axis 1/,
  "solveTriangular lower": /lower/,
};

for (
  const [label, bad, shown] of [["Symbol", Symbol("s"), "Symbol(s)"], ["BigInt", 2n, "2n"]] as const
) {
  Deno.test(`a ${label} in any numeric slot is a clear error, not an internal TypeError`, async (t) => {
    for (const [name, call] of Object.entries(slots(bad))) {
      await t.step(name, () => {
        const e = assertThrows(call) as Error;
        assert(
          e instanceof m.ValueError || e instanceof m.ShapeError,
          `${name}: ${e.name}: ${e.message}`,
        );
        const op = name.startsWith("gd ") ? "gradientDescent" : name.split(" ")[0];
        const prefix = { at: "at", "options bare": "sum", "Tensor ctor shape": "Tensor" }[name] ??
          (name === "vjp cotangent" ? "vjp pullback" : op);
        assert(e.message.startsWith(`${prefix}`), `${name}: ${e.message}`);
        if (NAMES[name]) assertMatch(e.message, NAMES[name]);
        // The value itself is shown where the message quotes one.
        if (/got (symbol|bigint) /.test(e.message)) assert(e.message.includes(shown), e.message);
      });
    }
  });
}

Deno.test("functions that take a function refuse anything else", async (t) => {
  const x = m.tensor([1, 2]);
  const takers: Record<string, (g: any) => unknown> = {
    grad: (g) => m.grad(g, x),
    valueAndGrad: (g) => m.valueAndGrad(g, x),
    jacobian: (g) => m.jacobian(g, x),
    jacfwd: (g) => m.jacfwd(g, x),
    jacrev: (g) => m.jacrev(g, x),
    hessian: (g) => m.hessian(g, x),
    vjp: (g) => m.vjp(g, x),
    jvp: (g) => m.jvp(g, x, m.ones([2])),
    checkGrad: (g) => m.checkGrad(g, x),
    assertGrad: (g) => m.assertGrad(g, x),
    numericalGrad: (g) => m.numericalGrad(g, x),
    numericalJacobian: (g) => m.numericalJacobian(g, x),
  };
  const notFunctions: [unknown, string][] = [
    [5, "number 5"],
    ["f", 'string "f"'],
    [null, "null"],
    [undefined, "undefined"],
    [{}, "an object (Object)"],
    [x, "a Tensor of shape [2]"],
    [Symbol("s"), "symbol Symbol(s)"],
    [3n, "bigint 3n"],
  ];
  for (const [name, call] of Object.entries(takers)) {
    await t.step(name, () => {
      for (const [g, shown] of notFunctions) {
        assertThrows(
          () => call(g),
          m.ValueError,
          `${name}: f must be a function of tensors, got ${shown}; call it as ${name}(f, x)`,
        );
      }
    });
  }
  await t.step("gradientDescent's loss and callbacks", () => {
    assertThrows(
      () => m.gradientDescent({ loss: 5 as never, params: x, lr: 0.1, steps: 1 }),
      m.ValueError,
      "gradientDescent: loss must be a function",
    );
    for (const key of ["onStep", "metrics"]) {
      assertThrows(
        () => m.gradientDescent({ loss: f, params: x, lr: 0.1, steps: 1, [key]: 5 }),
        m.ValueError,
        `gradientDescent: ${key} must be a function, got number 5`,
      );
    }
  });
});

Deno.test("assertGrad's errors say assertGrad, not checkGrad", async (t) => {
  const x = m.tensor([1, 2]);
  const cases: [string, () => unknown, string][] = [
    [
      "a non-function",
      () => m.assertGrad(5 as never, x),
      "assertGrad: f must be a function of tensors, got number 5; call it as assertGrad(f, x), e.g. assertGrad((x) => sum(square(x)), x)",
    ],
    [
      "an unknown option",
      () => m.assertGrad(f, x, { bogus: 1 } as never),
      'assertGrad: unknown option "bogus"; the options are modes, rtol, atol, eps',
    ],
    [
      "a bad tolerance",
      () => m.assertGrad(f, x, { rtol: -1 }),
      "assertGrad: rtol must be a non-negative finite number, got number -1",
    ],
    [
      "bad modes",
      () => m.assertGrad(f, x, { modes: [] }),
      'assertGrad: modes must be a non-empty array of "fwd" and "rev", got an array of length 0',
    ],
    [
      "a bad x",
      () => m.assertGrad(f, "x" as never),
      'assertGrad: x must be a Tensor or a non-empty array of Tensors, got string "x"',
    ],
    [
      "a non-finite f(x)",
      () => m.assertGrad((y: m.Tensor) => m.sum(m.log(y)), m.tensor([0])),
      "assertGrad: f(x) has a non-finite value -Infinity at index []",
    ],
    [
      "f returning a number",
      () => m.assertGrad(() => 1 as never, x),
      "assertGrad: the function must return a Tensor, got number 1",
    ],
  ];
  for (const [name, call, message] of cases) {
    await t.step(name, () => {
      const e = assertThrows(call, m.ValueError);
      assert(e.message.startsWith(message), e.message);
      assert(!e.message.includes("checkGrad"), e.message);
    });
  }
  await t.step("a failed check", () => {
    const wrong = (y: m.Tensor) => m.mul(m.stopGradient(y), y);
    const e = assertThrows(() => m.assertGrad(wrong, x), m.GradCheckError);
    assertMatch(e.message, /^assertGrad failed: /);
    // checkGrad itself still reports under its own name.
    assertMatch(String(m.checkGrad(wrong, x)), /^checkGrad failed: /);
  });
  await t.step("an error thrown by f itself is left alone", () => {
    const e = assertThrows(() =>
      m.assertGrad(() => {
        throw new Error("checkGrad-like text from f");
      }, x)
    );
    assertEquals((e as Error).message, "checkGrad-like text from f");
  });
});
