/**
 * Charts that render in every Jupyter frontend: each carries a Plotly figure, a Vega-Lite v5
 * spec and a headless SVG.
 *
 * @module
 */
export {
  Chart,
  type ChartOptions,
  type Numbers,
  plotly,
  type PlotlyFigure,
  svgMarkdown,
  vegaLite,
} from "./chart.ts";
export { lineChart, type LineChartOptions, type Rule } from "./line.ts";
export { scatter, type ScatterOptions } from "./scatter.ts";
export { heatmap, type HeatmapOptions, type MatrixInput } from "./heatmap.ts";
export { renderSvg, VEGA_LITE_SCHEMA, type VegaLiteSpec } from "./render.ts";
export type { Series, SeriesInput } from "./series.ts";
