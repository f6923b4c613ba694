import {
  assert,
  assertEquals,
  assertMatch,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  gradientDescent,
  ShapeError,
  square,
  sum,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "matcalc";
import { liveLoss, trainingMonitor } from "matcalc/kernel";
import { type JupyterApi, setJupyterApiForTesting } from "../../kernel/jupyter.ts";
import { findAll, hasClass, markPaths, parseXml, vertexCount } from "./xml.ts";

interface Msg {
  type: string;
  id: string;
  data: Record<string, unknown>;
}

/** Runs `fn` with a fake kernel that records every message broadcast. */
function withFakeKernel(fn: (msgs: Msg[]) => void, api?: JupyterApi): void {
  const msgs: Msg[] = [];
  setJupyterApiForTesting(
    api ?? {
      broadcast(type, content) {
        const c = content as { data: Record<string, unknown>; transient: { display_id: string } };
        msgs.push({ type, id: c.transient.display_id, data: c.data });
        return Promise.resolve();
      },
    },
  );
  try {
    fn(msgs);
  } finally {
    setJupyterApiForTesting(null);
  }
}

/** Like withFakeKernel, for tests that wait for the monitor's timers. */
async function withFakeKernelAsync(fn: (msgs: Msg[]) => Promise<void>): Promise<void> {
  const msgs: Msg[] = [];
  setJupyterApiForTesting({
    broadcast(type, content) {
      const c = content as { data: Record<string, unknown>; transient: { display_id: string } };
      msgs.push({ type, id: c.transient.display_id, data: c.data });
      return Promise.resolve();
    },
  });
  try {
    await fn(msgs);
  } finally {
    setJupyterApiForTesting(null);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last bundle sent for the chart and for the progress line. */
function lastShown(msgs: Msg[]): { chart: Record<string, unknown>; line: string } {
  const [chartId, lineId] = msgs.filter((m) => m.type === "display_data").map((m) => m.id);
  const last = (id: string) => msgs.filter((m) => m.id === id).at(-1)!.data;
  return { chart: last(chartId), line: String(last(lineId)["text/plain"]) };
}

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* simulate a training step */ }
}

Deno.test("liveLoss() refuses misspelled options and output modes", () => {
  assertMatch(
    assertThrows(() => liveLoss({ totl: 10 } as never), ValueError).message,
    /^liveLoss: unknown option "totl"; the options are total, every/,
  );
  assertEquals(
    assertThrows(() => liveLoss({ output: "txt" } as never), ValueError).message,
    'liveLoss: output must be one of "auto", "jupyter", "text", "none", got string "txt"',
  );
});

Deno.test("liveLoss()", async (t) => {
  await t.step("shows one chart and one progress line, then updates them in place", () => {
    liveLoss({ output: "none" }).push(0, 1).chart().svg(); // warm vega up: first renders are slow
    withFakeKernel((msgs) => {
      const mon = liveLoss({ total: 50, series: ["train", "test"], interval: 20 });
      for (let step = 1; step <= 50; step++) {
        busy(10);
        mon.push(step, { train: 1 / step, test: 2 / step });
      }
      mon.done();
      const shown = msgs.filter((m) => m.type === "display_data");
      assertEquals(shown.length, 2);
      const [chartId, lineId] = shown.map((m) => m.id);
      assertNotStrictEquals(chartId, lineId);
      assert(msgs.slice(2).every((m) => m.type === "update_display_data"));
      assert(msgs.every((m) => m.id === chartId || m.id === lineId));
      const charts = msgs.filter((m) => m.id === chartId);
      assert(charts.length >= 3, `expected intermediate updates, got ${charts.length}`);
      // The last message for each display is the final state, which the notebook keeps.
      const last = charts[charts.length - 1].data;
      assertEquals(Object.keys(last), [
        "application/vnd.plotly.v1+json",
        "application/vnd.vegalite.v5+json",
        "image/svg+xml",
        "text/markdown",
        "text/plain",
      ]);
      const fig = last["application/vnd.plotly.v1+json"] as { data: { x: number[] }[] };
      assertEquals(fig.data.map((d) => d.x.length), [50, 50]);
      const paths = markPaths(parseXml(String(last["image/svg+xml"])), "line");
      assertEquals(paths.map((p) => vertexCount(p.attrs.d)), [50, 50]);
      const lines = msgs.filter((m) => m.id === lineId);
      assertMatch(
        String(lines[lines.length - 1].data["text/plain"]),
        /^step 50\/50 \(100%\) · train 0\.02 · test 0\.04 · \d+\.\d s elapsed · done$/,
      );
    });
  });
  await t.step("a fast loop is throttled to the first and the final frame", () => {
    withFakeKernel((msgs) => {
      const mon = liveLoss({ total: 10_000, interval: 60_000 });
      for (let step = 0; step < 10_000; step++) mon.push(step, 1 / (step + 1));
      mon.done();
      assertEquals(mon.stats().renders, 2);
      assertEquals(msgs.length, 4);
    });
  });
  await t.step("long histories are thinned, keeping the last point", () => {
    const mon = liveLoss({ maxPoints: 100, output: "none" });
    for (let step = 0; step < 1000; step++) mon.push(step, { loss: step });
    const x = mon.chart().plotly()!.data[0].x as number[];
    assertEquals(x.length, 100);
    assertStrictEquals(x[0], 0);
    assertEquals(x[99], 999);
    assertEquals(mon.history().loss.step.length, 1000);
  });
  await t.step("every records one step in `every`", () => {
    const mon = liveLoss({ every: 10, output: "none" });
    for (let step = 0; step < 100; step++) mon.push(step, step);
    assertEquals(mon.history().loss.step, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assertMatch(mon.status(), /^step 99 · loss 99 · /);
  });
  await t.step("markDivergence does not repeat a message's own 'stopped at step N'", () => {
    const mon = liveLoss({ output: "none" });
    mon.push(0, 1);
    mon.markDivergence(3, "gradientDescent: stopped at step 3: the loss became NaN");
    assertMatch(mon.status(), / · gradientDescent: stopped at step 3: the loss became NaN$/);
  });
  await t.step("runs sharing a monitor each show their own last step and stop", () => {
    const mon = liveLoss({ total: 80, output: "none" });
    for (const [label, last] of [["η = 0.1", 80], ["η = 2", 12]] as const) {
      for (let step = 0; step <= last; step++) mon.push(step, { [label]: 1 / (step + 1) });
      assertMatch(mon.status(), label === "η = 0.1" ? /^step 80\/80 / : /^run 2 · /);
    }
    mon.markDivergence(
      13,
      "gradientDescent: stopped at step 13: the loss grew to 1e5",
      "η = 2 diverged at step 13",
    );
    mon.done();
    assertMatch(
      mon.status(),
      new RegExp(
        "^2 runs · η = 0\\.1 0\\.01235 \\(step 80\\) · η = 2 0\\.07692 \\(step 12\\) · " +
          "\\d+\\.\\d s elapsed · done · η = 2 diverged at step 13: gradientDescent: the loss grew to 1e5$",
      ),
    );
    assertEquals(mon.status().match(/step 13/g)!.length, 1, "the stop is reported once");
  });
  await t.step("gradientDescent runs sharing a monitor: one legend, each run's own end", () => {
    const mon = liveLoss({ total: 20, output: "none" });
    const loss = (w: Tensor) => sum(square(w));
    for (const lr of [0.1, 1.5]) {
      gradientDescent({
        loss,
        params: tensor([1, 2]),
        lr,
        steps: 20,
        monitor: mon,
        label: `η = ${lr}`,
      });
    }
    mon.done();
    assertMatch(mon.status(), /^2 runs · η = 0\.1 \S+ \(step 20\) · η = 1\.5 \S+ \(step \d+\) · /);
    assertMatch(mon.status(), / · done · η = 1\.5 diverged at step \d+: gradientDescent: [^·]*$/);
    assertEquals(mon.status().match(/stopped at step/g), null);
    const svg = parseXml(mon.chart().svg());
    const legend = findAll(svg, (n) => n.tag === "g" && hasClass(n, "role-legend"));
    assertEquals(findAll(legend[0], (n) => n.tag === "text").map((n) => n.text), [
      "η = 0.1",
      "η = 1.5",
    ]);
  });
  await t.step("labels rename series on the chart and the progress line only", () => {
    const mon = liveLoss({ labels: { loss: "minibatch loss" }, output: "none" });
    mon.push(0, { loss: 2, test: 3 }).push(1, { loss: 1, test: 2 });
    assertMatch(mon.status(), /^step 1 · minibatch loss 1 · test 2 · /);
    assertEquals(mon.chart().plotly()!.data.map((d) => d.name), ["minibatch loss", "test"]);
    assertEquals(Object.keys(mon.history()), ["loss", "test"]);
  });
  await t.step("markDivergence draws a labelled rule and updates at once", () => {
    withFakeKernel((msgs) => {
      const mon = liveLoss({ series: ["lr=0.1", "lr=2"], interval: 60_000, logY: true });
      mon.push(1, { "lr=0.1": 1, "lr=2": 1 });
      mon.push(2, { "lr=0.1": 0.5, "lr=2": 1e12 });
      mon.markDivergence(2, "lr=2 diverged: loss 1e12 > 1e6", "lr=2 > diverged");
      assertEquals(msgs.length, 4);
      const spec = mon.chart().vegaLite() as { layer: { mark: { type: string } }[] };
      assertEquals(spec.layer.map((l) => l.mark.type), ["line", "rule", "text"]);
      const svg = parseXml(String(lastShown(msgs).chart["image/svg+xml"]));
      assertEquals(markPaths(svg, "rule").length, 1);
      assertEquals(markPaths(svg, "text")[0].text, "lr=2 &gt; diverged");
      assertMatch(mon.status(), /stopped at step 2: lr=2 diverged: loss 1e12 > 1e6$/);
      const fig = mon.chart().plotly()!;
      assertEquals((fig.layout.annotations as { text: string }[])[0].text, "lr=2 &gt; diverged");
    });
  });
  await t.step("a frontend that fails never breaks the loop", () => {
    withFakeKernel(() => {
      const mon = liveLoss({ interval: 0 });
      for (let step = 0; step < 20; step++) mon.push(step, step);
      mon.markDivergence(5, "x");
      mon.done();
      assertEquals(mon.history().loss.step.length, 20);
    }, {
      broadcast() {
        throw new Error("socket closed");
      },
    });
    withFakeKernel(() => {
      const mon = liveLoss({ interval: 0 });
      for (let step = 0; step < 5; step++) mon.push(step, step);
      mon.done();
    }, { broadcast: () => Promise.reject(new Error("socket closed")) });
  });
  await t.step("outside Jupyter it prints a progress line", () => {
    const log = console.log;
    const lines: string[] = [];
    console.log = (s: string) => lines.push(s);
    try {
      const mon = trainingMonitor({ total: 3, output: "text" });
      mon.push(1, { train: 0.5 });
      mon.push(2, { train: 0.25 });
      mon.done();
    } finally {
      console.log = log;
    }
    if (!Deno.stdout.isTerminal()) {
      assertEquals(lines.length, 2);
      assertMatch(lines[0], /^step 1\/3 \(33%\) · train 0\.5 · \d+\.\d s elapsed$/);
      assertMatch(lines[1], /^step 2\/3 \(66%\) · train 0\.25 · \d+\.\d s elapsed · done$/);
    }
  });
  await t.step("a loop that throws still shows its last pushed state", async () => {
    await withFakeKernelAsync(async (msgs) => {
      const mon = liveLoss({ total: 1000 });
      assertEquals(
        assertThrows(() => {
          for (let s = 1; s <= 1000; s++) {
            mon.push(s, 1 / s);
            if (s === 600) throw new Error("boom");
          }
        }, Error).message,
        "boom",
      );
      // Throttled: only step 1 was drawn while the loop ran.
      assertEquals(lastShown(msgs).chart["text/plain"], 'Chart(line: "loss" 1 points)');
      await sleep(20);
      const { chart, line } = lastShown(msgs);
      const fig = chart["application/vnd.plotly.v1+json"] as { data: { x: number[] }[] };
      assertEquals(fig.data[0].x.at(-1), 600);
      // The pushing code stopped: no ETA, which would promise steps that may never come.
      assertMatch(line, /^step 600\/1000 \(60%\) · loss 0\.001667 · \d+\.\d s elapsed$/);
      await sleep(1100);
      assertMatch(
        lastShown(msgs).line,
        /^step 600\/1000 \(60%\) · .* · not finished: no step for 1\.\d s and done\(\) was not called$/,
      );
      mon.done();
      assertMatch(lastShown(msgs).line, / · done$/);
    });
  });
  await t.step("a loop that awaits between steps is still throttled", async () => {
    liveLoss({ output: "none" }).push(0, 1).chart().svg(); // warm vega up
    await withFakeKernelAsync(async () => {
      const mon = liveLoss({ interval: 60_000 });
      for (let s = 0; s < 30; s++) {
        mon.push(s, 1 / (s + 1));
        await sleep(1);
      }
      // The first frame and one early draw by the timer (before it learns the loop awaits).
      assert(mon.stats().renders <= 2, `${mon.stats().renders} renders`);
      mon.done();
    });
  });
  await t.step("every = 1 records every push, also at fractional steps", () => {
    const mon = liveLoss({ output: "none" });
    for (let i = 1; i <= 30; i++) mon.push(i / 10, 1 / i);
    assertEquals(mon.history().loss.step.length, 30);
  });
  await t.step("every > 1 records the first push past each multiple", () => {
    const mon = liveLoss({ every: 10, output: "none" });
    for (let i = 1; i <= 40; i++) mon.push(i * 2.5, i);
    assertEquals(mon.history().loss.step, [2.5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const from1 = liveLoss({ every: 10, output: "none" });
    for (let s = 1; s <= 30; s++) from1.push(s, s);
    assertEquals(from1.history().loss.step, [1, 10, 20, 30]);
  });
  await t.step("steps past total widen the x axis instead of being clipped", () => {
    const mon = liveLoss({ total: 100, output: "none" });
    for (let s = 1; s <= 150; s++) mon.push(s, 1 / s);
    const chart = mon.chart();
    const x = (chart.vegaLite() as { encoding: { x: { scale: { domain: number[] } } } })
      .encoding.x;
    assertEquals(x.scale.domain, [1, 150]);
    assertEquals((chart.plotly()!.layout.xaxis as { range: number[] }).range, [1, 150]);
    assertMatch(mon.status(), /^step 150\/100 \(150%\)/);
  });
  await t.step("a size-1 tensor counts as its number; other tensors name their shape", () => {
    const mon = liveLoss({ output: "none" });
    mon.push(1, tensor([0.5])).push(2, { loss: tensor(0.25), acc: tensor([[0.9]]) });
    assertEquals(mon.history().loss, { step: [1, 2], value: [0.5, 0.25] });
    assertEquals(mon.history().acc.value, [0.9]);
    assertEquals(
      assertThrows(() => mon.push(3, { loss: zeros([2, 3]) }), ShapeError).message,
      'liveLoss.push: series "loss" got a tensor of shape [2, 3] at step 3; push one number per series, e.g. mean(t) or sum(t)',
    );
    assertMatch(
      assertThrows(() => mon.push(3, zeros([2])), Error).message,
      /"loss" got a tensor of shape \[2\]/,
    );
  });
  await t.step("bad options", () => {
    assertEquals(
      assertThrows(() => liveLoss({ every: 0 }), ValueError).message,
      "liveLoss: every must be a positive integer, got 0",
    );
  });
});
