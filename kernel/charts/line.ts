import {
  baseLayout,
  baseSpec,
  Chart,
  type ChartOptions,
  finiteOrNull,
  type Numbers,
  PALETTE,
  plotlyAxisTitle,
  plotlyText,
  xyEncoding,
} from "./chart.ts";
import { ValueError } from "../../lib/errors.ts";
import {
  cleanSeries,
  describeSeries,
  PLOTLY_POINTS,
  rows,
  type SeriesInput,
  thinLine,
  VIEW_POINTS,
} from "./series.ts";
import type { VegaLiteSpec } from "./render.ts";

/** A vertical marker line, e.g. where training diverged. */
export interface Rule {
  /** Position on the x axis. */
  x: number;
  /** Text written next to the line. */
  label?: string;
  /** Line color (default red). */
  color?: string;
}

/** Options for {@linkcode lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** Shared x values when series are given as `{ name: y }`. */
  x?: Numbers;
  /** Logarithmic x axis (non-positive x values become gaps). */
  logX?: boolean;
  /** Logarithmic y axis (non-positive y values become gaps), e.g. for losses. */
  logY?: boolean;
  /** Vertical marker lines with labels. */
  rules?: Rule[];
  /** Fixed x-axis range instead of the data's extent (live charts keep `[first, total]`). */
  xDomain?: [number, number];
}

/**
 * A line chart of one or more series on shared axes, with optional log scales and marker lines.
 * NaN and ±Infinity (a diverged loss) become gaps rather than breaking the chart. Mismatched
 * lengths throw, naming the series and both lengths. Long series are thinned for drawing (to
 * 2,000 points per series in the picture, 10,000 in Plotly), keeping each stretch's first,
 * last, lowest and highest point, so the curve looks the same.
 *
 * @example Train and test loss on a log axis
 * ```ts
 * import { lineChart } from "matcalc/kernel";
 * import { assertEquals, assertMatch, assertThrows } from "@std/assert";
 *
 * const chart = lineChart({ train: [1, 0.5, 0.25], test: [1.2, 0.7, 0.5] }, { logY: true });
 * const fig = chart.plotly()!;
 * assertEquals(fig.data.length, 2);
 * assertEquals((fig.layout.yaxis as { type: string }).type, "log");
 * assertMatch(chart.svg(), /^<svg/);
 * assertEquals(assertThrows(() => lineChart([{ name: "train", x: [0, 1], y: [1, 2, 3] }]), Error).message, 'lineChart: series "train" has 2 x values but 3 y values; pass x and y of the same length');
 * ```
 */
export function lineChart(series: SeriesInput, options: LineChartOptions = {}): Chart {
  const clean = cleanSeries("lineChart", series, options.x);
  const logX = options.logX ?? false, logY = options.logY ?? false;
  const domain = options.xDomain;
  if (logX && domain && !(domain[0] > 0 && domain[1] > 0)) {
    // vega would draw an axis without ticks, Plotly a null range (log10 of 0).
    throw new ValueError(
      `lineChart: xDomain [${domain.join(", ")}] must be positive on a log x axis`,
    );
  }
  const names = clean.map((s) => s.name);
  const colors = names.map((_, i) => PALETTE[i % PALETTE.length]);
  const encoding = xyEncoding(options, names, colors, logX, logY, domain);
  const view = clean.map((s) => thinLine(s, VIEW_POINTS, logX, logY));
  const lineLayer: VegaLiteSpec = {
    data: { values: rows(view, logX, logY) },
    mark: { type: "line", clip: true },
    encoding,
  };
  // A point with no finite neighbour (a one-step series, as a live chart is after its first
  // push, or a value between two gaps) would draw a zero-length line: mark it with a dot.
  const lone = view.flatMap((s) =>
    isolated(s.x, s.y, logX, logY).map((k) => ({ series: s.name, x: s.x[k], y: s.y[k] }))
  );
  const layers: VegaLiteSpec[] = [lineLayer];
  if (lone.length > 0) {
    layers.push({
      data: { values: lone },
      mark: { type: "point", filled: true, clip: true },
      encoding,
    });
  }
  const rules = (options.rules ?? []).filter((r) => finiteOrNull(r.x, logX) !== null);
  const spec = baseSpec(options);
  if (rules.length === 0 && layers.length === 1) Object.assign(spec, lineLayer);
  else {
    // One rule and one label layer per marker, coloured on the mark: a colour *encoding* there
    // (even with `scale: null`) joins the series' shared colour scale and drops its legend.
    const marks = rules.flatMap((r): VegaLiteSpec[] => {
      const data = { values: [{ x: r.x, label: r.label ?? "" }] };
      const x = { field: "x", type: "quantitative" };
      const color = r.color ?? "#d62728";
      return [
        {
          data,
          mark: { type: "rule", strokeDash: [4, 3], strokeWidth: 1.5, color },
          encoding: { x },
        },
        {
          data,
          mark: { type: "text", align: "left", baseline: "top", dx: 3, y: 2, fontSize: 10, color },
          encoding: { x, text: { field: "label" } },
        },
      ];
    });
    spec.layer = [...layers, ...marks];
  }

  const layout = baseLayout(options);
  // Plotly places shapes and ranges on log axes in log10 units.
  const px = (x: number) => (logX ? Math.log10(x) : x);
  layout.xaxis = { type: logX ? "log" : "linear", title: plotlyAxisTitle(options.xLabel) };
  if (domain) (layout.xaxis as Record<string, unknown>).range = domain.map(px);
  layout.yaxis = { type: logY ? "log" : "linear", title: plotlyAxisTitle(options.yLabel) };
  layout.showlegend = clean.length > 1;
  layout.shapes = rules.map((r) => ({
    type: "line",
    xref: "x",
    yref: "paper",
    x0: px(r.x),
    x1: px(r.x),
    y0: 0,
    y1: 1,
    line: { color: r.color ?? "#d62728", dash: "dash", width: 1.5 },
  }));
  layout.annotations = rules.filter((r) => r.label).map((r) => ({
    x: px(r.x),
    y: 1,
    xref: "x",
    yref: "paper",
    text: plotlyText(r.label!),
    showarrow: false,
    xanchor: "left",
    yanchor: "top",
    font: { color: r.color ?? "#d62728", size: 10 },
  }));
  const data = clean.map((full, i) => {
    const s = thinLine(full, PLOTLY_POINTS, logX, logY);
    const alone = new Set(isolated(s.x, s.y, logX, logY));
    return {
      type: "scatter",
      mode: alone.size > 0 ? "lines+markers" : "lines",
      name: plotlyText(s.name),
      x: s.x.map((v) => finiteOrNull(v, logX)),
      y: s.y.map((v) => finiteOrNull(v, logY)),
      line: { color: colors[i] },
      ...(alone.size > 0 ? { marker: { size: s.y.map((_, k) => (alone.has(k) ? 6 : 0)) } } : {}),
    };
  });
  const scales = [logX ? "x log" : "", logY ? "y log" : ""].filter(Boolean).join(", ");
  const thinned = clean.some((s) => s.y.length > VIEW_POINTS) ? "; thinned for drawing" : "";
  const text = `Chart(line: ${describeSeries(clean)}${scales ? "; " + scales : ""}${thinned})`;
  return new Chart(spec, { data, layout }, text);
}

/** Indices of drawable points whose neighbours are both gaps (or missing). */
function isolated(x: number[], y: number[], logX: boolean, logY: boolean): number[] {
  const ok = (k: number) =>
    k >= 0 && k < y.length && finiteOrNull(x[k], logX) !== null &&
    finiteOrNull(y[k], logY) !== null;
  const out: number[] = [];
  for (let k = 0; k < y.length; k++) if (ok(k) && !ok(k - 1) && !ok(k + 1)) out.push(k);
  return out;
}
