import {
  baseLayout,
  baseSpec,
  Chart,
  type ChartOptions,
  finiteOrNull,
  PALETTE,
  plotlyAxisTitle,
  plotlyText,
  xyEncoding,
} from "./chart.ts";
import { cleanSeries, describeSeries, rows, type SeriesInput } from "./series.ts";

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
 * A scatter plot of one or more named point sets.
 *
 * @example Two clusters
 * ```ts
 * import { scatter } from "matcalc/kernel";
 * import assert from "@matcalc/assert";
 *
 * const chart = scatter([
 *   { name: "a", x: [0, 1], y: [0, 1] },
 *   { name: "b", x: [5, 6, 7], y: [5, 6, 5] },
 * ]);
 * assert.deepEqual(chart.plotly()!.data.map((t) => t.mode), ["markers", "markers"]);
 * ```
 */
export function scatter(series: SeriesInput, options: ScatterOptions = {}): Chart {
  const clean = cleanSeries("scatter", series);
  const logX = options.logX ?? false, logY = options.logY ?? false;
  const names = clean.map((s) => s.name);
  const colors = names.map((_, i) => PALETTE[i % PALETTE.length]);
  const spec = {
    ...baseSpec(options),
    data: { values: rows(clean, logX, logY) },
    mark: { type: "point", filled: true, size: options.size ?? 30, opacity: 0.8 },
    encoding: xyEncoding(options, names, colors, logX, logY),
  };
  // A point at the data's extreme (often the one the chart is about, e.g. an optimum) would sit
  // on the axis, half outside the plot: pad both scales by about a marker's width.
  for (const axis of ["x", "y"]) {
    (spec.encoding[axis] as { scale: Record<string, unknown> }).scale.padding = 8;
  }
  const layout = baseLayout(options);
  layout.xaxis = { type: logX ? "log" : "linear", title: plotlyAxisTitle(options.xLabel) };
  layout.yaxis = { type: logY ? "log" : "linear", title: plotlyAxisTitle(options.yLabel) };
  layout.showlegend = clean.length > 1;
  const data = clean.map((s, i) => ({
    type: "scatter",
    mode: "markers",
    name: plotlyText(s.name),
    x: s.x.map((v) => finiteOrNull(v, logX)),
    y: s.y.map((v) => finiteOrNull(v, logY)),
    marker: { color: colors[i], size: Math.sqrt(options.size ?? 30) + 1 },
  }));
  return new Chart(spec, { data, layout }, `Chart(scatter: ${describeSeries(clean)})`);
}
