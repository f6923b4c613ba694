import { assert, assertEquals } from "@std/assert";
import {
  assertAllClose,
  clip,
  grad,
  hessian,
  jvp,
  log,
  max,
  min,
  neg,
  numericalGrad,
  pow,
  relu,
  sigmoid,
  sign,
  sqrt,
  step,
  sum,
  type Tensor,
  tensor,
  where,
} from "matcalc";

/**
 * Where an op is flat (relu below 0, a clipped entry, a branch `where` did not take, a non-max
 * entry), its derivative is 0 even when the gradient arriving from above is Infinity (sqrt at
 * 0): selecting, not multiplying by a 0/1 mask, as PyTorch and JAX do. 0·Infinity would be NaN.
 */
Deno.test("flat regions pass 0, not NaN, when an Infinity arrives", async (t) => {
  const x = tensor([-1, 4]);
  await t.step("relu, clip, pow(relu) under sqrt", () => {
    for (
      const f of [
        (v: Tensor) => sum(sqrt(relu(v))),
        (v: Tensor) => sum(sqrt(clip(v, 0, 9))),
        (v: Tensor) => sum(pow(relu(v), 0.5)),
      ]
    ) assertEquals(grad(f, x).toArray(), [0, 0.25]);
  });
  await t.step("where: the branch not taken gets 0", () => {
    const [ga, gb] = grad(
      (a: Tensor, b: Tensor) => sum(sqrt(where(tensor([1, 0]), a, b))),
      [tensor([0, 1]), tensor([1, 4])],
    );
    assertEquals(ga.toArray(), [Infinity, 0]);
    assertEquals(gb.toArray(), [0, 0.25]);
  });
  await t.step("max and min: entries that are not the extremum get 0", () => {
    assertEquals(grad((v: Tensor) => sqrt(max(v)), tensor([0, -1])).toArray(), [Infinity, 0]);
    // min is 0, so neg gives -0 and sqrt's slope at -0 is -Infinity: through neg, +Infinity.
    assertEquals(grad((v: Tensor) => sqrt(neg(min(v))), tensor([0, 1])).toArray(), [
      Infinity,
      0,
    ]);
  });
  await t.step("sign and step: zero slope everywhere, Infinity included", () => {
    const big = tensor([Infinity, -2]);
    assertEquals(grad((v: Tensor) => sum(sqrt(sign(v))), tensor([0, 1])).toArray(), [0, 0]);
    assertEquals(grad((v: Tensor) => sum(step(v)), big).toArray(), [0, 0]);
    assertEquals(jvp((v: Tensor) => step(v), big, tensor([1, 1]))[1].toArray(), [0, 0]);
  });
  await t.step("finite points keep their derivatives (finite differences)", () => {
    const p = tensor([-0.7, 0.4, 2.5]);
    for (
      const f of [
        (v: Tensor) => sum(relu(v)),
        (v: Tensor) => sum(clip(v, 0, 1)),
        (v: Tensor) => sum(where(tensor([1, 0, 1]), v, pow(v, 2))),
        (v: Tensor) => max(v),
      ]
    ) assertAllClose(grad(f, p), numericalGrad(f, p), { rtol: 1e-7, atol: 1e-9 });
  });
});

Deno.test("sigmoid keeps full precision for large negative inputs", async (t) => {
  const xs = [-745, -700, -100, -40, -38, -30, -5, -1e-9, 0, 1e-9, 3, 30, 40, 800];
  const exact = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  await t.step("values, relative error ≤ 4 ulp", () => {
    const got = sigmoid(tensor(xs)).toArray() as number[];
    xs.forEach((x, i) => {
      const want = exact(x);
      const rel = want === 0 ? got[i] : Math.abs(got[i] - want) / want;
      assert(rel <= 4 * Number.EPSILON, `sigmoid(${x}) = ${got[i]}, want ${want}`);
    });
    // The old (1 + tanh(x/2)) / 2 gave exactly 0 here, so log(sigmoid) was -Infinity.
    assertAllClose(log(sigmoid(tensor(-40))), -40 - Math.log1p(Math.exp(-40)), { rtol: 1e-15 });
  });
  await t.step("derivative: closed form σ(1 − σ), autodiff, finite differences", () => {
    const p = tensor([-40, -3, 0.5, 6]);
    const closed = (p.toArray() as number[]).map((x) => exact(x) * exact(-x));
    const g = grad((v: Tensor) => sum(sigmoid(v)), p);
    assertAllClose(g, tensor(closed), { rtol: 1e-14, atol: 0 });
    assertAllClose(g, numericalGrad((v: Tensor) => sum(sigmoid(v)), p), {
      rtol: 1e-7,
      atol: 1e-12,
    });
    // d/dz log σ(z) = σ(-z) ≈ 1 at z = -40.
    assertAllClose(grad((v: Tensor) => sum(log(sigmoid(v))), tensor([-40])), tensor([1]), {
      rtol: 1e-15,
    });
    // σ'' = σ(1 − σ)(1 − 2σ).
    const h = hessian((v: Tensor) => sum(sigmoid(v)), tensor([0.3, -2]));
    const s2 = (x: number) => exact(x) * exact(-x) * (1 - 2 * exact(x));
    assertAllClose(h, tensor([[s2(0.3), 0], [0, s2(-2)]]), { rtol: 1e-13, atol: 1e-16 });
  });
});

Deno.test("README: the double-where keeps a branch not taken finite", () => {
  const x = tensor([-1, 4]);
  const once = grad((v: Tensor) => sum(where(step(v), sqrt(v), 0)), x).toArray() as number[];
  assert(Number.isNaN(once[0]));
  assertEquals(
    grad((v: Tensor) => sum(where(step(v), sqrt(where(step(v), v, 1)), 0)), x).toArray(),
    [0, 0.25],
  );
});
