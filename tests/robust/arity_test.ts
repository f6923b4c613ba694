/**
 * Issue 17.1: the transforms accept functions whose `length` counts optional parameters
 * (matcalc's own sum, mean, max, min, logsumexp, transpose, softmax; a `loss(W, step)`), and
 * check the derivatives they get against finite differences. A function declaring more
 * parameters than inputs is called anyway; if that fails, the error says why. One declaring
 * fewer parameters than inputs is refused (the others would get a zero derivative).
 */
// deno-lint-ignore-file no-explicit-any
import { assert, assertAlmostEquals, assertEquals, assertMatch, assertThrows } from "@std/assert";
import * as m from "matcalc";

const x = m.tensor([1, 2, 4, 3]);

/** matcalc's own functions with optional parameters, as a user passes them. */
const FUNCTIONS: Record<string, (x: m.Tensor) => m.Tensor> = {
  sum: m.sum,
  mean: m.mean,
  max: m.max,
  min: m.min,
  logsumexp: m.logsumexp,
  transpose: m.transpose,
  softmax: m.softmax,
  logSoftmax: m.logSoftmax,
  "loss(W, step)": (W: m.Tensor, step?: number) => m.mul(step ?? 1, m.sum(m.square(W))),
};

/** Every transform that takes a function, each giving the full Jacobian of f at x. */
const TRANSFORMS: Record<string, (f: any, x: m.Tensor) => number[]> = {
  jacobian: (f, x) => Array.from(m.jacobian(f, x).data),
  jacfwd: (f, x) => Array.from(m.jacfwd(f, x).data),
  jacrev: (f, x) => Array.from(m.jacrev(f, x).data),
  grad: (f, x) => Array.from(m.grad((y: m.Tensor) => m.sum(f(y)), x).data),
  valueAndGrad: (f, x) => Array.from(m.valueAndGrad((y: m.Tensor) => m.sum(f(y)), x)[1].data),
  vjp: (f, x) => {
    const [y, pull] = m.vjp(f, x);
    return Array.from(pull(m.ones(y.shape)).data);
  },
  jvp: (f, x) => Array.from(m.jvp(f, x, m.ones(x.shape))[1].data),
  hessian: (f, x) => Array.from(m.hessian((y: m.Tensor) => m.sum(f(y)), x).data),
  numericalJacobian: (f, x) => Array.from(m.numericalJacobian(f, x).data),
};

/** The same quantity by finite differences, to compare with. */
const REFERENCE: Record<string, (f: any, x: m.Tensor) => number[]> = {
  jacobian: (f, x) => Array.from(m.numericalJacobian(f, x).data),
  jacfwd: (f, x) => Array.from(m.numericalJacobian(f, x).data),
  jacrev: (f, x) => Array.from(m.numericalJacobian(f, x).data),
  grad: (f, x) => Array.from(m.numericalGrad((y: m.Tensor) => m.sum(f(y)), x).data),
  valueAndGrad: (f, x) => Array.from(m.numericalGrad((y: m.Tensor) => m.sum(f(y)), x).data),
  vjp: (f, x) => Array.from(m.numericalGrad((y: m.Tensor) => m.sum(f(y)), x).data),
  jvp: (f, x) =>
    Array.from(m.matmul(m.reshape(m.numericalJacobian(f, x), [-1, x.size]), m.ones([x.size])).data),
  hessian: (f, x) =>
    Array.from(
      m.numericalJacobian((y: m.Tensor) => m.grad((z: m.Tensor) => m.sum(f(z)), y), x).data,
    ),
  numericalJacobian: (f, x) => Array.from(m.jacrev(f, x).data),
};

for (const [tname, transform] of Object.entries(TRANSFORMS)) {
  Deno.test(`${tname} accepts functions with optional parameters`, async (t) => {
    for (const [fname, f] of Object.entries(FUNCTIONS)) {
      await t.step(fname, () => {
        const got = transform(f, x), want = REFERENCE[tname](f, x);
        assertEquals(got.length, want.length);
        got.forEach((g, i) => assertAlmostEquals(g, want[i], 1e-5));
      });
    }
  });
}

Deno.test("checkGrad and assertGrad accept them too", async (t) => {
  for (const [fname, f] of Object.entries(FUNCTIONS)) {
    await t.step(fname, () => {
      assert(m.checkGrad(f, x).ok);
      assert(m.assertGrad(f, x).ok);
      assert(m.numericalGrad((y: m.Tensor) => m.sum(f(y)), x).size === 4);
    });
  }
  await t.step("the issue's example: grad(mean, tensor([1, 2, 3, 4]))", () => {
    assertEquals(m.grad(m.mean, m.tensor([1, 2, 3, 4])).toArray(), [0.25, 0.25, 0.25, 0.25]);
  });
});

Deno.test("closed forms for matcalc's own reductions", () => {
  assertEquals(m.grad(m.sum, x).toArray(), [1, 1, 1, 1]);
  assertEquals(m.grad(m.max, x).toArray(), [0, 0, 1, 0]);
  assertEquals(m.grad(m.min, x).toArray(), [1, 0, 0, 0]);
  const p = Array.from(m.softmax(x).data);
  Array.from(m.grad(m.logsumexp, x).data).forEach((g, i) => assertAlmostEquals(g, p[i], 1e-15));
  assertEquals(m.jacobian(m.transpose, m.tensor([[1, 2]])).shape, [2, 1, 1, 2]);
});

Deno.test("a function declaring more parameters than inputs: the error says why", async (t) => {
  const f2 = (a: m.Tensor, b: m.Tensor) => m.sum(m.add(a, b));
  const hint = (op: string) =>
    `(${op}: f declares 2 parameters but 1 input was given, so the others were undefined; if ` +
    `it takes several tensors, pass them as an array, e.g. ${op}(f, [W, b]))`;
  const calls: [string, () => unknown][] = [
    ["grad", () => m.grad(f2, x)],
    ["valueAndGrad", () => m.valueAndGrad(f2, x)],
    ["jacobian", () => m.jacobian(f2, x)],
    ["jacfwd", () => m.jacfwd(f2, x)],
    ["jacrev", () => m.jacrev(f2, x)],
    ["hessian", () => m.hessian(f2, x)],
    ["vjp", () => m.vjp(f2, x)],
    ["jvp", () => m.jvp(f2, x, m.ones([4]))],
    ["checkGrad", () => m.checkGrad(f2, x)],
    ["assertGrad", () => m.assertGrad(f2, x)],
    ["numericalGrad", () => m.numericalGrad(f2, x)],
    ["numericalJacobian", () => m.numericalJacobian(f2, x)],
  ];
  for (const [op, call] of calls) {
    await t.step(op, () => {
      const e = assertThrows(call, m.ValueError);
      assert(e.message.startsWith("add: operand must be a Tensor or a number, got undefined"));
      assert(e.message.endsWith(hint(op)), e.message);
      assert(e.stack!.startsWith(`ValueError: ${e.message}`), "the stack shows the hint once");
    });
  }
  await t.step("the hint is added once, also through nested transforms", () => {
    const e = assertThrows(() => m.hessian(f2, x), m.ValueError);
    assertEquals(e.message.split("f declares").length, 2);
  });
  await t.step("passing both inputs works", () => {
    assertEquals(m.grad(f2, [x, x])[1].toArray(), [1, 1, 1, 1]);
  });
});

Deno.test("a function declaring fewer parameters than inputs is refused", async (t) => {
  for (
    const [op, call] of [
      ["grad", () => m.grad((a: m.Tensor) => m.sum(a), [x, x])],
      ["jacobian", () => m.jacobian((a: m.Tensor) => a, [x, x])],
      ["checkGrad", () => m.checkGrad((a: m.Tensor) => m.sum(a), [x, x])],
      ["numericalGrad", () => m.numericalGrad((a: m.Tensor) => m.sum(a), [x, x])],
    ] as const
  ) {
    await t.step(op, () => {
      assertThrows(
        call,
        m.ValueError,
        `${op}: f takes 1 argument but 2 inputs were given, so the derivative for the others ` +
          `would silently be zero`,
      );
    });
  }
  await t.step("rest parameters take any number", () => {
    const g = m.grad((...ts: m.Tensor[]) => m.sum(m.mul(ts[0], ts[1])), [x, m.ones([4])]);
    assertEquals(g[0].toArray(), [1, 1, 1, 1]);
  });
});

Deno.test("gradientDescent: a loss with an optional parameter, and one with too few", () => {
  const r = m.gradientDescent({
    loss: (W: m.Tensor, _step?: number, scale?: number) => m.mul(scale ?? 0.5, m.sum(m.square(W))),
    params: m.tensor([1]),
    lr: 0.5,
    steps: 3,
  });
  assertEquals(r.params.toArray(), [0.125]);
  assertThrows(
    () =>
      m.gradientDescent({
        loss: (W: m.Tensor) => m.sum(W),
        params: [m.tensor([1]), m.tensor([2])],
        lr: 0.1,
        steps: 1,
      }),
    m.ValueError,
    "gradientDescent: loss takes 1 argument but params has 2 tensors, so the others would never change",
  );
  const e = assertThrows(
    () =>
      m.gradientDescent({
        loss: (w: m.Tensor, b: m.Tensor, c: m.Tensor) => m.sum(m.add(w, m.add(b, c))),
        params: m.tensor([1]),
        lr: 0.1,
        steps: 1,
      }),
    m.ValueError,
  );
  assertMatch(
    e.message,
    /\(gradientDescent: loss declares 3 parameters but gets 2, the tensor of params and the step number/,
  );
});
