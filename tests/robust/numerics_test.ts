/**
 * Numerical care where users hit it: log-sum-exp, softmax and cross-entropy stay finite and
 * exact for logits of ±1000 (a naive exp overflows at 710), in value and in gradient; and
 * central differences are accurate to about 1e-8 relative on smooth functions, at any scale of x.
 */
import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import {
  add,
  crossEntropy,
  div,
  exp,
  grad,
  jacobian,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  mul,
  numericalJacobian,
  randn,
  sigmoid,
  softmax,
  square,
  sum,
  tanh,
  type Tensor,
  tensor,
} from "matcalc";

const LN2 = Math.log(2);

/** max |a − b| / max |b|: the relative error of a whole Jacobian. */
function relError(a: Tensor, b: Tensor): number {
  const A = a.data, B = b.data;
  let num = 0, den = 0;
  for (let i = 0; i < A.length; i++) {
    num = Math.max(num, Math.abs(A[i] - B[i]));
    den = Math.max(den, Math.abs(B[i]));
  }
  return num / den;
}

const finite = (t: Tensor) => t.data.every(Number.isFinite);

Deno.test("logsumexp()", async (t) => {
  await t.step("±1000: no overflow, no underflow to -Infinity", () => {
    assertStrictEquals(logsumexp(tensor([1000, 1000])).item(), 1000 + LN2);
    assertStrictEquals(logsumexp(tensor([-1000, -1000])).item(), -1000 + LN2);
    assertEquals(logsumexp(tensor([1000, -1000])).item(), 1000);
    assertEquals(logsumexp(tensor([[1000, 1000], [-1000, -1000]]), 1).toArray(), [
      1000 + LN2,
      -1000 + LN2,
    ]);
  });
  await t.step("its gradient is softmax, finite at ±1000", () => {
    const g = grad((x: Tensor) => logsumexp(x), tensor([1000, 1000, -1000]));
    assert(finite(g));
    assertEquals(g.toArray(), [0.5, 0.5, 0]);
  });
});

Deno.test("softmax() / logSoftmax()", async (t) => {
  await t.step("±1000: probabilities are finite and sum to 1", () => {
    assertEquals(softmax(tensor([1000, 0, -1000])).toArray(), [1, 0, 0]);
    // softmax = exp(x − logsumexp(x)) rounds x − lse at |x| = 1000 (ulp 1.1e-13), hence 1e-12.
    for (const v of softmax(tensor([-1000, -1000])).data) assert(Math.abs(v - 0.5) < 1e-12);
    const p = softmax(tensor([[1000, 999], [-1000, -999]]));
    assert(finite(p));
    for (const row of p.toArray() as number[][]) {
      assert(Math.abs(row[0] + row[1] - 1) < 1e-12);
    }
  });
  await t.step("logSoftmax at ±1000 keeps the gap exactly instead of -Infinity", () => {
    assertEquals(logSoftmax(tensor([1000, 0])).toArray(), [0, -1000]);
    assertEquals(logSoftmax(tensor([-1000, 1000])).toArray(), [-2000, 0]);
  });
  await t.step("the Jacobian of softmax is finite at ±1000", () => {
    const J = jacobian((x: Tensor) => softmax(x), tensor([1000, -1000, 0]));
    assert(finite(J));
  });
});

Deno.test("crossEntropy()", async (t) => {
  await t.step("confidently wrong at ±1000 costs 2000, not Infinity", () => {
    const logits = tensor([[1000, -1000]]);
    assertEquals(crossEntropy(logits, tensor([1])).item(), 2000);
    assertStrictEquals(crossEntropy(logits, tensor([0])).item(), 0);
    assertEquals(crossEntropy(logits, tensor([[0, 1]])).item(), 2000);
  });
  await t.step("its gradient (softmax − onehot) / N stays finite at ±1000", () => {
    const g = grad(
      (z: Tensor) => crossEntropy(z, tensor([1, 0])),
      tensor([
        [1000, -1000],
        [-1000, 1000],
      ]),
    );
    assertEquals(g.toArray(), [[0.5, -0.5], [-0.5, 0.5]]);
  });
  await t.step("one gradient-descent step on ±1000 logits is finite", () => {
    const X = tensor([[1, 0], [0, 1]]), y = tensor([1, 0]);
    const W = tensor([[1000, -1000], [-1000, 1000]]);
    const g = grad((W: Tensor) => crossEntropy(matmul(X, W), y), W);
    assert(finite(g));
  });
});

Deno.test("numericalJacobian()", async (t) => {
  const W = randn([3, 4], { seed: 1 }), x0 = randn([4], { seed: 2 });
  const smooth: [string, (x: Tensor) => Tensor, Tensor][] = [
    ["tanh(W x)", (x) => tanh(matmul(W, x)), x0],
    ["sigmoid(x) · exp(x / 3)", (x) => mul(sigmoid(x), exp(div(x, 3))), x0],
    ["log(1 + x²)", (x) => log(add(1, square(x))), x0],
    ["softmax(W x)", (x) => softmax(matmul(W, x)), x0],
    // Relative steps keep the error small when x is large: h scales with |x|.
    ["x³ at |x| ≈ 1000", (x) => mul(x, square(x)), mul(1000, x0)],
    ["tanh(x / 1000) at |x| ≈ 1000", (x) => tanh(div(x, 1000)), mul(1000, x0)],
    ["x² at |x| ≈ 1e-3", (x) => square(x), mul(1e-3, x0)],
  ];
  for (const [name, f, x] of smooth) {
    await t.step(`${name}: relative error ≤ 1e-8 against autodiff`, () => {
      const err = relError(numericalJacobian(f, x), jacobian(f, x));
      assert(err <= 1e-8, `relative error ${err.toExponential(2)}`);
    });
  }
  await t.step("a scalar f: same convention as grad", () => {
    const f = (x: Tensor) => sum(tanh(x));
    const err = relError(numericalJacobian(f, x0), grad(f, x0));
    assert(err <= 1e-8, `relative error ${err.toExponential(2)}`);
  });
});

Deno.test("softmax() of equal logits is exactly uniform, even at ±1000", () => {
  assertEquals(softmax(tensor([-1000, -1000])).toArray(), [0.5, 0.5]);
  assertEquals(softmax(tensor([[1000, 1000, 1000, 1000]])).toArray(), [[
    0.25,
    0.25,
    0.25,
    0.25,
  ]]);
});
