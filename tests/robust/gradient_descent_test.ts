import {
  add,
  gradientDescent,
  log,
  matmul,
  mean,
  minibatches,
  mul,
  ShapeError,
  sqrt,
  square,
  sub,
  sum,
  takeRows,
  type Tensor,
  tensor,
  TrainingError,
  type TrainingMonitor,
  ValueError,
} from "matcalc";
import {
  assert,
  assertEquals,
  AssertionError,
  assertMatch,
  assertNotEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";

/** L = ½ a w²: gradient descent multiplies w by (1 − lr · a) each step. */
const quadratic = (a: number) => (w: Tensor) => mul(0.5 * a, sum(square(w)));

/** A monitor that records every call, as `liveLoss()` would receive them. */
function recorder() {
  const calls: [string, ...unknown[]][] = [];
  const monitor: TrainingMonitor = {
    push: (step, values) => void calls.push(["push", step, values]),
    markDivergence: (step, message, label) =>
      void calls.push(["markDivergence", step, message, label]),
    done: () => void calls.push(["done"]),
  };
  return { calls, monitor };
}

/** Runs `fn`, asserts that it throws a `cls`, and returns the error, typed. */
// deno-lint-ignore no-explicit-any
function catchError<E>(cls: new (...args: any[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof cls) return e;
    throw new AssertionError(`expected ${cls.name}, got ${e}`);
  }
  throw new AssertionError(`expected ${cls.name}, got no error`);
}

Deno.test("gradientDescent()", async (t) => {
  await t.step("converges at the closed-form rate w_k = (1 − lr·a)^k", () => {
    const w0 = tensor([1]);
    const r = gradientDescent({ loss: quadratic(1), params: w0, lr: 0.5, steps: 10 });
    assertEquals(r.stopped, undefined);
    assertEquals(r.diverged, false);
    assertEquals(r.history.length, 11);
    r.history.forEach((h, k) => {
      assertStrictEquals(h.step, k);
      assertStrictEquals(h.loss, 0.5 * 0.25 ** k);
    });
    assertEquals(r.params.toArray(), [0.5 ** 10]);
    assertStrictEquals(r.loss, 0.5 * 0.25 ** 10);
    assertEquals(w0.toArray(), [1], "the initial parameters are not modified");
  });

  await t.step("steps: 0 evaluates the loss once and returns the initial parameters", () => {
    const w0 = tensor([2]);
    const r = gradientDescent({ loss: quadratic(1), params: w0, lr: 0.1, steps: 0 });
    assertEquals(r.history, [{ step: 0, loss: 2 }]);
    assertStrictEquals(r.params, w0);
  });

  await t.step("several parameters: [W, b] in, [W, b] out", () => {
    const X = tensor([[0], [1], [2]]), y = tensor([1, 3, 5]);
    const r = gradientDescent({
      loss: (W: Tensor, b: Tensor) => mean(square(sub(add(matmul(X, W), b), y))),
      params: [tensor([0]), tensor(0)],
      lr: 0.1,
      steps: 400,
    });
    assert(Math.abs(r.params[0].at(0) - 2) < 1e-6);
    assert(Math.abs(r.params[1].item() - 1) < 1e-6);
  });

  await t.step("lr too large: stops at the step where the loss passes growth × initial", () => {
    // a = 2, lr = 1.5: w ← (1 − 3) w = −2w, so loss_k = w_k² = 4^k and 4^7 > 1e4 × 4^0.
    const { calls, monitor } = recorder();
    const r = gradientDescent({
      loss: quadratic(2),
      params: tensor([1]),
      lr: 1.5,
      steps: 100,
      monitor,
    });
    const message = "gradientDescent: stopped at step 7: the loss grew to 16384, more than " +
      "10000 × its initial value 1 (last good loss 4096 at step 6, lr = 1.5); the updates " +
      "overshoot and grow: try a smaller learning rate, e.g. lr = 0.15. The history and the " +
      "parameters of step 6 are returned";
    assertEquals(r.stopped, { step: 7, reason: "growth", loss: 16384, message });
    assertEquals(r.diverged, true);
    assertEquals(r.history.map((h) => h.loss), [1, 4, 16, 64, 256, 1024, 4096]);
    assertEquals(r.params.toArray(), [64], "(−2)^6: the last parameters with a good loss");
    assertEquals(r.loss, 4096);
    // The chart got every accepted step, then the divergence mark, then done.
    assertEquals(calls.length, 9);
    assertEquals(calls[6], ["push", 6, { loss: 4096 }]);
    assertEquals(calls[7], ["markDivergence", 7, message, "diverged at step 7"]);
    assertEquals(calls[8], ["done"]);
  });

  await t.step("loss overflows to Infinity: stops at that step with the last good loss", () => {
    // Growth check off: 4^k overflows float64 at k = 512 (2^1024).
    const r = gradientDescent({
      loss: quadratic(2),
      params: tensor([1]),
      lr: 1.5,
      steps: 1000,
      divergence: { growth: Infinity },
    });
    assertEquals(r.stopped?.step, 512);
    assertEquals(r.stopped?.reason, "infinity");
    assertStrictEquals(r.stopped?.loss, Infinity);
    assertStrictEquals(
      r.stopped?.message,
      "gradientDescent: stopped at step 512: the loss became Infinity (last good loss " +
        "4.4942e+307 at step 511, lr = 1.5); the updates overshoot and grow: try a smaller " +
        "learning rate, e.g. lr = 0.15. The history and the parameters of step 511 are returned",
    );
    assertEquals(r.history.length, 512);
    assertEquals(r.params.toArray(), [-(2 ** 511)]);
    assert(r.history.every((h) => Number.isFinite(h.loss)));
  });

  await t.step("loss becomes NaN: stops there and keeps finite parameters", () => {
    // L = sqrt(w), lr = 1: w = 1 → 0.5 → 0.5 − 1/(2√0.5) < 0, where sqrt is NaN.
    const r = gradientDescent({
      loss: (w: Tensor) => sum(sqrt(w)),
      params: tensor([1]),
      lr: 1,
      steps: 10,
    });
    assertEquals(r.stopped?.step, 2);
    assertEquals(r.stopped?.reason, "nan");
    assert(Number.isNaN(r.stopped?.loss));
    assertStrictEquals(
      r.stopped?.message,
      "gradientDescent: stopped at step 2: the loss became NaN (last good loss 0.70711 at " +
        "step 1, lr = 1); the loss was not growing: check the data of step 2 for NaN or " +
        "Infinity, and whether an update left the loss function's domain (log or sqrt of a " +
        "negative number, 0/0), which a smaller learning rate avoids, e.g. lr = 0.1. The " +
        "history and the parameters of step 1 are returned",
    );
    assertEquals(r.params.toArray(), [0.5]);
    assertEquals(r.history.map((h) => h.loss), [1, Math.sqrt(0.5)]);
  });

  await t.step("divergence.maxLoss stops once the loss exceeds it", () => {
    const r = gradientDescent({
      loss: quadratic(2),
      params: tensor([1]),
      lr: 1.5,
      steps: 100,
      divergence: { maxLoss: 100 },
    });
    assertEquals(r.stopped?.step, 4);
    assertEquals(r.stopped?.reason, "maxLoss");
    assertMatch(r.stopped!.message, /^gradientDescent: stopped at step 4: the loss 256 exceeded /);
    assertMatch(r.stopped!.message, /divergence\.maxLoss = 100 \(last good loss 64 at step 3/);
  });

  await t.step("a non-finite initial loss blames the loss function, not the learning rate", () => {
    const w0 = tensor([0]);
    const r = gradientDescent({ loss: (w: Tensor) => sum(log(w)), params: w0, lr: 0.1, steps: 5 });
    assertEquals(r.history, []);
    assertStrictEquals(r.params, w0);
    assert(Number.isNaN(r.loss));
    assertEquals(r.stopped, {
      step: 0,
      reason: "infinity",
      loss: -Infinity,
      message: "gradientDescent: the loss became -Infinity at step 0, before any update " +
        "(lr = 0.1); the learning rate is not the cause: check the loss function and the " +
        "initial parameters (log of 0 or of a negative number, 0/0, overflow in exp)",
    });
    // The README's row quotes the NaN form.
    const n = gradientDescent({
      loss: (w: Tensor) => sum(log(w)),
      params: tensor([-1]),
      lr: 0.1,
      steps: 5,
    });
    assertEquals(n.stopped?.reason, "nan");
    assertStrictEquals(
      n.stopped?.message,
      "gradientDescent: the loss became NaN at step 0, before any update (lr = 0.1); the " +
        "learning rate is not the cause: check the loss function and the initial parameters " +
        "(log of 0 or of a negative number, 0/0, overflow in exp)",
    );
  });

  await t.step("onStep returning false stops early without calling it divergence", () => {
    const r = gradientDescent({
      loss: quadratic(1),
      params: tensor([1]),
      lr: 0.5,
      steps: 100,
      onStep: ({ loss }) => loss > 1e-3,
    });
    assertEquals(r.diverged, false);
    assertEquals(r.stopped?.reason, "onStep");
    assertEquals(r.stopped?.step, 5); // ½ · 4^-5 < 1e-3
    assertEquals(r.history.length, 6);
    assertEquals(r.params.toArray(), [0.5 ** 5]);
  });

  await t.step("onStep sees params and grads at the step, and no grads on the last", () => {
    const seen: [number, number[], number[] | undefined][] = [];
    gradientDescent({
      loss: quadratic(1),
      params: tensor([1]),
      lr: 0.5,
      steps: 2,
      onStep: ({ step, params, grads }) =>
        void seen.push([step, params.toArray() as number[], grads?.toArray() as number[]]),
    });
    assertEquals(seen, [[0, [1], [1]], [1, [0.5], [0.5]], [2, [0.25], undefined]]);
  });

  await t.step("a throwing onStep keeps the history on a TrainingError", () => {
    const { calls, monitor } = recorder();
    const boom = new Error("plot failed");
    const e = catchError(TrainingError, () =>
      gradientDescent({
        loss: quadratic(1),
        params: tensor([1]),
        lr: 0.5,
        steps: 10,
        monitor,
        onStep: ({ step }) => {
          if (step === 3) throw boom;
        },
      }));
    assertStrictEquals(
      e.message,
      "gradientDescent: onStep threw at step 3: plot failed. Nothing is lost: the history " +
        "(4 steps, last loss 0.0078125) and the last parameters are on this error as .history " +
        "and .params",
    );
    assertEquals(e.name, "TrainingError");
    assertStrictEquals(e.cause, boom);
    assertEquals(e.step, 3);
    assertEquals(e.history.map((h) => h.step), [0, 1, 2, 3]);
    assertEquals((e.params as Tensor).toArray(), [0.125]);
    assertEquals(calls.at(-1), ["done"], "the live chart is closed");
  });

  await t.step("a loss that throws mid-run keeps the history; at step 0 the error is as is", () => {
    const e = catchError(TrainingError, () =>
      gradientDescent({
        loss: (w: Tensor, step: number) => {
          if (step === 2) throw new RangeError("batch 2 is missing");
          return quadratic(1)(w);
        },
        params: tensor([1]),
        lr: 0.5,
        steps: 5,
      }));
    assertMatch(e.message, /^gradientDescent: the loss function threw at step 2: batch 2/);
    assert(e.cause instanceof RangeError);
    assertEquals(e.history.length, 2);
    assertEquals((e.params as Tensor).toArray(), [0.5]);

    // Nothing recorded yet: the user's own error class comes through unchanged.
    const first = catchError(ShapeError, () =>
      gradientDescent({
        loss: (w: Tensor) => matmul(w, tensor([1, 2, 3])),
        params: tensor([1, 2]),
        lr: 0.1,
        steps: 5,
      }));
    assertEquals(
      first.message,
      "matmul: cannot multiply [2] by [3]: inner dimensions 2 and 3 differ",
    );
  });

  await t.step("a throwing monitor keeps the history too", () => {
    const e = catchError(TrainingError, () =>
      gradientDescent({
        loss: quadratic(1),
        params: tensor([1]),
        lr: 0.5,
        steps: 5,
        monitor: {
          push: (step) => {
            if (step === 1) throw new Error("display closed");
          },
        },
      }));
    assertMatch(e.message, /^gradientDescent: monitor\.push threw at step 1: display closed\./);
    assertEquals(e.history.length, 2);
  });

  await t.step("metrics are recorded every evalEvery steps and on the last one", () => {
    const { calls, monitor } = recorder();
    const r = gradientDescent({
      loss: quadratic(1),
      params: tensor([1]),
      lr: 0.5,
      steps: 5,
      metrics: (w: Tensor) => ({ w: w.at(0), twice: mul(2, sum(w)) }),
      evalEvery: 2,
      monitor,
    });
    assertEquals(r.history.map((h) => h.w), [1, undefined, 0.25, undefined, 0.0625, 0.03125]);
    assertEquals(r.history[2].twice, 0.5);
    assertEquals(calls[0], ["push", 0, { loss: 0.5, w: 1, twice: 2 }]);
    assertEquals(calls[1], ["push", 1, { loss: 0.125 }]);
  });

  await t.step("label: several runs share one monitor, which the caller closes", () => {
    const { calls, monitor } = recorder();
    const runs = [0.1, 0.5, 1.5].map((lr) =>
      gradientDescent({
        loss: quadratic(2),
        params: tensor([1]),
        lr,
        steps: 20,
        monitor,
        label: `lr=${lr}`,
        metrics: (w: Tensor) => ({ w: w.at(0) }),
        evalEvery: 100,
      })
    );
    assertEquals(runs.map((r) => r.diverged), [false, false, true]);
    assert(!calls.some(([name]) => name === "done"));
    assertEquals(calls[0], ["push", 0, { "lr=0.1": 1, "lr=0.1 w": 1 }]);
    assertEquals(calls.filter(([name]) => name === "markDivergence").map((c) => c[1]), [7]);
  });

  await t.step("minibatch SGD with minibatches() and takeRows()", () => {
    const X = tensor([[0], [1], [2], [3]]), y = tensor([[1], [3], [5], [7]]);
    const batches = minibatches(4, 2, { seed: 3, epochs: 200 });
    const r = gradientDescent({
      loss: (W: Tensor, b: Tensor, step: number) => {
        const idx = batches[step % batches.length];
        return mean(square(sub(add(matmul(takeRows(X, idx), W), b), takeRows(y, idx))));
      },
      params: [tensor([[0]]), tensor([0])],
      lr: 0.05,
      steps: batches.length - 1,
    });
    assert(Math.abs(r.params[0].at(0, 0) - 2) < 1e-3);
    assert(Math.abs(r.params[1].at(0) - 1) < 1e-3);
  });

  await t.step("rejects bad options with the value it got", () => {
    const ok = { loss: quadratic(1), params: tensor([1]), lr: 0.1, steps: 3 };
    const cases: [Record<string, unknown>, string][] = [
      [
        { params: [] },
        "gradientDescent: params must be a Tensor or a non-empty array of Tensors, got an " +
        "array of length 0; build them with tensor(…) or randn(…)",
      ],
      [
        { loss: undefined },
        "gradientDescent: loss must be a function returning a scalar Tensor, got undefined",
      ],
      [{ evalEvery: 0 }, "gradientDescent: evalEvery must be a positive integer, got number 0"],
      [
        { divergence: { growth: 1 } },
        "gradientDescent: divergence.growth must be a number > 1 (or Infinity to turn it off), " +
        "got number 1",
      ],
      [
        { divergence: { maxLoss: NaN } },
        "gradientDescent: divergence.maxLoss must be a number, got number NaN",
      ],
      [
        { monitor: {} },
        "gradientDescent: monitor must have a push(step, values) method, got an object " +
        '(Object); use liveLoss() from "matcalc/kernel"',
      ],
      [{ onStep: 5 }, "gradientDescent: onStep must be a function, got number 5"],
    ];
    for (const [patch, message] of cases) {
      const e = assertThrows(
        // deno-lint-ignore no-explicit-any
        () => gradientDescent({ ...ok, ...patch } as any),
        ValueError,
      );
      assertStrictEquals(e.message, message);
    }
  });
});

Deno.test("gradientDescent(): names and options that would be lost", async (t) => {
  // Two short steps on ½w², with the options under test added.
  const run = (extra: Record<string, unknown>) => () =>
    gradientDescent({ loss: quadratic(1), params: tensor([1]), lr: 0.1, steps: 2, ...extra });
  await t.step("a metric named loss or step is refused (it would overwrite the history)", () => {
    for (const name of ["loss", "step"]) {
      const e = assertThrows(run({ metrics: () => ({ [name]: 123 }) }), Error);
      // The refusal may come wrapped as the cause of a training error.
      const cause = (e as { cause?: Error }).cause ?? e;
      assertMatch(cause.message, new RegExp(`metrics returned "${name}", a name the history uses`));
    }
  });
  await t.step("a loss with more arguments than params and the step says so when it fails", () => {
    assertEquals(
      assertThrows(() =>
        gradientDescent({
          loss: (w: Tensor, b: Tensor, c: Tensor) => sum(add(w, add(b, c))),
          params: tensor([1]),
          lr: 0.1,
          steps: 2,
        }), ValueError).message,
      "add: operand must be a Tensor or a number, got undefined; build a tensor with " +
        "tensor(…) (gradientDescent: loss declares 3 parameters but gets 2, the tensor of " +
        "params and the step number, so the others were undefined; pass params: [W, b, …], " +
        "one per argument)",
    );
  });
  await t.step("divergence options are checked", () => {
    for (const divergence of [{ maxloss: 1 }, 5]) {
      assertMatch(
        assertThrows(run({ divergence }), ValueError).message,
        /^gradientDescent: divergence: (unknown option "maxloss"|options must be an object)/,
      );
    }
  });
});

Deno.test("minibatches()", async (t) => {
  await t.step("each epoch is a permutation; seeds are reproducible and epochs differ", () => {
    const b = minibatches(10, 3, { seed: 7, epochs: 2 });
    assertEquals(b.map((x) => x.length), [3, 3, 3, 1, 3, 3, 3, 1]);
    const e0 = b.slice(0, 4).flat(), e1 = b.slice(4).flat();
    assertEquals([...e0].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assertEquals([...e1].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assertNotEquals(e0, e1);
    assertEquals(minibatches(10, 3, { seed: 7, epochs: 2 }), b);
    assertNotEquals(minibatches(10, 3, { seed: 8, epochs: 2 }), b);
    // Neighbouring seeds do not replay each other's epochs shifted by one.
    const s0 = minibatches(12, 12, { seed: 0, epochs: 3 }),
      s1 = minibatches(12, 12, { seed: 1, epochs: 3 });
    for (const a of s0) for (const c of s1) assertNotEquals(a, c);
  });

  await t.step("dropLast, shuffle: false, empty", () => {
    assertEquals(minibatches(5, 2, { shuffle: false, dropLast: true }), [[0, 1], [2, 3]]);
    assertEquals(minibatches(0, 2), []);
    assertEquals(minibatches(3, 2, { epochs: 0 }), []);
  });
});

Deno.test("takeRows()", async (t) => {
  await t.step("gathers rows of any rank, repeats allowed", () => {
    const x = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]);
    assertEquals(takeRows(x, [1, 1]).toArray(), [[[3, 4]], [[3, 4]]]);
    assertEquals(takeRows(x, []).shape, [0, 1, 2]);
  });
});

Deno.test("gradientDescent(): rounding noise on a loss that starts at ~0 is not divergence", () => {
  // Starts at the optimum: the loss is 1e-20, then rounding noise makes it 1e-15 (10⁵×).
  let k = 0;
  const r = gradientDescent({
    loss: (w: Tensor) => add(mul(0, sum(w)), k++ === 0 ? 1e-20 : 1e-15),
    params: tensor([1]),
    lr: 0.1,
    steps: 3,
  });
  assertEquals(r.diverged, false);
  assertEquals(r.history.length, 4);
});
