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
import assert from "@matcalc/assert";

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
    throw new assert.AssertionError({ message: `expected ${cls.name}, got ${e}`, actual: e });
  }
  throw new assert.AssertionError({ message: `expected ${cls.name}, got no error` });
}

Deno.test("gradientDescent()", async (t) => {
  await t.step("converges at the closed-form rate w_k = (1 − lr·a)^k", () => {
    const w0 = tensor([1]);
    const r = gradientDescent({ loss: quadratic(1), params: w0, lr: 0.5, steps: 10 });
    assert.equal(r.stopped, undefined);
    assert.equal(r.diverged, false);
    assert.equal(r.history.length, 11);
    r.history.forEach((h, k) => {
      assert.equal(h.step, k);
      assert.equal(h.loss, 0.5 * 0.25 ** k);
    });
    assert.deepEqual(r.params.toArray(), [0.5 ** 10]);
    assert.equal(r.loss, 0.5 * 0.25 ** 10);
    assert.deepEqual(w0.toArray(), [1], "the initial parameters are not modified");
  });

  await t.step("steps: 0 evaluates the loss once and returns the initial parameters", () => {
    const w0 = tensor([2]);
    const r = gradientDescent({ loss: quadratic(1), params: w0, lr: 0.1, steps: 0 });
    assert.deepEqual(r.history, [{ step: 0, loss: 2 }]);
    assert.equal(r.params, w0);
  });

  await t.step("several parameters: [W, b] in, [W, b] out", () => {
    const X = tensor([[0], [1], [2]]), y = tensor([1, 3, 5]);
    const r = gradientDescent({
      loss: (W: Tensor, b: Tensor) => mean(square(sub(add(matmul(X, W), b), y))),
      params: [tensor([0]), tensor(0)],
      lr: 0.1,
      steps: 400,
    });
    assert.ok(Math.abs(r.params[0].at(0) - 2) < 1e-6);
    assert.ok(Math.abs(r.params[1].item() - 1) < 1e-6);
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
    assert.deepEqual(r.stopped, { step: 7, reason: "growth", loss: 16384, message });
    assert.equal(r.diverged, true);
    assert.deepEqual(r.history.map((h) => h.loss), [1, 4, 16, 64, 256, 1024, 4096]);
    assert.deepEqual(r.params.toArray(), [64], "(−2)^6: the last parameters with a good loss");
    assert.equal(r.loss, 4096);
    // The chart got every accepted step, then the divergence mark, then done.
    assert.equal(calls.length, 9);
    assert.deepEqual(calls[6], ["push", 6, { loss: 4096 }]);
    assert.deepEqual(calls[7], ["markDivergence", 7, message, "diverged at step 7"]);
    assert.deepEqual(calls[8], ["done"]);
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
    assert.equal(r.stopped?.step, 512);
    assert.equal(r.stopped?.reason, "infinity");
    assert.equal(r.stopped?.loss, Infinity);
    assert.equal(
      r.stopped?.message,
      "gradientDescent: stopped at step 512: the loss became Infinity (last good loss " +
        "4.4942e+307 at step 511, lr = 1.5); the updates overshoot and grow: try a smaller " +
        "learning rate, e.g. lr = 0.15. The history and the parameters of step 511 are returned",
    );
    assert.equal(r.history.length, 512);
    assert.deepEqual(r.params.toArray(), [-(2 ** 511)]);
    assert.ok(r.history.every((h) => Number.isFinite(h.loss)));
  });

  await t.step("loss becomes NaN: stops there and keeps finite parameters", () => {
    // L = sqrt(w), lr = 1: w = 1 → 0.5 → 0.5 − 1/(2√0.5) < 0, where sqrt is NaN.
    const r = gradientDescent({
      loss: (w: Tensor) => sum(sqrt(w)),
      params: tensor([1]),
      lr: 1,
      steps: 10,
    });
    assert.equal(r.stopped?.step, 2);
    assert.equal(r.stopped?.reason, "nan");
    assert.ok(Number.isNaN(r.stopped?.loss));
    assert.equal(
      r.stopped?.message,
      "gradientDescent: stopped at step 2: the loss became NaN (last good loss 0.70711 at " +
        "step 1, lr = 1); the loss was not growing: check the data of step 2 for NaN or " +
        "Infinity, and whether an update left the loss function's domain (log or sqrt of a " +
        "negative number, 0/0), which a smaller learning rate avoids, e.g. lr = 0.1. The " +
        "history and the parameters of step 1 are returned",
    );
    assert.deepEqual(r.params.toArray(), [0.5]);
    assert.deepEqual(r.history.map((h) => h.loss), [1, Math.sqrt(0.5)]);
  });

  await t.step("divergence.maxLoss stops once the loss exceeds it", () => {
    const r = gradientDescent({
      loss: quadratic(2),
      params: tensor([1]),
      lr: 1.5,
      steps: 100,
      divergence: { maxLoss: 100 },
    });
    assert.equal(r.stopped?.step, 4);
    assert.equal(r.stopped?.reason, "maxLoss");
    assert.match(r.stopped!.message, /^gradientDescent: stopped at step 4: the loss 256 exceeded /);
    assert.match(r.stopped!.message, /divergence\.maxLoss = 100 \(last good loss 64 at step 3/);
  });

  await t.step("a non-finite initial loss blames the loss function, not the learning rate", () => {
    const w0 = tensor([0]);
    const r = gradientDescent({ loss: (w: Tensor) => sum(log(w)), params: w0, lr: 0.1, steps: 5 });
    assert.deepEqual(r.history, []);
    assert.equal(r.params, w0);
    assert.ok(Number.isNaN(r.loss));
    assert.deepEqual(r.stopped, {
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
    assert.equal(n.stopped?.reason, "nan");
    assert.equal(
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
    assert.equal(r.diverged, false);
    assert.equal(r.stopped?.reason, "onStep");
    assert.equal(r.stopped?.step, 5); // ½ · 4^-5 < 1e-3
    assert.equal(r.history.length, 6);
    assert.deepEqual(r.params.toArray(), [0.5 ** 5]);
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
    assert.deepEqual(seen, [[0, [1], [1]], [1, [0.5], [0.5]], [2, [0.25], undefined]]);
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
    assert.equal(
      e.message,
      "gradientDescent: onStep threw at step 3: plot failed. Nothing is lost: the history " +
        "(4 steps, last loss 0.0078125) and the last parameters are on this error as .history " +
        "and .params",
    );
    assert.equal(e.name, "TrainingError");
    assert.equal(e.cause, boom);
    assert.equal(e.step, 3);
    assert.deepEqual(e.history.map((h) => h.step), [0, 1, 2, 3]);
    assert.deepEqual((e.params as Tensor).toArray(), [0.125]);
    assert.deepEqual(calls.at(-1), ["done"], "the live chart is closed");
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
    assert.match(e.message, /^gradientDescent: the loss function threw at step 2: batch 2/);
    assert.ok(e.cause instanceof RangeError);
    assert.equal(e.history.length, 2);
    assert.deepEqual((e.params as Tensor).toArray(), [0.5]);

    // Nothing recorded yet: the user's own error class comes through unchanged.
    const first = catchError(ShapeError, () =>
      gradientDescent({
        loss: (w: Tensor) => matmul(w, tensor([1, 2, 3])),
        params: tensor([1, 2]),
        lr: 0.1,
        steps: 5,
      }));
    assert.equal(
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
    assert.match(e.message, /^gradientDescent: monitor\.push threw at step 1: display closed\./);
    assert.equal(e.history.length, 2);
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
    assert.deepEqual(r.history.map((h) => h.w), [1, undefined, 0.25, undefined, 0.0625, 0.03125]);
    assert.equal(r.history[2].twice, 0.5);
    assert.deepEqual(calls[0], ["push", 0, { loss: 0.5, w: 1, twice: 2 }]);
    assert.deepEqual(calls[1], ["push", 1, { loss: 0.125 }]);
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
    assert.deepEqual(runs.map((r) => r.diverged), [false, false, true]);
    assert.ok(!calls.some(([name]) => name === "done"));
    assert.deepEqual(calls[0], ["push", 0, { "lr=0.1": 1, "lr=0.1 w": 1 }]);
    assert.deepEqual(calls.filter(([name]) => name === "markDivergence").map((c) => c[1]), [7]);
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
    assert.ok(Math.abs(r.params[0].at(0, 0) - 2) < 1e-3);
    assert.ok(Math.abs(r.params[1].at(0) - 1) < 1e-3);
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
      assert.throws(
        // deno-lint-ignore no-explicit-any
        () => gradientDescent({ ...ok, ...patch } as any),
        (e: unknown) => e instanceof ValueError && (assert.equal(e.message, message), true),
      );
    }
  });
});

Deno.test("gradientDescent(): names and options that would be lost", async (t) => {
  // Two short steps on ½w², with the options under test added.
  const run = (extra: Record<string, unknown>) => () =>
    gradientDescent({ loss: quadratic(1), params: tensor([1]), lr: 0.1, steps: 2, ...extra });
  await t.step("a metric named loss or step is refused (it would overwrite the history)", () => {
    for (const name of ["loss", "step"]) {
      assert.throws(
        run({ metrics: () => ({ [name]: 123 }) }),
        (e: unknown) => {
          const cause = (e as { cause?: Error }).cause ?? (e as Error);
          return new RegExp(`metrics returned "${name}", a name the history uses`).test(
            cause.message,
          );
        },
      );
    }
  });
  await t.step("a loss with more arguments than params and the step says so when it fails", () => {
    assert.throws(
      () =>
        gradientDescent({
          loss: (w: Tensor, b: Tensor, c: Tensor) => sum(add(w, add(b, c))),
          params: tensor([1]),
          lr: 0.1,
          steps: 2,
        }),
      {
        name: "ValueError",
        message: "add: operand must be a Tensor or a number, got undefined; build a tensor with " +
          "tensor(…) (gradientDescent: loss declares 3 parameters but gets 2, the tensor of " +
          "params and the step number, so the others were undefined; pass params: [W, b, …], " +
          "one per argument)",
      },
    );
  });
  await t.step("divergence options are checked", () => {
    for (const divergence of [{ maxloss: 1 }, 5]) {
      assert.throws(
        run({ divergence }),
        {
          name: "ValueError",
          message:
            /^gradientDescent: divergence: (unknown option "maxloss"|options must be an object)/,
        },
      );
    }
  });
});

Deno.test("minibatches()", async (t) => {
  await t.step("each epoch is a permutation; seeds are reproducible and epochs differ", () => {
    const b = minibatches(10, 3, { seed: 7, epochs: 2 });
    assert.deepEqual(b.map((x) => x.length), [3, 3, 3, 1, 3, 3, 3, 1]);
    const e0 = b.slice(0, 4).flat(), e1 = b.slice(4).flat();
    assert.deepEqual([...e0].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...e1].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.notDeepEqual(e0, e1);
    assert.deepEqual(minibatches(10, 3, { seed: 7, epochs: 2 }), b);
    assert.notDeepEqual(minibatches(10, 3, { seed: 8, epochs: 2 }), b);
    // Neighbouring seeds do not replay each other's epochs shifted by one.
    const s0 = minibatches(12, 12, { seed: 0, epochs: 3 }),
      s1 = minibatches(12, 12, { seed: 1, epochs: 3 });
    for (const a of s0) for (const c of s1) assert.notDeepEqual(a, c);
  });

  await t.step("dropLast, shuffle: false, empty", () => {
    assert.deepEqual(minibatches(5, 2, { shuffle: false, dropLast: true }), [[0, 1], [2, 3]]);
    assert.deepEqual(minibatches(0, 2), []);
    assert.deepEqual(minibatches(3, 2, { epochs: 0 }), []);
  });
});

Deno.test("takeRows()", async (t) => {
  await t.step("gathers rows of any rank, repeats allowed", () => {
    const x = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]);
    assert.deepEqual(takeRows(x, [1, 1]).toArray(), [[[3, 4]], [[3, 4]]]);
    assert.deepEqual(takeRows(x, []).shape, [0, 1, 2]);
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
  assert.equal(r.diverged, false);
  assert.equal(r.history.length, 4);
});
