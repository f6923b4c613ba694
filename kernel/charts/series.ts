import { ValueError } from "../../lib/errors.ts";
import { Tensor } from "../../lib/tensor.ts";
import { finiteOrNull, type Numbers, toNumbers } from "./chart.ts";

/** One named series of a line or scatter chart; `x` defaults to `0, 1, 2, …`. */
export interface Series {
  /** Legend label. */
  name: string;
  /** The values. */
  y: Numbers;
  /** The positions; defaults to the indices of `y`. */
  x?: Numbers;
}

/**
 * Series as a list, as `{ name: y }` (all sharing `options.x` or the indices), or one series of
 * values: a plain array of numbers, a typed array or a rank-1 tensor (named `y`).
 */
export type SeriesInput = Series[] | Record<string, Numbers> | Numbers;

/** Whether `input` is one series of values rather than a list or record of series. */
function isValues(input: unknown): input is Numbers {
  if (input instanceof Tensor || ArrayBuffer.isView(input)) return true;
  return Array.isArray(input) && input.length > 0 &&
    input.every((v) => typeof v === "number" || typeof v === "bigint");
}

/** @internal A validated series. */
export interface CleanSeries {
  name: string;
  x: number[];
  y: number[];
}

/** @internal Validates and reads series; errors name the series and both lengths. */
export function cleanSeries(op: string, input: SeriesInput, sharedX?: Numbers): CleanSeries[] {
  if (isValues(input)) input = { y: input };
  const list: Series[] = Array.isArray(input)
    ? input as Series[]
    : Object.entries(input ?? {}).map(([name, y]) => ({ name, y, x: sharedX }));
  if (list.length === 0) {
    throw new ValueError(`${op}: no series given; pass { name: values } or [{ name, x, y }]`);
  }
  const seen = new Set<string>();
  return list.map((s, i) => {
    const name = String(s.name ?? `series ${i}`);
    if (seen.has(name)) {
      throw new ValueError(`${op}: two series are named "${name}"; give each series its own name`);
    }
    seen.add(name);
    const y = toNumbers(op, `series "${name}" y`, s.y);
    const xs = s.x ?? (Array.isArray(input) ? undefined : sharedX);
    const x = xs === undefined ? y.map((_, k) => k) : toNumbers(op, `series "${name}" x`, xs);
    if (x.length !== y.length) {
      throw new ValueError(
        `${op}: series "${name}" has ${x.length} x values but ${y.length} y values; ` +
          `pass x and y of the same length`,
      );
    }
    return { name, x, y };
  });
}

/** @internal Long-form rows `{ series, x, y }` for Vega-Lite, with gaps for invalid values. */
export function rows(
  series: CleanSeries[],
  logX: boolean,
  logY: boolean,
): { series: string; x: number | null; y: number | null }[] {
  const out = [];
  for (const s of series) {
    for (let k = 0; k < s.x.length; k++) {
      out.push({ series: s.name, x: finiteOrNull(s.x[k], logX), y: finiteOrNull(s.y[k], logY) });
    }
  }
  return out;
}

/** @internal `"train" 100 points, "test" 100 points`. */
export function describeSeries(series: CleanSeries[]): string {
  return series.map((s) => `"${s.name}" ${s.y.length} points`).join(", ");
}

/**
 * @internal Points per series the SVG and Vega-Lite views draw: each point costs about 40 bytes
 * of Vega-Lite JSON and 15 of SVG path, and a 360-pixel-wide plot shows no more detail.
 */
export const VIEW_POINTS = 2000;
/** @internal Points per series in the Plotly figure, which can zoom in (about 0.3 MB). */
export const PLOTLY_POINTS = 10_000;

/**
 * @internal A long series thinned to at most `max` points that draw the same picture: per bucket
 * of consecutive points, the first, the last, the lowest, the highest and the first gap (so
 * spikes, extremes and breaks in the line survive, which evenly spaced sampling would lose).
 */
export function thinLine(s: CleanSeries, max: number, logX: boolean, logY: boolean): CleanSeries {
  const n = s.y.length;
  if (n <= max) return s;
  const buckets = Math.floor(max / 5);
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets), end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1, hi = -1, gap = -1;
    for (let k = start; k < end; k++) {
      const y = finiteOrNull(s.y[k], logY);
      if (y === null || finiteOrNull(s.x[k], logX) === null) {
        if (gap < 0) gap = k;
      } else {
        if (lo < 0 || y < s.y[lo]) lo = k;
        if (hi < 0 || y > s.y[hi]) hi = k;
      }
    }
    const picks = [start, lo, hi, gap, end - 1].filter((k) => k >= 0).sort((a, b) => a - b);
    for (const k of picks) if (k !== keep[keep.length - 1]) keep.push(k);
  }
  return { name: s.name, x: keep.map((k) => s.x[k]), y: keep.map((k) => s.y[k]) };
}

/**
 * @internal At most `max` points over all series, as a deterministic random sample (every run
 * of a notebook saves the same chart) proportional to each series' size, always keeping each
 * series' extreme points so the axes span the same range. `undefined` when nothing is dropped.
 */
export function samplePoints(series: CleanSeries[], max: number): CleanSeries[] | undefined {
  const total = series.reduce((n, s) => n + s.y.length, 0);
  if (total <= max) return undefined;
  let seed = 0x9e3779b9;
  const random = () => {
    // mulberry32: tiny, and the same sequence everywhere.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return series.map((s) => {
    const n = s.y.length;
    const want = Math.min(n, Math.max(1, Math.floor((n * max) / total)));
    const keep = new Set<number>();
    for (const v of [s.x, s.y]) {
      let lo = -1, hi = -1;
      for (let k = 0; k < n; k++) {
        if (!Number.isFinite(v[k])) continue;
        if (lo < 0 || v[k] < v[lo]) lo = k;
        if (hi < 0 || v[k] > v[hi]) hi = k;
      }
      if (lo >= 0) keep.add(lo).add(hi);
    }
    // Floyd's algorithm: `want` distinct indices without shuffling all n.
    for (let j = n - want; j < n && keep.size < want; j++) {
      const k = Math.floor(random() * (j + 1));
      keep.add(keep.has(k) ? j : k);
    }
    const idx = [...keep].sort((a, b) => a - b);
    return { name: s.name, x: idx.map((k) => s.x[k]), y: idx.map((k) => s.y[k]) };
  });
}
