import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  assertGrad,
  crossEntropy,
  grad,
  hessian,
  jacobian,
  jvp,
  logSoftmax,
  logsumexp,
  matmul,
  mean,
  mse,
  mul,
  neg,
  outer,
  randn,
  ShapeError,
  softmax,
  sub,
  sum,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "matcalc";

function allFinite(t: { data: Float64Array }): boolean {
  return t.data.every(Number.isFinite);
}

Deno.test("logsumexp()", async (t) => {
  await t.step("values, axes and keepdims", () => {
    const x = tensor([[1, 2, 3], [-1, 0, 1]]);
    const naive = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    assertAllClose(logsumexp(x, 1), [naive([1, 2, 3]), naive([-1, 0, 1])], { rtol: 1e-15 });
    assertAllClose(logsumexp(x), naive([1, 2, 3, -1, 0, 1]), { rtol: 1e-15 });
    assertEquals(logsumexp(x, 0, { keepdims: true }).shape, [1, 3]);
    assertEquals(logsumexp(x, -1).shape, [2]);
  });

  await t.step("finite and exact for logits of ±1000 and for -Infinity entries", () => {
    const x = tensor([[1000, 999, -1000], [-1000, -1000, -1000]]);
    const r = logsumexp(x, 1);
    assert(allFinite(r));
    assertAllClose(r, [1000 + Math.log(1 + Math.exp(-1)), -1000 + Math.log(3)], { rtol: 1e-15 });
    assertStrictEquals(logsumexp(tensor([-Infinity, 0])).item(), 0);
    assertStrictEquals(logsumexp(tensor([-Infinity, -Infinity])).item(), -Infinity);
  });

  await t.step("its gradient is softmax, also at ±1000", () => {
    const x = tensor([1000, -1000, 999]);
    const g = grad((v) => logsumexp(v), x);
    assert(allFinite(g));
    assertAllClose(g, softmax(x), { rtol: 1e-13, atol: 0 });
    assertGrad((v) => logsumexp(v, 1), randn([2, 4], { seed: 1 }));
    // The max shift is a constant, so second derivatives are exact: H = diag(s) − s sᵀ.
    const s = softmax(tensor([0.1, 0.2]));
    const H = hessian((v) => logsumexp(v), tensor([0.1, 0.2]));
    const sv = s.toArray() as number[];
    assertAllClose(
      H,
      [[sv[0] - sv[0] ** 2, -sv[0] * sv[1]], [-sv[0] * sv[1], sv[1] - sv[1] ** 2]],
      {
        rtol: 1e-12,
      },
    );
  });
});

Deno.test("softmax()", async (t) => {
  await t.step("rows sum to 1, and ±1000 gives exact one-hots", () => {
    const s = softmax(tensor([[1000, -1000, 0], [1, 2, 3]]));
    assert(allFinite(s));
    assertEquals((s.toArray() as number[][])[0], [1, 0, 0]);
    assertAllClose(sum(s, 1), [1, 1], { rtol: 1e-15 });
    assertAllClose(softmax(tensor([[1, 2], [1, 2]]), 0), [[0.5, 0.5], [0.5, 0.5]], {
      rtol: 1e-15,
    });
  });

  await t.step("Jacobian diag(s) − s sᵀ, checked in both modes", () => {
    const x = randn([4], { seed: 2 });
    const s = softmax(x);
    const J = jacobian((v) => softmax(v), x);
    const sv = s.toArray() as number[];
    const expected = sv.map((si, i) => sv.map((sj, j) => (i === j ? si : 0) - si * sj));
    assertAllClose(J, expected, { rtol: 1e-12, atol: 1e-15 });
    assertGrad((v) => softmax(v), randn([2, 3], { seed: 3 }));
    assertGrad((v) => logSoftmax(v, 0), randn([3, 2], { seed: 4 }));
  });
});

Deno.test("logSoftmax()", () => {
  const r = logSoftmax(tensor([1000, -1000]));
  assertEquals(r.toArray(), [0, -2000]);
  assertAllClose(logSoftmax(tensor([1, 2])), [
    1 - Math.log(Math.E + Math.E ** 2),
    2 - Math.log(Math.E + Math.E ** 2),
  ], {
    rtol: 1e-14,
  });
});

Deno.test("crossEntropy()", async (t) => {
  await t.step("indices, arrays and one-hot labels agree; the batch is averaged", () => {
    const z = randn([3, 4], { seed: 5 });
    const ls = logSoftmax(z).toArray() as number[][];
    const expected = -(ls[0][1] + ls[1][3] + ls[2][0]) / 3;
    assertAllClose(crossEntropy(z, [1, 3, 0]), expected, { rtol: 1e-14 });
    assertAllClose(crossEntropy(z, tensor([1, 3, 0])), expected, { rtol: 1e-14 });
    const onehot = tensor([[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]);
    assertAllClose(crossEntropy(z, onehot), expected, { rtol: 1e-14 });
    assertEquals(crossEntropy(z, onehot).shape, []);
  });

  await t.step("refuses one class, and negative or non-finite one-hot labels", () => {
    // One logit per example: softmax is 1, the loss 0 and the gradient 0 whatever the labels.
    assertMatch(
      assertThrows(() => crossEntropy(tensor([[2], [-1]]), tensor([[1], [0]])), ValueError).message,
      /crossEntropy: logits of shape \[2, 1\] have one class/,
    );
    assertMatch(assertThrows(() => crossEntropy(tensor([5]), 0), Error).message, /have one class/);
    for (const bad of [-1, NaN, Infinity]) {
      assertMatch(
        assertThrows(() => crossEntropy(tensor([[0, 1]]), tensor([[bad, 1]])), ValueError).message,
        new RegExp(
          `crossEntropy: label ${bad} at flat index 0 of labels shaped \\[1, 2\\]`,
        ),
      );
    }
    // Unnormalized but non-negative weights stay allowed (a weighted loss).
    assertAllClose(
      crossEntropy(tensor([[0, 1]]), tensor([[0, 2]])),
      2 * Math.log(1 + Math.E ** -1),
      {
        rtol: 1e-14,
      },
    );
  });

  await t.step("finite for logits of ±1000", () => {
    const z = tensor([[1000, -1000], [-1000, 1000]]);
    assertStrictEquals(crossEntropy(z, [0, 1]).item(), 0);
    assertEquals(crossEntropy(z, [1, 1]).item(), 1000);
    const g = grad((v) => crossEntropy(v, [1, 1]), z);
    assert(allFinite(g));
    assertEquals(g.toArray(), [[0.5, -0.5], [0, 0]]);
  });

  await t.step("a masked class (logit -Infinity) with label 0 adds 0, not NaN", () => {
    const z = tensor([[0, -Infinity, Math.log(3)], [Math.log(3), 0, -Infinity]]);
    // Without the masked classes: −log(3/4) for both rows.
    assertAllClose(crossEntropy(z, [2, 0]), -Math.log(0.75), { rtol: 1e-14 });
    assertStrictEquals(crossEntropy(tensor([0, -Infinity]), 0).item(), 0);
    assertStrictEquals(crossEntropy(tensor([0, -Infinity]), 1).item(), Infinity);
    const g = grad((v) => crossEntropy(v, [2, 0]), z);
    assertAllClose(g, tensor([[0.125, 0, -0.125], [-0.125, 0.125, 0]]), { rtol: 1e-14 });
  });

  await t.step("gradient w.r.t. W of crossEntropy(W x) is (softmax(Wx) − onehot) xᵀ", () => {
    const W = randn([3, 5], { seed: 6 }), x = randn([5], { seed: 7 });
    const g = grad((W) => crossEntropy(matmul(W, x), 2), W);
    assertAllClose(g, outer(sub(softmax(matmul(W, x)), tensor([0, 0, 1])), x), {
      rtol: 1e-12,
      atol: 1e-15,
    });
    assertGrad((W) => crossEntropy(matmul(W, x), 2), W);
    assertGrad((z) => crossEntropy(z, [0, 2]), randn([2, 3], { seed: 8 }));
  });

  await t.step("the fused op matches its composite: values, both sweeps, jvp and hessian", () => {
    // crossEntropy runs as one primitive; this is the definition it fuses.
    const composite = (z: Tensor, y: Tensor) => mean(neg(sum(mul(y, logSoftmax(z)), -1)));
    const z = randn([5, 4], { seed: 11 }), y = softmax(randn([5, 4], { seed: 12 }));
    const onehot = tensor([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]]);
    // Labels need not sum to 1 (the rules carry Σt): a scaled one-hot checks that.
    for (const labels of [y, onehot, mul(2, onehot)]) {
      // Same arithmetic in the same order: the same bits.
      assertStrictEquals(crossEntropy(z, labels).item(), composite(z, labels).item());
      const [gz, gy] = grad((a, b) => crossEntropy(a, b), [z, labels]);
      const [cz, cy] = grad((a, b) => composite(a, b), [z, labels]);
      assertAllClose(gz, cz, { rtol: 1e-14, atol: 1e-17 });
      assertAllClose(gy, cy, { rtol: 1e-14, atol: 1e-17 });
      const v = randn([5, 4], { seed: 13 });
      assertAllClose(
        jvp((a) => crossEntropy(a, labels), z, v)[1],
        jvp((a) => composite(a, labels), z, v)[1],
        { rtol: 1e-13, atol: 1e-16 },
      );
      assertAllClose(
        jvp((b) => crossEntropy(z, b), labels, v)[1],
        jvp((b) => composite(z, b), labels, v)[1],
        { rtol: 1e-13, atol: 1e-16 },
      );
      assertAllClose(
        hessian((a) => crossEntropy(a, labels), z),
        hessian((a) => composite(a, labels), z),
        { rtol: 1e-12, atol: 1e-16 },
      );
    }
    // Soft labels that are themselves differentiated, checked against finite differences too.
    assertGrad((b) => crossEntropy(z, b), y);
    // One example, rank-1 logits.
    const z1 = tensor([0.5, -1, 2]);
    assertStrictEquals(crossEntropy(z1, 2).item(), composite(z1, tensor([0, 0, 1])).item());
  });

  await t.step("errors", () => {
    const z = randn([2, 3], { seed: 9 });
    assertEquals(
      assertThrows(() => crossEntropy(z, [0, 3]), ValueError).message,
      "crossEntropy: label 3 at index 1 is not a class index in [0, 3); class indices must " +
        "be integers from 0 to 2, or pass one-hot labels shaped like logits",
    );
    assertEquals(
      assertThrows(() => crossEntropy(z, [0, 1, 2]), ShapeError).message,
      "crossEntropy: cannot match labels of shape [3] with logits of shape [2, 3]: pass " +
        "one-hot labels of shape [2, 3] or class indices of shape [2]",
    );
    assertEquals(
      assertThrows(() => crossEntropy(tensor(1), 0), ShapeError).message,
      "crossEntropy: logits must have a class axis (rank ≥ 1), got shape []",
    );
    assertMatch(
      assertThrows(() => crossEntropy(z, "a" as unknown as number), ValueError).message,
      /^crossEntropy: labels must be a Tensor, an array of class indices or a number, got string "a"/,
    );
  });
});

Deno.test("mse()", async (t) => {
  await t.step("mean of squared differences; gradient 2(p − t)/n", () => {
    const p = tensor([1, 2, 3]), q = tensor([1, 0, 0]);
    assertStrictEquals(mse(p, q).item(), 13 / 3);
    assertAllClose(grad((v) => mse(v, q), p), [0, 4 / 3, 2], { rtol: 1e-15 });
    assertGrad((v) => mse(v, q), randn([3], { seed: 10 }));
  });
  await t.step("shapes must match", () => {
    assertEquals(
      assertThrows(() => mse(tensor([1, 2]), tensor([[1], [2]])), ShapeError).message,
      "mse: cannot compare pred of shape [2] with target of shape [2, 1]: the shapes must be " +
        "equal (reshape one of them)",
    );
  });
});

Deno.test("logsumexp() / softmax() over an empty axis", () => {
  // Σ over nothing is 0, so logsumexp is log 0 = −∞, as scipy.special.logsumexp gives.
  assertEquals(logsumexp(zeros([3, 0]), 1).toArray(), [-Infinity, -Infinity, -Infinity]);
  assertStrictEquals(logsumexp(zeros([0])).item(), -Infinity);
  assertEquals(softmax(zeros([2, 0])).shape, [2, 0]);
});
