/**
 * Nothing a user names can run a script when rendered: tensor names, chart titles, axis labels
 * and series names that look like HTML must come out as text in every MIME type a frontend
 * renders as markup (HTML, SVG, Plotly's text subset, Markdown, LaTeX via MathJax).
 */
import { assert, assertEquals, assertNotMatch } from "@std/assert";
import { gradientDescent, square, sum, type Tensor, tensor, zeros } from "matcalc";
import * as kernel from "matcalc/kernel";
import { heatmap, lineChart, liveLoss, mimeBundle, scatter, show, toHtml } from "matcalc/kernel";

const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  '"><svg onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
];

const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=\/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
const ATTR = /\s([^\s=\/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
const DANGEROUS_TAGS = new Set(["script", "img", "iframe", "object", "embed", "foreignobject"]);

/**
 * Fails if `markup` has a tag that can run script: `<script>`, `<img>`, `<iframe>`, …, any
 * `on…=` event-handler attribute, or a `javascript:` URL. Escaped text (`&lt;img …&gt;`) and
 * payloads inside quoted attribute values are inert and pass.
 */
function assertInert(markup: string, where: string): void {
  for (const [tag, name, attrs] of markup.matchAll(TAG)) {
    const context = `${where}: live markup ${tag.slice(0, 120)}`;
    assert(!DANGEROUS_TAGS.has(name.toLowerCase()), context);
    for (const [, attr, value = ""] of attrs.matchAll(ATTR)) {
      assert(!/^on/i.test(attr), context);
      assert(!/^["']?\s*javascript:/i.test(value), context);
    }
  }
}

/** Every string of a JSON-like value, with its path. */
function strings(v: unknown, path = "$"): [string, string][] {
  if (typeof v === "string") return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${path}[${i}]`));
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => strings(x, `${path}.${k}`));
  }
  return [];
}

Deno.test("toHtml() / show(): tensor names are escaped", async (t) => {
  for (const name of PAYLOADS) {
    await t.step(name, () => {
      for (const shape of [[], [2], [2, 2], [2, 2, 2], [1, 1, 1, 1]]) {
        const x = zeros(shape);
        assertInert(toHtml(x, { name }), `toHtml ${JSON.stringify(shape)}`);
        const bundle = mimeBundle(show(x, { name }));
        assertInert(String(bundle["text/html"]), `show ${JSON.stringify(shape)} text/html`);
        // MathJax: \href / \unicode / raw HTML must not come through in the LaTeX label.
        assertNotMatch(String(bundle["text/latex"] ?? ""), /\\href/);
      }
    });
  }
  await t.step("a LaTeX \\href in a name cannot make a link", () => {
    const bundle = mimeBundle(show(tensor([1]), { name: "\\href{javascript:alert(1)}{x}" }));
    assertNotMatch(String(bundle["text/latex"]), /\\href/);
  });
});

Deno.test("lineChart() / scatter() / heatmap(): titles, labels and series names are escaped", async (t) => {
  for (const p of PAYLOADS) {
    await t.step(p, () => {
      const opts = { title: p, xLabel: p, yLabel: p };
      const charts = [
        ["lineChart", lineChart({ [p]: [1, 2, 3], ok: [3, 2, 1] }, opts)],
        ["scatter", scatter([{ name: p, x: [0, 1], y: [1, 0] }], opts)],
        ["heatmap", heatmap(tensor([[1, 2], [3, 4]]), opts)],
      ] as const;
      for (const [name, chart] of charts) {
        const b = chart.bundle();
        assertInert(String(b["image/svg+xml"]), `${name} SVG`);
        // Plotly renders a subset of HTML inside text fields: every string must be escaped.
        for (const [path, s] of strings(b["application/vnd.plotly.v1+json"])) {
          assertInert(s, `${name} Plotly ${path}`);
        }
      }
    });
  }
});

Deno.test("md(): interpolated strings cannot inject HTML", () => {
  for (const p of PAYLOADS) assertInert(kernel.md`loss of ${p}`.source, "md");
});

Deno.test("liveLoss(): series names, titles and divergence messages are escaped", async (t) => {
  for (const p of PAYLOADS) {
    await t.step(p, () => {
      const live = liveLoss({ title: p, xLabel: p, yLabel: p, output: "none" });
      live.push(0, { [p]: 1 });
      live.push(1, { [p]: 0.5 });
      live.markDivergence(1, p, p);
      live.done();
      const b = live.chart().bundle();
      assertInert(String(b["image/svg+xml"]), "liveLoss SVG");
      for (const [path, s] of strings(b["application/vnd.plotly.v1+json"])) {
        assertInert(s, `liveLoss Plotly ${path}`);
      }
      const shown = mimeBundle(live);
      for (const [mime, v] of Object.entries(shown)) {
        if (mime.includes("html") || mime.includes("svg")) {
          assertInert(String(v), `liveLoss ${mime}`);
        }
      }
    });
  }
  await t.step("a diverging gradientDescent run marks the chart with an inert message", () => {
    const live = liveLoss({ output: "none" });
    const r = gradientDescent({
      loss: (w: Tensor) => sum(square(w)),
      params: tensor([1]),
      lr: 5,
      steps: 50,
      monitor: live,
      label: "<img src=x onerror=alert(1)>",
    });
    live.done();
    assertEquals(r.diverged, true);
    assertInert(String(live.chart().bundle()["image/svg+xml"]), "SVG");
    assertInert(String(mimeBundle(live)["text/html"] ?? ""), "HTML");
  });
});
