import { raw, Tensor } from "../../lib/tensor.ts";
import { fmtShape, ShapeError, ValueError } from "../../lib/errors.ts";
import type { MimeBundle } from "../jupyter.ts";
import { compileVegaLite, renderSvg, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "./render.ts";

/** A Plotly figure: `{ data: traces, layout }`, as `Plotly.newPlot(el, fig)` accepts it. */
export interface PlotlyFigure {
  /** The traces. */
  data: Record<string, unknown>[];
  /** Axes, title, size, shapes and annotations. */
  layout: Record<string, unknown>;
}

/** Numbers a chart accepts: an array, a typed array, or a rank-1 tensor. */
export type Numbers = ArrayLike<number> | Tensor;

/** Options shared by every chart. */
export interface ChartOptions {
  /** Title above the plot. */
  title?: string;
  /** Plot width in pixels (default 360). */
  width?: number;
  /** Plot height in pixels (default 220). */
  height?: number;
  /** x-axis title. */
  xLabel?: string;
  /** y-axis title. */
  yLabel?: string;
}

/** Tableau 10, Vega-Lite's default palette, used by both renderers so colors agree. */
export const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
];

/**
 * A chart that displays in every Jupyter frontend: its bundle carries a Plotly figure, a
 * Vega-Lite v5 spec, and an SVG rendered headlessly by vega, so pages without scripts (nbconvert
 * HTML, GitHub) still show it. Build one with `lineChart`, `scatter`, `heatmap` or `vegaLite`.
 */
export class Chart {
  readonly #spec: VegaLiteSpec;
  readonly #figure: PlotlyFigure | undefined;
  readonly #text: string;
  #svg: string | undefined;

  /** Wraps a Vega-Lite spec and optionally the equivalent Plotly figure; prefer the builders. */
  constructor(spec: VegaLiteSpec, figure?: PlotlyFigure, text = "Chart") {
    this.#spec = spec;
    this.#figure = figure;
    this.#text = text;
  }

  /** A copy of the Vega-Lite v5 spec, to customize and show with `vegaLite(spec)`. */
  vegaLite(): VegaLiteSpec {
    return structuredClone(this.#spec);
  }

  /** A copy of the Plotly figure (`undefined` for charts made from a custom Vega-Lite spec). */
  plotly(): PlotlyFigure | undefined {
    return this.#figure === undefined ? undefined : structuredClone(this.#figure);
  }

  /** The chart as an SVG document, rendered by vega without a browser (cached). */
  svg(): string {
    return this.#svg ??= renderSvg(this.#spec);
  }

  /** A one-line description, e.g. `Chart(line: "train" 100 points; y log)`. */
  toString(): string {
    return this.#text;
  }

  /** Prints the description in the REPL and `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.#text;
  }

  /**
   * The MIME bundle: Plotly, Vega-Lite v5, SVG, the SVG again as Markdown (for plain
   * `jupyter nbconvert --to html`, see {@linkcode svgMarkdown}) and plain text.
   */
  bundle(): MimeBundle {
    const b: MimeBundle = {};
    if (this.#figure) b["application/vnd.plotly.v1+json"] = this.plotly();
    b["application/vnd.vegalite.v5+json"] = this.vegaLite();
    try {
      b["image/svg+xml"] = this.svg();
      b["text/markdown"] = svgMarkdown(b["image/svg+xml"] as string);
    } catch (e) {
      return {
        ...b,
        "text/plain": `${this.#text} (SVG rendering failed: ${(e as Error).message})`,
      };
    }
    b["text/plain"] = this.#text;
    return b;
  }

  /** Jupyter calls this to show the chart. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.bundle();
  }
}

/**
 * A chart from your own Vega-Lite spec (for example a customized `chart.vegaLite()`), shown
 * with its SVG rendering; pass `plotly` to carry a Plotly figure too. The `$schema` is set to the
 * v5 URL, which JupyterLab 4, VS Code and Deno's kernel recognize. Throws vega-lite's error if
 * the spec does not compile.
 *
 * @example Retitle a line chart
 * ```ts
 * import { lineChart, vegaLite } from "matcalc/kernel";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * const base = lineChart({ loss: [3, 2, 1.5] });
 * const custom = vegaLite({ ...base.vegaLite(), title: "My loss" }, { plotly: base.plotly() });
 * assertEquals(custom.vegaLite().title, "My loss");
 * assertMatch(custom.svg(), /My loss/);
 * ```
 */
export function vegaLite(
  spec: VegaLiteSpec,
  options: { plotly?: PlotlyFigure; text?: string } = {},
): Chart {
  const full = { ...spec, $schema: VEGA_LITE_SCHEMA };
  try {
    compileVegaLite(full);
  } catch (e) {
    throw new Error(`vegaLite: the spec does not compile: ${(e as Error).message}`);
  }
  return new Chart(full, options.plotly, options.text ?? "Chart(custom Vega-Lite spec)");
}

/**
 * Shows a Plotly figure as it is (interactive in frontends with a Plotly renderer: JupyterLab and
 * VS Code). A bare figure has no static picture, so pages without scripts (nbconvert's HTML, the
 * classic notebook, GitHub) would show only its text: pass `fallback`, a chart (its SVG is used)
 * or an SVG string, to give those a drawing. The chart builders' own bundles carry both.
 *
 * @example A customized figure with the chart it came from as the static fallback
 * ```ts
 * import { lineChart, mimeBundle, plotly } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * const chart = lineChart({ loss: [1, 0.5, 0.25] });
 * const fig = chart.plotly()!;
 * fig.layout = { ...fig.layout, hovermode: "x unified" };
 * const b = mimeBundle(plotly(fig, { fallback: chart }));
 * assertEquals(Object.keys(b), [
 *   "application/vnd.plotly.v1+json",
 *   "image/svg+xml",
 *   "text/markdown",
 *   "text/plain",
 * ]);
 * assertEquals(Object.keys(mimeBundle(plotly(fig))), ["application/vnd.plotly.v1+json", "text/plain"]);
 * ```
 */
export function plotly(
  figure: PlotlyFigure,
  options: { fallback?: Chart | string } = {},
): { [k: symbol]: () => MimeBundle } {
  return {
    [Symbol.for("Jupyter.display")]: () => {
      const b: MimeBundle = { "application/vnd.plotly.v1+json": structuredClone(figure) };
      const { fallback } = options;
      if (fallback !== undefined) {
        const svg = typeof fallback === "string" ? fallback : fallback.svg();
        b["image/svg+xml"] = svg;
        b["text/markdown"] = svgMarkdown(svg);
      }
      b["text/plain"] = `Plotly figure (${figure.data.length} traces)`;
      return b;
    },
  };
}

/**
 * The SVG as a Markdown output: one raw HTML block (`<div>` and the SVG on a single line, so no
 * blank line ends it early). Plain `jupyter nbconvert --to html` (6.5) passes `image/svg+xml`
 * through lxml's cleaner, which strips every SVG element and leaves a string of tick labels, but
 * it prefers `text/markdown` and keeps its raw HTML, so the chart survives; the classic notebook
 * shows this same inline SVG; JupyterLab and VS Code still pick Vega-Lite or Plotly.
 *
 * @example
 * ```ts
 * import { svgMarkdown } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(
 *   svgMarkdown('<svg width="2">\n\n  <rect/>\n</svg>'),
 *   '<div class="matcalc-chart"><svg width="2"> <rect/> </svg></div>',
 * );
 * ```
 */
export function svgMarkdown(svg: string): string {
  return `<div class="matcalc-chart">${svg.trim().replace(/\s*\n\s*/g, " ")}</div>`;
}

/** @internal Reads numbers from an array, typed array or rank-1 tensor. */
export function toNumbers(op: string, what: string, values: Numbers): number[] {
  if (values instanceof Tensor) {
    if (values.rank !== 1) {
      throw new ShapeError(
        `${op}: ${what} must be a vector, got a tensor of shape ${fmtShape(values.shape)}; ` +
          `reshape or index it to one axis`,
      );
    }
    return Array.from(raw(values));
  }
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new ValueError(`${op}: ${what} must be an array of numbers, got ${String(values)}`);
  }
  return Array.from(values, Number);
}

/** @internal JSON has no NaN or ±Infinity: those (and, on log axes, values ≤ 0) become gaps. */
export function finiteOrNull(x: number, log: boolean): number | null {
  return Number.isFinite(x) && (!log || x > 0) ? x : null;
}

/** @internal Plotly renders a subset of HTML in text, so names and titles are escaped for it. */
export function plotlyText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/**
 * @internal The Vega-Lite encoding line and scatter charts share: quantitative x and y (log or
 * linear, not forced to include 0) and one colour per series, without a legend for one series.
 */
export function xyEncoding(
  options: { xLabel?: string; yLabel?: string },
  names: string[],
  colors: string[],
  logX: boolean,
  logY: boolean,
  xDomain?: [number, number],
): Record<string, unknown> {
  return {
    x: {
      field: "x",
      type: "quantitative",
      title: options.xLabel ?? null,
      scale: {
        // A nice log domain rounds out to whole decades: data ending at 1024 would get an axis
        // to 10,000, a quarter of the plot empty.
        ...(logX ? { type: "log", nice: false } : { zero: false }),
        ...(xDomain ? { domain: xDomain } : {}),
      },
    },
    y: {
      field: "y",
      type: "quantitative",
      title: options.yLabel ?? null,
      scale: logY ? { type: "log" } : { zero: false },
    },
    color: {
      field: "series",
      type: "nominal",
      title: null,
      scale: { domain: names, range: colors },
      ...(names.length === 1 ? { legend: null } : {}),
    },
  };
}

/** @internal Base Vega-Lite fields: schema, title, size. */
export function baseSpec(options: ChartOptions): VegaLiteSpec {
  const spec: VegaLiteSpec = { $schema: VEGA_LITE_SCHEMA };
  if (options.title !== undefined) spec.title = options.title;
  spec.width = options.width ?? 360;
  spec.height = options.height ?? 220;
  return spec;
}

/** @internal Base Plotly layout: title and size (Plotly's size includes its margins). */
export function baseLayout(options: ChartOptions): Record<string, unknown> {
  const layout: Record<string, unknown> = {
    width: (options.width ?? 360) + 160,
    height: (options.height ?? 220) + 120,
  };
  if (options.title !== undefined) layout.title = { text: plotlyText(options.title) };
  return layout;
}

/** @internal An axis title object for Plotly, or `undefined`. */
export function plotlyAxisTitle(label: string | undefined): Record<string, unknown> | undefined {
  return label === undefined ? undefined : { text: plotlyText(label) };
}

/**
 * @internal A Vega-Lite title carrying a note on what is drawn (a sample, block means) as its
 * subtitle, or alone in the subtitle's style: vega drops a subtitle whose title is empty.
 */
export function noteTitle(title: string | undefined, note: string): Record<string, unknown> {
  return title === undefined
    ? { text: note, fontSize: 11, fontWeight: "normal", color: "#555" }
    : { text: title, subtitle: note };
}

/** @internal The same for Plotly: the note in small type under the title. */
export function plotlyNoteTitle(title: string | undefined, note: string): Record<string, unknown> {
  const sub = `<sub>${plotlyText(note)}</sub>`;
  return { text: title === undefined ? sub : `${plotlyText(title)}<br>${sub}` };
}
