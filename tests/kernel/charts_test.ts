import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import * as vl from "vega-lite";
import { ShapeError, tensor, ValueError, zeros } from "matcalc";
import * as vega from "vega";
import {
  heatmap,
  lineChart,
  mimeBundle,
  scatter,
  VEGA_LITE_SCHEMA,
  vegaLite,
} from "matcalc/kernel";
import { findAll, hasClass, markPaths, parseXml, vertexCount } from "./xml.ts";

const EVIL = `<script>alert(1)</script><img src=x onerror=alert(1)>`;
const KEYS = [
  "application/vnd.plotly.v1+json",
  "application/vnd.vegalite.v5+json",
  "image/svg+xml",
  "text/markdown",
  "text/plain",
];

Deno.test("lineChart()", async (t) => {
  const chart = lineChart(
    [
      { name: "train", y: [1, 0.5, 0.25, 0.125, 0.0625] },
      { name: "test", x: [0, 2, 4], y: tensor([1.2, 0.6, 0.4]) },
    ],
    { logY: true, title: "loss", xLabel: "step", yLabel: "loss" },
  );
  await t.step("the bundle has Plotly, Vega-Lite v5, SVG and text", () => {
    const b = mimeBundle(chart);
    assertEquals(Object.keys(b), KEYS);
    assertEquals(b["text/plain"], 'Chart(line: "train" 5 points, "test" 3 points; y log)');
    assertStrictEquals(
      (b["application/vnd.vegalite.v5+json"] as { $schema: string }).$schema,
      VEGA_LITE_SCHEMA,
    );
  });
  await t.step("the SVG parses and draws one path per series with every point", () => {
    const svg = parseXml(chart.svg());
    assertEquals(svg.tag, "svg");
    const paths = markPaths(svg, "line");
    assertEquals(paths.length, 2);
    assertEquals(paths.map((p) => vertexCount(p.attrs.d)), [5, 3]);
    assertEquals(paths.map((p) => p.attrs.stroke), ["#4c78a8", "#f58518"]);
  });
  await t.step("the Vega-Lite spec compiles with vega-lite", () => {
    const compiled = vl.compile(chart.vegaLite() as unknown as vl.TopLevelSpec);
    assertEquals(compiled.spec.$schema, "https://vega.github.io/schema/vega/v5.json");
  });
  await t.step("the Plotly figure has the traces and axis types asked for", () => {
    const fig = chart.plotly()!;
    assertEquals(fig.data.map((d) => [d.name, d.mode, (d.y as number[]).length]), [
      ["train", "lines", 5],
      ["test", "lines", 3],
    ]);
    assertEquals(fig.data[1].x, [0, 2, 4]);
    assertEquals((fig.layout.xaxis as { type: string }).type, "linear");
    assertEquals((fig.layout.yaxis as { type: string }).type, "log");
    assertEquals((fig.layout.title as { text: string }).text, "loss");
  });
  await t.step("log x axes and rules reach both renderers", () => {
    const c = lineChart({ err: [1, 0.1, 0.01] }, {
      x: [1e-3, 1e-2, 1e-1],
      logX: true,
      logY: true,
      rules: [{ x: 1e-2, label: "here" }],
    });
    const fig = c.plotly()!;
    assertEquals((fig.layout.xaxis as { type: string }).type, "log");
    assertEquals((fig.layout.shapes as { x0: number }[])[0].x0, -2);
    const svg = parseXml(c.svg());
    assertEquals(markPaths(svg, "rule").length, 1);
    assertEquals(vertexCount(markPaths(svg, "line")[0].attrs.d), 3);
  });
  await t.step("marker lines keep the series legend, in the SVG and the spec", () => {
    const c = lineChart({ "η = 0.1": [3, 2, 1], "η = 2": [3, 9, 27] }, {
      logY: true,
      rules: [{ x: 2, label: "η = 2 diverged at step 2" }, { x: 1, label: "x", color: "#000000" }],
    });
    const svg = parseXml(c.svg());
    const legend = findAll(svg, (n) => n.tag === "g" && hasClass(n, "role-legend"));
    assertEquals(legend.length, 1, "one legend");
    const labels = findAll(legend[0], (n) => n.tag === "text").map((n) => n.text);
    assertEquals(labels, ["η = 0.1", "η = 2"]);
    assertEquals(markPaths(svg, "rule").map((l) => l.attrs.stroke), ["#d62728", "#000000"]);
    assertEquals(markPaths(svg, "text").map((l) => l.attrs.fill), ["#d62728", "#000000"]);
    // No layer may bring its own colour encoding: that splits the shared scale and its legend.
    const spec = c.vegaLite() as { layer: { encoding: { color?: { legend?: unknown } } }[] };
    const colors = spec.layer.map((l) => l.encoding.color).filter((e) => e !== undefined);
    assertEquals(colors.length, 1);
    assertNotEquals(colors[0]!.legend, null);
    const compiled = vl.compile(c.vegaLite() as unknown as vl.TopLevelSpec).spec;
    assertEquals(compiled.legends?.length, 1);
    assertEquals(c.plotly()!.layout.showlegend, true);
  });
  await t.step("non-finite values become gaps, not NaN in JSON", () => {
    const c = lineChart({ diverged: [1, 2, Infinity, NaN] });
    assertEquals(c.plotly()!.data[0].y, [1, 2, null, null]);
    assertEquals(vertexCount(markPaths(parseXml(c.svg()), "line")[0].attrs.d), 2);
    assertNotMatch(JSON.stringify(mimeBundle(c)), /NaN|Infinity/);
  });
  await t.step("a lone point (one step, or between two gaps) is drawn as a dot", () => {
    const one = lineChart({ loss: [2] });
    assertEquals(markPaths(parseXml(one.svg()), "symbol").length, 1);
    assertEquals(one.plotly()!.data[0].mode, "lines+markers");
    const gaps = lineChart({ a: [1, NaN, 3, NaN, 2, 2] });
    const dots = markPaths(parseXml(gaps.svg()), "symbol");
    assertEquals(dots.length, 2, "the 1 at the start and the 3 between gaps");
    assertEquals((gaps.plotly()!.data[0].marker as { size: number[] }).size, [6, 0, 6, 0, 0, 0]);
    const plain = lineChart({ a: [1, 2, 3] });
    assertEquals(plain.plotly()!.data[0].mode, "lines");
    assertStrictEquals(markPaths(parseXml(plain.svg()), "symbol").length, 0);
  });
  await t.step("mismatched lengths name the series and both lengths", () => {
    assertEquals(
      assertThrows(() => lineChart([{ name: "lr=0.1", x: [0, 1, 2], y: [1, 2] }]), ValueError)
        .message,
      'lineChart: series "lr=0.1" has 3 x values but 2 y values; pass x and y of the same length',
    );
    assertEquals(
      assertThrows(() => lineChart({ a: [1, 2] }, { x: [0] }), Error).message,
      'lineChart: series "a" has 1 x values but 2 y values; pass x and y of the same length',
    );
    assertEquals(
      assertThrows(() => lineChart({}), Error).message,
      "lineChart: no series given; pass { name: values } or [{ name, x, y }]",
    );
    assertEquals(
      assertThrows(() => lineChart({ w: zeros([2, 2]) }), ShapeError).message,
      'lineChart: series "w" y must be a vector, got a tensor of shape [2, 2]; reshape or index it to one axis',
    );
  });
  await t.step("labels with markup are escaped everywhere", () => {
    const c = lineChart({ [EVIL]: [1, 2] }, { title: EVIL, rules: [{ x: 1, label: EVIL }] });
    const text = c.svg();
    const svg = parseXml(text);
    assertStrictEquals(findAll(svg, (n) => n.tag === "script" || n.tag === "img").length, 0);
    assert(!text.includes("<script") && !text.includes("<img"));
    assertEquals(
      c.plotly()!.data[0].name,
      "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
    );
  });
});

Deno.test("scatter()", async (t) => {
  const chart = scatter([
    { name: "a", x: [0, 1], y: [0, 1] },
    { name: "b", x: [5, 6, 7], y: [5, 6, 5] },
  ], { logX: false });
  await t.step("one symbol per point, colored by series", () => {
    const pts = markPaths(parseXml(chart.svg()), "symbol");
    assertEquals(pts.length, 5);
    assertEquals(pts.map((p) => p.attrs.fill), [
      "#4c78a8",
      "#4c78a8",
      "#f58518",
      "#f58518",
      "#f58518",
    ]);
  });
  await t.step("bundle, spec and figure", () => {
    assertEquals(Object.keys(mimeBundle(chart)), KEYS);
    vl.compile(chart.vegaLite() as unknown as vl.TopLevelSpec);
    assertEquals(chart.plotly()!.data.map((d) => d.mode), ["markers", "markers"]);
  });
});

Deno.test("heatmap()", async (t) => {
  await t.step("one rect per entry; row 0 on top in Plotly", () => {
    const chart = heatmap(tensor([[1, 2, 3], [4, 5, 6]]), { title: "W" });
    assertEquals(markPaths(parseXml(chart.svg()), "rect").length, 6);
    const fig = chart.plotly()!;
    assertEquals(fig.data[0].z, [[1, 2, 3], [4, 5, 6]]);
    assertEquals((fig.layout.yaxis as { autorange: string }).autorange, "reversed");
    vl.compile(chart.vegaLite() as unknown as vl.TopLevelSpec);
  });
  await t.step("mixed signs pick a diverging scale centred on 0", () => {
    const chart = heatmap([[-2, 1], [0, 0.5]]);
    assertEquals(String(chart), "Chart(heatmap: 2×2, redblue)");
    const axis = chart.plotly()!.layout.coloraxis as {
      colorscale: [number, string][];
      cmin: number;
      cmax: number;
    };
    assertEquals([axis.cmin, axis.cmax], [-2, 2]);
    // Plotly's named "RdBu" puts blue at the minimum; both renderers must put red there.
    const scale = axis.colorscale;
    assert(Array.isArray(scale), `expected an explicit colour list, got ${String(scale)}`);
    assertEquals([scale[0][0], scale[scale.length - 1][0]], [0, 1]);
    const [r0, , b0] = rgb(scale[0][1]), [r1, , b1] = rgb(scale[scale.length - 1][1]);
    assert(r0 > b0 && b1 > r1, `min ${scale[0][1]} should be red, max blue`);
    // The SVG (vega) colours the same cells the same way: −2 red, 1 blue.
    const fills = markPaths(parseXml(chart.svg()), "rect").map((p) => rgb(p.attrs.fill));
    assert(fills[0][0] > fills[0][2], "−2 is red in the SVG");
    assert(fills[1][2] > fills[1][0], "1 is blue in the SVG");
    assertEquals(scale[0][1], "#8c0d25", "the Plotly endpoints are vega's redblue endpoints");
    assertEquals(scale[scale.length - 1][1], "#134b85");
  });
  await t.step("a list of matrices is a grid of panels", () => {
    const chart = heatmap([zeros([28, 28]), zeros([28, 28]), zeros([28, 28])], {
      titles: ["0", "1", "2"],
      columns: 2,
    });
    assertStrictEquals(markPaths(parseXml(chart.svg()), "rect").length, 3 * 784);
    const fig = chart.plotly()!;
    assertEquals(fig.data.map((d) => d.xaxis), ["x", "x2", "x3"]);
    assertEquals(fig.layout.grid, { rows: 2, columns: 2, pattern: "independent" });
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => heatmap(zeros([2, 2, 2])), Error).message,
      "heatmap: the input must be a matrix, got a tensor of shape [2, 2, 2]; reshape it, e.g. reshape(w, [28, 28]) for an image row",
    );
    assertEquals(
      assertThrows(() => heatmap([[1, 2], [3]]), Error).message,
      "heatmap: the input row 1 has 1 values but row 0 has 2; give every row the same length",
    );
  });
});

Deno.test("heatmap(): schemes, panels and large matrices", async (t) => {
  await t.step("every scheme reaches Plotly as vega's own colours", () => {
    for (const scheme of ["blues", "magma", "Greens", "category10"]) {
      const chart = heatmap([[0, 1], [2, 3]], { scheme });
      const scale = (chart.plotly()!.layout.coloraxis as { colorscale: [number, string][] })
        .colorscale;
      assert(Array.isArray(scale), `${scheme}: got ${JSON.stringify(scale)}`);
      assertEquals([scale[0][0], scale.at(-1)![0]], [0, 1]);
      // The SVG's lowest and highest cells have the colour scale's end colours.
      const fills = markPaths(parseXml(chart.svg()), "rect").map((p) => p.attrs.fill);
      assertEquals(rgb(scale[0][1]), rgb(fills[0]), scheme);
      assertEquals(rgb(scale.at(-1)![1]), rgb(fills[3]), scheme);
    }
    const viridis = (vega as unknown as { scheme(n: string): (t: number) => string }).scheme(
      "viridis",
    );
    const scale = (heatmap([[0, 1]]).plotly()!.layout.coloraxis as {
      colorscale: [number, string][];
    }).colorscale;
    assertEquals(rgb(scale[5][1]), rgb(viridis(0.5)));
  });
  await t.step("an unknown scheme throws before rendering", () => {
    assertMatch(
      assertThrows(() => heatmap([[1, 2]], { scheme: "nope" }), ValueError).message,
      /^heatmap: unknown scheme "nope"; use one of viridis, magma, .*redblue/,
    );
  });
  await t.step("equal titles keep their panels apart", () => {
    for (const titles of [["W", "W"], ["1"]]) {
      const chart = heatmap([tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])], { titles });
      const svg = parseXml(chart.svg());
      const groups = findAll(svg, (n) => n.tag === "g" && hasClass(n, "mark-rect", "role-mark"));
      assertEquals(groups.map((g) => g.children.length), [4, 4], titles.join());
      // A wrapped facet labels its panels with title marks.
      const headers = findAll(svg, (n) => n.tag === "g" && hasClass(n, "role-title-text"))
        .flatMap((g) => findAll(g, (n) => n.tag === "text").map((n) => n.text));
      assertEquals(headers, titles.length === 2 ? titles : ["1", "1"]);
    }
  });
  await t.step("a 500×500 matrix is drawn as block means, and says so", () => {
    const M = Array.from({ length: 500 }, (_, r) => Array.from({ length: 500 }, (_, c) => r + c));
    const chart = heatmap(M, { title: "big" });
    const svg = chart.svg();
    assert(markPaths(parseXml(svg), "rect").length <= 10_000);
    assertMatch(svg, /500×500 shown as 100×100 means of 5×5 blocks/);
    assertEquals(String(chart), "Chart(heatmap: 500×500, viridis; drawn as 100×100 block means)");
    const fig = chart.plotly()!;
    const z = fig.data[0].z as number[][];
    assert(z.length * z[0].length <= 65_536);
    assertEquals([fig.data[0].x0, fig.data[0].dx], [0.5, 2]);
    // The colours still span the whole matrix, not just the block means.
    const axis = fig.layout.coloraxis as { cmin: number; cmax: number };
    assertEquals([axis.cmin, axis.cmax], [0, 998]);
    assert(JSON.stringify(mimeBundle(chart)).length < 4e6);
  });
});

Deno.test("long series and many points are thinned for drawing", async (t) => {
  const n = 100_000;
  const y = Array.from({ length: n }, (_, i) => Math.sin(i / 5000) + (i === 77_777 ? 5 : 0));
  await t.step("lineChart keeps the shape, spikes included, in a bounded bundle", () => {
    const chart = lineChart({ loss: y });
    const path = markPaths(parseXml(chart.svg()), "line")[0];
    assert(vertexCount(path.attrs.d) <= 2000, `${vertexCount(path.attrs.d)} vertices`);
    const values = (chart.vegaLite() as { data: { values: { x: number; y: number }[] } }).data
      .values;
    assert(values.some((r) => r.x === 77_777 && r.y === y[77_777]), "the spike survives");
    assertStrictEquals(values.at(-1)!.x, n - 1);
    const trace = chart.plotly()!.data[0] as { x: number[]; y: number[] };
    assert(trace.x.length <= 10_000 && trace.x.includes(77_777));
    assert(JSON.stringify(mimeBundle(chart)).length < 1e6);
    assertEquals(String(chart), 'Chart(line: "loss" 100000 points; thinned for drawing)');
  });
  await t.step("lineChart keeps gaps", () => {
    const gappy = y.map((v, i) => (i >= 50_000 && i < 50_100 ? NaN : v));
    const path = markPaths(parseXml(lineChart({ loss: gappy }).svg()), "line")[0];
    assertEquals((path.attrs.d.match(/M/g) ?? []).length, 2);
  });
  await t.step("scatter draws a sample, keeps the extremes, and says so", () => {
    const chart = scatter([{ name: "p", x: y.map((_, i) => i), y }, { name: "q", x: [0], y: [9] }]);
    const svg = chart.svg();
    const points = markPaths(parseXml(svg), "symbol");
    assert(points.length <= 5001, `${points.length} points`);
    assertMatch(svg, /a random sample of 5,000 of the 100,001 points/);
    const rows = (chart.vegaLite() as { data: { values: { x: number; y: number }[] } }).data
      .values;
    for (const x of [0, 77_777, n - 1]) assert(rows.some((r) => r.x === x), `x = ${x}`);
    assert(rows.some((r) => r.y === 9), "a one-point series is kept");
    assert(JSON.stringify(mimeBundle(chart)).length < 4e6);
    assertEquals(scatter({ a: y }).vegaLite(), scatter({ a: y }).vegaLite(), "deterministic");
  });
  await t.step("a log x domain must be positive", () => {
    assertEquals(
      assertThrows(
        () => lineChart({ a: [1, 2] }, { x: [1, 2], logX: true, xDomain: [0, 2] }),
        ValueError,
      ).message,
      "lineChart: xDomain [0, 2] must be positive on a log x axis",
    );
  });
});

Deno.test("vegaLite()", async (t) => {
  await t.step("a custom spec gets the v5 schema and an SVG", () => {
    const chart = vegaLite({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: [{ a: 1, b: 2 }, { a: 2, b: 3 }] },
      mark: "bar",
      encoding: { x: { field: "a", type: "ordinal" }, y: { field: "b", type: "quantitative" } },
    });
    const b = mimeBundle(chart);
    assertEquals(Object.keys(b), KEYS.slice(1));
    assertStrictEquals(chart.vegaLite().$schema, VEGA_LITE_SCHEMA);
    assertEquals(markPaths(parseXml(chart.svg()), "rect").length, 2);
  });
  await t.step("an invalid spec throws vega-lite's error", () => {
    assertMatch(
      assertThrows(() => vegaLite({ mark: "nonsense" }), Error).message,
      /^vegaLite: the spec does not compile: /,
    );
  });
});

/** `#rrggbb` or `rgb(r, g, b)` as `[r, g, b]`. */
function rgb(color: string): number[] {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  const fn = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (fn) return fn.slice(1).map(Number);
  throw new Error(`not a colour: ${color}`);
}
