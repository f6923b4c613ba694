/**
 * Compact displays: a gradientDescent result prints a few lines (not its history) in the REPL
 * and in Jupyter; lineChart and scatter take plain arrays and tensors.
 */
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { gradientDescent, mul, sum, tensor } from "matcalc";
import { lineChart, mimeBundle, scatter } from "matcalc/kernel";
import { setJupyterApiForTesting } from "../../kernel/jupyter.ts";

function train(steps: number, lr: number) {
  return gradientDescent({ params: tensor([1, 2]), loss: (w) => sum(mul(w, w)), steps, lr });
}

Deno.test("gradientDescent result: a compact print and display", async (t) => {
  const r = train(100, 0.1);
  await t.step("Deno.inspect / console.log: three lines, no history", () => {
    const text = Deno.inspect(r);
    assertEquals(text.split("\n").length, 3);
    assertMatch(text, /^TrainResult: 100 steps, loss 5 → 2\.0\d+e-19\n/);
    assertMatch(text, /\n {2}params: Tensor \[2\]\n {2}history: 101 entries in \.history$/);
  });
  await t.step("Jupyter: the same text/plain and an HTML summary with a sparkline", () => {
    const b = mimeBundle(r);
    assertEquals(Object.keys(b).sort(), ["text/html", "text/plain"]);
    assertEquals(b["text/plain"], Deno.inspect(r));
    const html = String(b["text/html"]);
    assertMatch(html, /^<div class="matcalc-train-result"><b>TrainResult: 100 steps/);
    // 101 losses from 5 down to 2e-19: drawn on a log scale, all points.
    const points = /points="([^"]+)"/.exec(html)![1].split(" ");
    assertEquals(points.length, 101);
    assertEquals(points[0], "2.0,2.0");
    assertEquals(points[100], "158.0,30.0");
    assertMatch(html, /\(log scale\)/);
  });
  await t.step("a diverged run says why it stopped", () => {
    const bad = train(50, 1.5);
    assert(bad.diverged);
    const text = Deno.inspect(bad);
    assertMatch(text, /^TrainResult: \d+ steps, loss 5 → [\d.e+]+ \(diverged\)\n/);
    assertMatch(text, /\n {2}stopped at step \d+: gradientDescent: stopped at step/);
  });
  await t.step("the result is still a plain object for equality and JSON", () => {
    assertEquals(Object.keys(r).sort(), ["diverged", "history", "loss", "params", "stopped"]);
    assertEquals(JSON.parse(JSON.stringify({ loss: r.loss })).loss, r.loss);
  });
});

Deno.test("matcalc/kernel turns ANSI colours off inside a kernel only", async () => {
  // Outside a kernel, importing it left Deno.noColor alone (this process has no kernel).
  assertEquals(Object.getOwnPropertyDescriptor(Deno, "noColor")?.get !== undefined, true);
  // In a kernel (simulated), a fresh import turns colours off for the kernel's text/plain.
  setJupyterApiForTesting({ broadcast: () => Promise.resolve() });
  const saved = Object.getOwnPropertyDescriptor(Deno, "noColor")!;
  try {
    await import(`../../kernel/mod.ts?kernel=${Date.now()}`);
    assertEquals(Deno.noColor, true);
    const internal =
      (Deno as unknown as Record<symbol, { inspectArgs: (...a: unknown[]) => string }>)[
        (Deno as unknown as { internal: symbol }).internal
      ];
    // What Deno's kernel calls for a cell's value: no escape codes.
    assertEquals(internal.inspectArgs(["%o", "result"], { colors: !Deno.noColor }), '"result"');
  } finally {
    Object.defineProperty(Deno, "noColor", saved);
    setJupyterApiForTesting(null);
  }
});

Deno.test("lineChart and scatter take plain arrays, typed arrays and tensors", () => {
  const ys = (c: ReturnType<typeof lineChart>) =>
    (mimeBundle(c)["application/vnd.plotly.v1+json"] as { data: { x: number[]; y: number[] }[] })
      .data.map((d) => [d.x, d.y]);
  assertEquals(ys(lineChart([1, 2, 3])), [[[0, 1, 2], [1, 2, 3]]]);
  assertEquals(ys(lineChart(tensor([1, 2, 3]))), [[[0, 1, 2], [1, 2, 3]]]);
  assertEquals(ys(lineChart(new Float64Array([4, 5]))), [[[0, 1], [4, 5]]]);
  assertEquals(ys(lineChart([3, 1], { x: [10, 20] })), [[[10, 20], [3, 1]]]);
  assertEquals(ys(scatter([3, 1, 2])), [[[0, 1, 2], [3, 1, 2]]]);
  assertEquals(ys(scatter(tensor([7, 8]))), [[[0, 1], [7, 8]]]);
  // The SVG draws the one series.
  assertMatch(String(mimeBundle(lineChart([1, 2, 3]))["image/svg+xml"]), /mark-line/);
  // A matrix is not one series: the error says what to pass.
  assertThrows(() => lineChart(tensor([[1, 2], [3, 4]])), Error, "must be a vector");
  assertThrows(() => lineChart([]), Error, "no series given");
});
