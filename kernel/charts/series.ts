import { ValueError } from "../../lib/shape_error.ts";
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

/** Series as a list, or as `{ name: y }` (all sharing `options.x` or the indices). */
export type SeriesInput = Series[] | Record<string, Numbers>;

/** @internal A validated series. */
export interface CleanSeries {
  name: string;
  x: number[];
  y: number[];
}

/** @internal Validates and reads series; errors name the series and both lengths. */
export function cleanSeries(op: string, input: SeriesInput, sharedX?: Numbers): CleanSeries[] {
  const list: Series[] = Array.isArray(input)
    ? input
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
