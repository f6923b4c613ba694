/**
 * Issue 16.1 and 17.2: gradientDescent never keeps NaN weights (a non-finite gradient or an
 * overflowing update stops the run as divergence does), catches growth from a zero or negative
 * initial loss, refuses a `metrics` result that is not an object, and `steps` counts updates:
 * `loss` gets step = 0 … steps − 1, then steps − 1 again for the final evaluation.
 */
import { assert, assertAlmostEquals, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  add,
  gradientDescent,
  mean,
  mul,
  reshape,
  sqrt,
  square,
  step,
  sub,
  sum,
  type Tensor,
  tensor,
  TrainingError,
  type TrainingMonitor,
  ValueError,
  where,
} from "matcalc";

/** sqrt for w > 0, else 0: finite everywhere, but its gradient at w < 0 is NaN × 0 = NaN. */
const sqrtWhere = (w: Tensor) => sum(where(step(w), sqrt(w), 0));

Deno.test("a non-finite gradient stops training with the last finite parameters", async (t) => {
  // Each case: the run, then the step, reason, parameters kept, and the message's key phrase.
  const cases: {
    name: string;
    run: () => ReturnType<typeof gradientDescent<Tensor | Tensor[]>>;
    step: number;
    reason: string;
    params: number[] | number[][];
    message: RegExp;
  }[] = [
    {
      name: "the README's where(step(w), sqrt(w), 0) at w = [−1, 4]",
      run: () => gradientDescent({ loss: sqrtWhere, params: tensor([-1, 4]), lr: 0.1, steps: 5 }),
      step: 0,
      reason: "gradient",
      params: [-1, 4],
      // The README's troubleshooting row quotes this start.
      message:
        /^gradientDescent: stopped at step 0: the gradient of params is NaN at index \[0\], while the loss 2 is finite/,
    },
    {
      name: "an infinite gradient: sqrt at 0",
      run: () =>
        gradientDescent({
          loss: (w: Tensor) => sum(sqrt(w)),
          params: tensor([0, 1]),
          lr: 0.1,
          steps: 3,
        }),
      step: 0,
      reason: "gradient",
      params: [0, 1],
      message: /the gradient of params is Infinity at index \[0\]/,
    },
    {
      name: "a step that crosses into the NaN region after a good step",
      // w = 0.05: gradient 1/(2√0.05) ≈ 2.24, so w = 0.05 − 0.224 < 0 at step 1.
      run: () => gradientDescent({ loss: sqrtWhere, params: tensor([0.05]), lr: 0.1, steps: 5 }),
      step: 1,
      reason: "gradient",
      params: [0.05 - 0.1 / (2 * Math.sqrt(0.05))],
      message: /stopped at step 1: the gradient of params is NaN at index \[0\]/,
    },
    {
      name: "the second of several parameters, at a matrix index",
      run: () =>
        gradientDescent({
          loss: (W: Tensor, b: Tensor) => add(sum(square(W)), sqrtWhere(b)),
          params: [tensor([1]), tensor([[1, 1], [-1, 1]])],
          lr: 0.1,
          steps: 3,
        }),
      step: 0,
      reason: "gradient",
      params: [[1], [1, 1, -1, 1]],
      message: /the gradient of params\[1\] is NaN at index \[1, 0\]/,
    },
    {
      name: "an update that overflows to Infinity",
      run: () =>
        gradientDescent({
          loss: (w: Tensor) => sum(mul(1e300, w)),
          params: tensor([1]),
          lr: 1e10,
          steps: 3,
        }),
      step: 1,
      reason: "params",
      params: [1],
      message: /stopped at step 1: the update of step 0 made params -Infinity at index \[0\]/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const r = c.run();
      assertEquals(r.diverged, true);
      assertEquals(r.stopped?.reason, c.reason);
      assertEquals(r.stopped?.step, c.step);
      assertMatch(r.stopped!.message, c.message);
      const ps = Array.isArray(r.params) ? r.params : [r.params];
      const got = ps.map((p) => Array.from(p.data));
      const want = Array.isArray(c.params[0]) ? c.params as number[][] : [c.params as number[]];
      assertEquals(got.length, want.length);
      got.forEach((g, i) => g.forEach((v, j) => assertAlmostEquals(v, want[i][j], 1e-12)));
      assert(got.flat().every(Number.isFinite), "the parameters returned are finite");
      assert(Number.isFinite(r.loss), "the loss returned is the finite loss of those parameters");
    });
  }
  await t.step("the monitor is told, as for a diverging loss", () => {
    const calls: string[] = [];
    const monitor: TrainingMonitor = {
      push: () => {},
      markDivergence: (s, _m, label) => void calls.push(`${s} ${label}`),
      done: () => void calls.push("done"),
    };
    gradientDescent({ loss: sqrtWhere, params: tensor([-1, 4]), lr: 0.1, steps: 5, monitor });
    assertEquals(calls, ["0 diverged at step 0", "done"]);
  });
  await t.step("non-finite initial parameters are refused up front", () => {
    const cases: [Tensor | Tensor[], string][] = [
      [tensor([1, NaN]), "params is NaN at index [1]"],
      [[tensor([0]), tensor([[0, Infinity]])], "params[1] is Infinity at index [0, 1]"],
    ];
    for (const [params, what] of cases) {
      assertThrows(
        () => gradientDescent({ loss: (...ps: Tensor[]) => sum(ps[0]), params, lr: 0.1, steps: 1 }),
        ValueError,
        `gradientDescent: the initial ${what}; start from finite parameters`,
      );
    }
  });
});

Deno.test("divergence from a zero or negative initial loss is caught", async (t) => {
  const jump = (first: number, later: number) => (w: Tensor, k: number) =>
    add(sum(mul(0, w)), k === 0 ? first : later);
  for (const [first, later] of [[0, 1e300], [-1, 1e300], [0, 1e-7], [-5, 6e4]]) {
    await t.step(`${first} then ${later}`, () => {
      const r = gradientDescent({
        loss: jump(first, later),
        params: tensor([1]),
        lr: 0.1,
        steps: 3,
      });
      assertEquals(r.stopped?.reason, "growth");
      assertEquals(r.stopped?.step, 1);
      assertEquals(r.loss, first);
    });
  }
  await t.step("a loss at the optimum with rounding noise is not divergence", () => {
    // 1e-9 < 1e4 × 1e-12 floor × … is false: the floor keeps 0 → 1e-9 from counting.
    const r = gradientDescent({ loss: jump(0, 1e-9), params: tensor([1]), lr: 0.1, steps: 3 });
    assertEquals(r.stopped, undefined);
    assertEquals(r.history.length, 4);
  });
});

Deno.test("metrics must return an object", async (t) => {
  const bad: [string, unknown, string][] = [
    ["a number", 5, "number 5"],
    ["a string", "abc", 'string "abc"'],
    ["null", null, "null"],
    ["undefined (a forgotten return)", undefined, "undefined"],
    ["an array", [1, 2], "an array of length 2"],
    ["a Tensor", tensor(1), "a Tensor of shape []"],
    ["a boolean", true, "boolean true"],
  ];
  for (const [name, value, shown] of bad) {
    await t.step(`${name} at step 0 throws as is`, () => {
      assertThrows(
        () =>
          gradientDescent({
            loss: (w: Tensor) => sum(square(w)),
            params: tensor([1]),
            lr: 0.1,
            steps: 2,
            metrics: () => value as Record<string, number>,
          }),
        ValueError,
        `gradientDescent: metrics must return an object of numbers such as { test: 0.25 }, got ${shown}`,
      );
    });
  }
  await t.step("after step 0 it is a TrainingError that keeps the history", () => {
    const e = assertThrows(
      () =>
        gradientDescent({
          loss: (w: Tensor) => sum(square(w)),
          params: tensor([1]),
          lr: 0.1,
          steps: 5,
          metrics: (w: Tensor) => (w.at(0) < 0.9 ? 7 : { ok: 1 }) as Record<string, number>,
        }),
      TrainingError,
    );
    assertEquals(e.history.length, 1);
    assertMatch(
      e.message,
      /metrics threw at step 1: gradientDescent: metrics must return an object/,
    );
  });
});

Deno.test("steps counts updates: loss gets step 0 … steps − 1, then steps − 1 again", async (t) => {
  for (const steps of [0, 1, 2, 5]) {
    await t.step(`steps: ${steps}`, () => {
      const seen: number[] = [];
      const r = gradientDescent({
        loss: (w: Tensor, k: number) => (seen.push(k), sum(square(w))),
        params: tensor([1]),
        lr: 0.25,
        steps,
      });
      const updates = [...Array(steps).keys()];
      assertEquals(seen, [...updates, Math.max(0, steps - 1)]);
      assertEquals(r.history.map((h) => h.step), [...updates, steps]);
      assertEquals(r.params.at(0), 0.5 ** steps); // exactly `steps` updates of w ← w/2
    });
  }
  await t.step("steps: batches.length uses every batch once and never reads past the end", () => {
    const batches = [[1, 2], [3, 4], [5, 6], [7, 8]].map((b) => tensor(b));
    const used: number[] = [];
    const r = gradientDescent({
      loss: (W: Tensor, b: Tensor, k: number) => {
        used.push(k);
        const x = batches[k];
        return mean(square(sub(add(mul(reshape(W, []), x), b), x)));
      },
      params: [tensor([0]), tensor(0)],
      lr: 0.01,
      steps: batches.length,
    });
    assertEquals(used, [0, 1, 2, 3, 3]);
    assertEquals(r.history.length, batches.length + 1);
    assertEquals(r.stopped, undefined);
  });
});
