import { raw, Tensor } from "../../lib/tensor.ts";
import { fmtShape, ShapeError, ValueError } from "../../lib/shape_error.ts";
import {
  baseLayout,
  baseSpec,
  Chart,
  type ChartOptions,
  plotlyAxisTitle,
  plotlyText,
} from "./chart.ts";

/**
 * Vega's `redblue` scheme (low values red, high values blue) as a Plotly colorscale. Plotly's own
 * "RdBu" runs the other way (its minimum is blue), so naming it would invert every diverging
 * heatmap relative to the SVG and Vega-Lite views.
 */
const REDBLUE: [number, string][] = [
  "#8c0d25",
  "#bf363a",
  "#df745e",
  "#f4ae91",
  "#fbdbc9",
  "#f2efee",
  "#d2e5ef",
  "#9dcae1",
  "#5da2cb",
  "#2f78b3",
  "#134b85",
].map((c, i, all) => [i / (all.length - 1), c]);

/** A matrix for {@linkcode heatmap}: a rank-2 tensor or an array of equal-length rows. */
export type MatrixInput = Tensor | ArrayLike<ArrayLike<number>>;

/** Options for {@linkcode heatmap}. */
export interface HeatmapOptions extends ChartOptions {
  /** Titles of the panels when several matrices are given. */
  titles?: string[];
  /** Panels per row when several matrices are given (default 5). */
  columns?: number;
  /**
   * A Vega color scheme; the default is `"viridis"`, or the diverging `"redblue"` centred on 0
   * when the values have both signs (weights, gradients).
   */
  scheme?: string;
  /** Show row and column axes (default: only for matrices up to 30 × 30). */
  axes?: boolean;
  /** Side of one cell in pixels (default: fits the panel into about 300 px). */
  cellSize?: number;
}

/**
 * A color shows far fewer than 4 significant digits, and a 28×28 panel grid carries thousands of
 * cells twice (Vega-Lite and Plotly), so values are rounded to keep saved notebooks small.
 */
function cellValue(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : null;
}

interface Mat {
  rows: number;
  cols: number;
  values: number[];
}

function readMatrix(m: MatrixInput, which: string): Mat {
  if (m instanceof Tensor) {
    if (m.rank !== 2) {
      throw new ShapeError(
        `heatmap: ${which} must be a matrix, got a tensor of shape ${fmtShape(m.shape)}; ` +
          `reshape it, e.g. reshape(w, [28, 28]) for an image row`,
      );
    }
    return { rows: m.shape[0], cols: m.shape[1], values: Array.from(raw(m)) };
  }
  const rowsIn = Array.from(m as ArrayLike<ArrayLike<number>>);
  const cols = rowsIn.length ? rowsIn[0].length : 0;
  rowsIn.forEach((r, i) => {
    if (r.length !== cols) {
      throw new ValueError(
        `heatmap: ${which} row ${i} has ${r.length} values but row 0 has ${cols}; ` +
          `give every row the same length`,
      );
    }
  });
  return { rows: rowsIn.length, cols, values: rowsIn.flatMap((r) => Array.from(r, Number)) };
}

/**
 * A heatmap of a matrix (row 0 at the top, like the printed matrix), or of several matrices as a
 * grid of panels sharing one color scale (e.g. the ten learned 28×28 weight rows of an MNIST
 * classifier).
 *
 * @example A 2×3 matrix and a panel grid
 * ```ts
 * import { tensor, zeros } from "matcalc";
 * import { heatmap } from "matcalc/kernel";
 * import assert from "@matcalc/assert";
 *
 * const one = heatmap(tensor([[1, 2, 3], [4, 5, 6]]), { title: "W" });
 * assert.equal(one.plotly()!.data[0].type, "heatmap");
 * const grid = heatmap([zeros([2, 2]), zeros([2, 2])], { titles: ["a", "b"], columns: 2 });
 * assert.equal(grid.plotly()!.data.length, 2);
 * ```
 */
export function heatmap(matrix: MatrixInput | MatrixInput[], options: HeatmapOptions = {}): Chart {
  const multi = Array.isArray(matrix) && matrix.length > 0 &&
    (matrix[0] instanceof Tensor || Array.isArray(matrix[0]?.[0]) ||
      ArrayBuffer.isView(matrix[0]?.[0]));
  const mats = (multi ? matrix as MatrixInput[] : [matrix as MatrixInput]).map((m, i) =>
    readMatrix(m, multi ? `matrix ${i}` : "the input")
  );
  if (mats.length === 0 || mats[0].rows === 0 || mats[0].cols === 0) {
    throw new ValueError("heatmap: the matrix is empty; pass at least one row and one column");
  }
  const titles = mats.map((_, i) => options.titles?.[i] ?? (multi ? `${i}` : ""));
  let lo = Infinity, hi = -Infinity;
  for (const m of mats) {
    for (const v of m.values) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const diverging = options.scheme === undefined && lo < 0 && hi > 0;
  const scheme = options.scheme ?? (diverging ? "redblue" : "viridis");
  const maxSide = Math.max(...mats.map((m) => Math.max(m.rows, m.cols)));
  const cell = options.cellSize ??
    Math.max(2, Math.min(30, Math.floor((multi ? 140 : 300) / maxSide)));
  const showAxes = options.axes ?? maxSide <= 30;
  const values = mats.flatMap((m, p) =>
    m.values.map((v, k) => ({
      panel: titles[p],
      row: Math.floor(k / m.cols),
      col: k % m.cols,
      value: cellValue(v),
    }))
  );
  const bound = Math.max(Math.abs(lo), Math.abs(hi));
  const colorScale: Record<string, unknown> = { scheme };
  if (diverging) colorScale.domain = [-bound, bound];
  const axis = showAxes ? { labelOverlap: true, ticks: false } : null;
  const inner = {
    width: cell * mats[0].cols,
    height: cell * mats[0].rows,
    mark: { type: "rect" },
    encoding: {
      x: { field: "col", type: "ordinal", title: options.xLabel ?? null, axis },
      y: { field: "row", type: "ordinal", title: options.yLabel ?? null, axis },
      color: { field: "value", type: "quantitative", title: null, scale: colorScale },
    },
  };
  const base = baseSpec(options);
  delete base.width;
  delete base.height;
  const spec = multi
    ? {
      ...base,
      data: { values },
      facet: { field: "panel", type: "ordinal", sort: titles, header: { title: null } },
      columns: options.columns ?? 5,
      spec: inner,
    }
    : { ...base, data: { values }, ...inner };

  const columns = Math.min(options.columns ?? 5, mats.length);
  const gridRows = Math.ceil(mats.length / columns);
  const layout = baseLayout(options);
  layout.width = multi ? columns * (inner.width + 40) + 120 : inner.width + 160;
  layout.height = multi ? gridRows * (inner.height + 40) + 100 : inner.height + 120;
  // Explicit margins: Plotly's defaults (80 px top and bottom) leave a small matrix no room to
  // draw, and plotly.js then aborts with "Something went wrong with axis scaling".
  layout.margin = { l: 50, r: 20, t: options.title === undefined ? 20 : 50, b: 40 };
  const colorscale = scheme === "redblue" ? REDBLUE : scheme === "viridis" ? "Viridis" : scheme;
  layout.coloraxis = diverging ? { colorscale, cmin: -bound, cmax: bound } : { colorscale };
  if (multi) layout.grid = { rows: gridRows, columns, pattern: "independent" };
  const data = mats.map((m, p) => {
    const z = Array.from(
      { length: m.rows },
      (_, r) => m.values.slice(r * m.cols, (r + 1) * m.cols).map(cellValue),
    );
    const suffix = p === 0 ? "" : String(p + 1);
    layout[`xaxis${suffix}`] = {
      title: p === 0 ? plotlyAxisTitle(options.xLabel) : undefined,
      showticklabels: showAxes,
      constrain: "domain",
    };
    layout[`yaxis${suffix}`] = {
      title: p === 0 ? plotlyAxisTitle(options.yLabel) : undefined,
      autorange: "reversed",
      showticklabels: showAxes,
      scaleanchor: `x${suffix}`,
    };
    return {
      type: "heatmap",
      z,
      name: plotlyText(titles[p]),
      coloraxis: "coloraxis",
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
    };
  });
  if (multi) {
    layout.annotations = data.map((_, p) => ({
      text: plotlyText(titles[p]),
      showarrow: false,
      xref: `x${p === 0 ? "" : p + 1} domain`,
      yref: `y${p === 0 ? "" : p + 1} domain`,
      x: 0.5,
      y: 1.08,
    }));
  }
  const shape = `${mats[0].rows}×${mats[0].cols}`;
  const text = multi
    ? `Chart(heatmap: ${mats.length} panels of ${shape}, ${scheme})`
    : `Chart(heatmap: ${shape}, ${scheme})`;
  return new Chart(spec, { data, layout }, text);
}
