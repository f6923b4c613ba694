import { raw, Tensor } from "../../lib/tensor.ts";
import { fmtShape, ShapeError, ValueError } from "../../lib/errors.ts";
import { vegaScheme } from "./render.ts";
import {
  baseLayout,
  baseSpec,
  Chart,
  type ChartOptions,
  noteTitle,
  plotlyAxisTitle,
  plotlyNoteTitle,
  plotlyText,
} from "./chart.ts";

/** Schemes named when an unknown one is asked for (vega knows more: see its docs). */
const SCHEMES = [
  "viridis",
  "magma",
  "inferno",
  "plasma",
  "cividis",
  "turbo",
  "blues",
  "greens",
  "greys",
  "oranges",
  "purples",
  "reds",
  "redblue",
  "blueorange",
  "redyellowblue",
  "spectral",
];

/**
 * The SVG and Vega-Lite views draw one rect per cell (about 170 bytes of SVG and 50 of JSON
 * each), so larger matrices are shown as block means: MNIST's ten 28×28 panels still fit.
 */
const VIEW_CELLS = 10_000;
/** Plotly draws on a canvas; its bound only keeps the saved notebook small (~0.5 MB). */
const PLOTLY_CELLS = 65_536;

/**
 * A Vega colour scheme as an explicit Plotly colour list. Plotly's own names differ from
 * vega's (and "RdBu" even runs the other way: blue at the minimum), so both renderers get the
 * colours vega itself uses: 11 samples of an interpolator, or a discrete scheme's colours.
 */
function plotlyColorscale(name: string): [number, string][] {
  const scheme = vegaScheme(name);
  if (scheme === undefined) {
    throw new ValueError(
      `heatmap: unknown scheme "${name}"; use one of ${SCHEMES.join(", ")} ` +
        `(or another of vega's: https://vega.github.io/vega/docs/schemes/)`,
    );
  }
  const colors = typeof scheme === "function"
    ? Array.from({ length: 11 }, (_, i) => hex(scheme(i / 10)))
    : scheme.map(hex);
  return colors.map((c, i) => [colors.length === 1 ? 0 : i / (colors.length - 1), c]);
}

/** `rgb(140, 13, 37)` → `#8c0d25` (shorter, and what vega's discrete schemes use). */
function hex(color: string): string {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (!m) return color;
  return "#" + m.slice(1).map((v) => Number(v).toString(16).padStart(2, "0")).join("");
}

/** A matrix for {@linkcode heatmap}: a rank-2 tensor or an array of equal-length rows. */
export type MatrixInput = Tensor | ArrayLike<ArrayLike<number>>;

/** Options for {@linkcode heatmap}. */
export interface HeatmapOptions extends ChartOptions {
  /** Titles of the panels when several matrices are given. */
  titles?: string[];
  /** Panels per row when several matrices are given (default 5). */
  columns?: number;
  /**
   * A Vega color scheme, used by Plotly too; the default is `"viridis"`, or the diverging
   * `"redblue"` centred on 0 when the values have both signs (weights, gradients). An unknown
   * name throws, listing common ones.
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
 * classifier). More than 10,000 cells in all are drawn as means of k×k blocks (about 65,000 in
 * Plotly), which a subtitle says, so that a large matrix does not bloat the saved notebook.
 *
 * @example A 2×3 matrix and a panel grid
 * ```ts
 * import { tensor, zeros } from "matcalc";
 * import { heatmap } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * const one = heatmap(tensor([[1, 2, 3], [4, 5, 6]]), { title: "W" });
 * assertEquals(one.plotly()!.data[0].type, "heatmap");
 * const grid = heatmap([zeros([2, 2]), zeros([2, 2])], { titles: ["a", "b"], columns: 2 });
 * assertEquals(grid.plotly()!.data.length, 2);
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
  const titles = mats.map((_, i) => String(options.titles?.[i] ?? (multi ? `${i}` : "")));
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
  // Before any rendering: vega would fail deep inside with a stack trace instead.
  const colorscale = plotlyColorscale(scheme);
  const bound = Math.max(Math.abs(lo), Math.abs(hi));
  const [cmin, cmax] = diverging ? [-bound, bound] : [lo, hi];

  const k = blockSize(mats, VIEW_CELLS);
  const shown = mats.map((m) => blockMeans(m, k));
  const maxSide = Math.max(...shown.map((m) => Math.max(m.rows, m.cols)));
  const cell = options.cellSize ??
    Math.max(2, Math.min(30, Math.floor((multi ? 140 : 300) / maxSide)));
  const showAxes = options.axes ?? maxSide <= 30;
  // Panels are faceted by index, not title: equal titles ("W", "W") would merge two panels.
  // Rows and columns keep the input's indices (a block is labelled by its first row/column).
  const values = shown.flatMap((m, p) =>
    m.values.map((v, i) => ({
      panel: p,
      row: Math.floor(i / m.cols) * k,
      col: (i % m.cols) * k,
      value: cellValue(v),
    }))
  );
  const colorScale: Record<string, unknown> = { scheme };
  // The colours stay those of the full matrix when block means narrow the range.
  if (diverging || k > 1) colorScale.domain = [cmin, cmax];
  const axis = showAxes ? { labelOverlap: true, ticks: false } : null;
  const inner = {
    width: cell * shown[0].cols,
    height: cell * shown[0].rows,
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
  const note = k > 1 ? blockNote(mats, shown, k, multi) : undefined;
  if (note !== undefined) base.title = noteTitle(options.title, note);
  const spec = multi
    ? {
      ...base,
      data: { values },
      facet: {
        field: "panel",
        type: "ordinal",
        header: { title: null, labelExpr: `${JSON.stringify(titles)}[datum.value]` },
      },
      columns: options.columns ?? 5,
      spec: inner,
    }
    : { ...base, data: { values }, ...inner };

  const kp = blockSize(mats, PLOTLY_CELLS);
  const plotted = kp === k ? shown : mats.map((m) => blockMeans(m, kp));
  const columns = Math.min(options.columns ?? 5, mats.length);
  const gridRows = Math.ceil(mats.length / columns);
  const layout = baseLayout(options);
  layout.width = multi ? columns * (inner.width + 40) + 120 : inner.width + 160;
  layout.height = multi ? gridRows * (inner.height + 40) + 100 : inner.height + 120;
  if (kp > 1) layout.title = plotlyNoteTitle(options.title, blockNote(mats, plotted, kp, multi));
  // Explicit margins: Plotly's defaults (80 px top and bottom) leave a small matrix no room to
  // draw, and plotly.js then aborts with "Something went wrong with axis scaling".
  layout.margin = { l: 50, r: 20, t: kp > 1 ? 70 : options.title === undefined ? 20 : 50, b: 40 };
  layout.coloraxis = diverging || kp > 1 ? { colorscale, cmin, cmax } : { colorscale };
  if (multi) layout.grid = { rows: gridRows, columns, pattern: "independent" };
  const data = plotted.map((m, p) => {
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
      // A block mean sits at the centre of its block, in the input's row and column indices.
      ...(kp > 1 ? { x0: (kp - 1) / 2, dx: kp, y0: (kp - 1) / 2, dy: kp } : {}),
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
  const drawn = k > 1 ? `; drawn as ${shown[0].rows}×${shown[0].cols} block means` : "";
  const text = multi
    ? `Chart(heatmap: ${mats.length} panels of ${shape}, ${scheme}${drawn})`
    : `Chart(heatmap: ${shape}, ${scheme}${drawn})`;
  return new Chart(spec, { data, layout }, text);
}

/** The smallest block side that brings the panels' cells together within `max`. */
function blockSize(mats: Mat[], max: number): number {
  const cells = (k: number) =>
    mats.reduce((n, m) => n + Math.ceil(m.rows / k) * Math.ceil(m.cols / k), 0);
  let k = Math.max(1, Math.floor(Math.sqrt(cells(1) / max)));
  while (cells(k) > max) k++;
  return k;
}

/** The means of `k × k` blocks (edge blocks may be smaller); NaN where a block has no number. */
function blockMeans(m: Mat, k: number): Mat {
  if (k === 1) return m;
  const rows = Math.ceil(m.rows / k), cols = Math.ceil(m.cols / k);
  const sum = new Float64Array(rows * cols), count = new Float64Array(rows * cols);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.values[r * m.cols + c];
      if (!Number.isFinite(v)) continue;
      const b = Math.floor(r / k) * cols + Math.floor(c / k);
      sum[b] += v;
      count[b]++;
    }
  }
  return { rows, cols, values: Array.from(sum, (s, b) => (count[b] ? s / count[b] : NaN)) };
}

/** The subtitle saying what was averaged, e.g. `500×500 shown as 100×100 means of 5×5 blocks`. */
function blockNote(mats: Mat[], shown: Mat[], k: number, multi: boolean): string {
  const from = `${mats[0].rows}×${mats[0].cols}`, to = `${shown[0].rows}×${shown[0].cols}`;
  return `${multi ? "each panel: " : ""}${from} shown as ${to} means of ${k}×${k} blocks`;
}
