import {
  baseLayout,
  baseSpec,
  Chart,
  type ChartOptions,
  finiteOrNull,
  noteTitle,
  PALETTE,
  plotlyAxisTitle,
  plotlyNoteTitle,
  plotlyText,
  xyEncoding,
} from "./chart.ts";
import {
  type CleanSeries,
  cleanSeries,
  describeSeries,
  PLOTLY_POINTS,
  rows,
  samplePoints,
  type SeriesInput,
} from "./series.ts";

/** Points in the SVG and Vega-Lite views: each is one SVG path of about 300 bytes. */
const VIEW_SCATTER_POINTS = 5000;

/** Options for {@linkcode scatter}. */
export interface ScatterOptions extends ChartOptions {
  /** Logarithmic x axis. */
  logX?: boolean;
  /** Logarithmic y axis. */
  logY?: boolean;
  /** Marker area in square pixels (default 30). */
  size?: number;
}

/**
 * A scatter plot of one or more named point sets. More than 5,000 points are drawn as a random
 * sample of 5,000 (10,000 in Plotly; the same sample on every run), keeping each series' extreme
 * points, and the subtitle says so.
 *
 * @example Two clusters
 * ```ts
 * import { scatter } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * const chart = scatter([
 *   { name: "a", x: [0, 1], y: [0, 1] },
 *   { name: "b", x: [5, 6, 7], y: [5, 6, 5] },
 * ]);
 * assertEquals(chart.plotly()!.data.map((t) => t.mode), ["markers", "markers"]);
 * ```
 */
export function scatter(series: SeriesInput, options: ScatterOptions = {}): Chart {
  const clean = cleanSeries("scatter", series);
  const logX = options.logX ?? false, logY = options.logY ?? false;
  const names = clean.map((s) => s.name);
  const colors = names.map((_, i) => PALETTE[i % PALETTE.length]);
  const view = samplePoints(clean, VIEW_SCATTER_POINTS);
  const plotted = samplePoints(clean, PLOTLY_POINTS);
  const base = baseSpec(options);
  if (view) base.title = noteTitle(options.title, sampleNote(clean, view));
  const spec = {
    ...base,
    data: { values: rows(view ?? clean, logX, logY) },
    mark: { type: "point", filled: true, size: options.size ?? 30, opacity: 0.8 },
    encoding: xyEncoding(options, names, colors, logX, logY),
  };
  // A point at the data's extreme (often the one the chart is about, e.g. an optimum) would sit
  // on the axis, half outside the plot: pad both scales by about a marker's width.
  for (const axis of ["x", "y"]) {
    (spec.encoding[axis] as { scale: Record<string, unknown> }).scale.padding = 8;
  }
  const layout = baseLayout(options);
  if (plotted) layout.title = plotlyNoteTitle(options.title, sampleNote(clean, plotted));
  layout.xaxis = { type: logX ? "log" : "linear", title: plotlyAxisTitle(options.xLabel) };
  layout.yaxis = { type: logY ? "log" : "linear", title: plotlyAxisTitle(options.yLabel) };
  layout.showlegend = clean.length > 1;
  const data = (plotted ?? clean).map((s, i) => ({
    type: "scatter",
    mode: "markers",
    name: plotlyText(s.name),
    x: s.x.map((v) => finiteOrNull(v, logX)),
    y: s.y.map((v) => finiteOrNull(v, logY)),
    marker: { color: colors[i], size: Math.sqrt(options.size ?? 30) + 1 },
  }));
  const sampled = view ? `; ${sampleNote(clean, view)}` : "";
  return new Chart(spec, { data, layout }, `Chart(scatter: ${describeSeries(clean)}${sampled})`);
}

/** E.g. `a random sample of 5,000 of the 100,000 points`. */
function sampleNote(all: CleanSeries[], shown: CleanSeries[]): string {
  const count = (list: CleanSeries[]) => list.reduce((n, s) => n + s.y.length, 0);
  const n = (x: number) => x.toLocaleString("en-US");
  return `a random sample of ${n(count(shown))} of the ${n(count(all))} points`;
}
