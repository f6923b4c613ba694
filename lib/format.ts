import { checkOptions, describeValue, ValueError } from "./errors.ts";

/** How tensors print: NumPy's print options, under the same names (camelCase). */
export interface PrintOptions {
  /** Decimals of non-integer numbers, at most (default 4; NumPy's `precision`). */
  precision: number;
  /** Characters per line before rows wrap (default 75, as NumPy's `linewidth`). */
  lineWidth: number;
  /** Tensors with more elements than this print summarized, with `…` (default 1000). */
  threshold: number;
  /** Rows and columns shown at each end of a summarized axis (default 3; NumPy's `edgeitems`). */
  edgeItems: number;
}

const DEFAULTS: Readonly<PrintOptions> = Object.freeze({
  precision: 4,
  lineWidth: 75,
  threshold: 1000,
  edgeItems: 3,
});
let current: PrintOptions = { ...DEFAULTS };

/**
 * Sets how tensors print from now on, like `numpy.set_printoptions`: only the options given
 * change. Returns the previous options, so `setPrintOptions(old)` restores them; `{}` changes
 * nothing and `setPrintOptions(null)` restores the defaults. For a change limited to one piece of
 * code, use {@linkcode withPrintOptions}.
 *
 * @example Fewer decimals, narrower lines
 * ```ts
 * import { setPrintOptions, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const old = setPrintOptions({ precision: 2 });
 * assertEquals(String(tensor([1 / 3, 2 / 3])), "Tensor([0.33, 0.67], shape=[2])");
 * setPrintOptions(old);
 * assertEquals(String(tensor([1 / 3, 2 / 3])), "Tensor([0.3333, 0.6667], shape=[2])");
 * ```
 */
export function setPrintOptions(opts: Partial<PrintOptions> | null): PrintOptions {
  const previous = { ...current };
  if (opts === null) {
    current = { ...DEFAULTS };
    return previous;
  }
  checkOptions("setPrintOptions", opts, ["precision", "lineWidth", "threshold", "edgeItems"]);
  const next = { ...current };
  for (const [key, v] of Object.entries(opts) as [keyof PrintOptions, unknown][]) {
    if (v === undefined) continue;
    const [min, max] = LIMITS[key];
    const ok = typeof v === "number" &&
      (Number.isInteger(v) || (key === "threshold" && v === Infinity)) && v >= min && v <= max;
    if (!ok) {
      throw new ValueError(
        `setPrintOptions: ${key} must be an integer in [${min}, ${max}]` +
          (key === "threshold" ? " or Infinity (never summarize)" : "") +
          `, got ${describeValue(v)}`,
      );
    }
    next[key] = v as number;
  }
  current = next;
  return previous;
}

// toFixed/toExponential take at most 100 digits; float64 holds 17 significant ones.
const LIMITS: Record<keyof PrintOptions, [number, number]> = {
  precision: [0, 17],
  lineWidth: [10, 100_000],
  threshold: [0, Infinity],
  edgeItems: [1, 1_000],
};

/**
 * The current print options (a copy), like `numpy.get_printoptions`.
 *
 * @example
 * ```ts
 * import { getPrintOptions } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getPrintOptions(), { precision: 4, lineWidth: 75, threshold: 1000, edgeItems: 3 });
 * ```
 */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}

/**
 * Runs `fn` with some print options changed and restores them afterwards, even if `fn` throws,
 * like NumPy's `with np.printoptions(...)`. If `fn` returns a promise, the options are restored
 * when it settles (other code running meanwhile sees them too).
 *
 * @example Print a long vector whole, then summarized
 * ```ts
 * import { arange, withPrintOptions } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const x = arange(10);
 * const s = withPrintOptions({ threshold: 5, edgeItems: 2 }, () => String(x));
 * assertEquals(s, "Tensor([0, 1, …, 8, 9], shape=[10])");
 * assertEquals(String(x), "Tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], shape=[10])");
 * ```
 */
export function withPrintOptions<T>(opts: Partial<PrintOptions>, fn: () => T): T {
  const previous = setPrintOptions(opts);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    current = previous;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => (current = previous)) as T;
  }
  current = previous;
  return result;
}

/**
 * @internal NumPy-style text rendering of a tensor: nested brackets, one number format per
 * tensor (so decimal points line up), `…` in place of the middle rows and columns of large
 * tensors, and rows wrapped at the line width, as NumPy's `_formatArray` does. `opts` overrides
 * the current {@linkcode PrintOptions}.
 */
export function formatTensor(
  data: Float64Array,
  shape: readonly number[],
  traced = false,
  opts: Partial<PrintOptions> = {},
): string {
  const { precision, lineWidth, threshold, edgeItems: edge } = { ...current, ...opts };
  const summarize = data.length > threshold;
  const strides = stridesOf(shape);
  const shown = collectShown(data, shape, strides, summarize ? edge : Infinity);
  const fmt = numberFormat(shown, precision);
  // One width for every cell so columns line up, computed over the shown cells only.
  let width = 1;
  for (const x of shown) width = Math.max(width, fmt(x).length);
  const prefix = "Tensor(";
  // `hanging` is the indentation of a continuation line (up to this axis' "["); `room` is the
  // width left before the closing brackets of the enclosing axes.
  const render = (axis: number, offset: number, hanging: string, room: number): string => {
    if (axis === shape.length) return fmt(data[offset]).padStart(width);
    const n = shape[axis];
    const idx = summarize && n > 2 * edge
      ? [...range(0, edge), -1, ...range(n - edge, n)]
      : range(0, n);
    const item = (i: number) =>
      i === -1 ? "…" : render(axis + 1, offset + i * strides[axis], hanging + " ", room - 1);
    let s = "";
    if (axis === shape.length - 1) {
      // Each number is followed by "," or "]": keep one column for it.
      const limit = room - 1;
      let line = hanging;
      idx.forEach((i, k) => {
        const word = item(i);
        // Wrap before a number that would overflow, unless the line holds nothing yet.
        if (line.length + word.length > limit && line.length > hanging.length) {
          s += line.trimEnd() + "\n";
          line = hanging;
        }
        line += word + (k < idx.length - 1 ? ", " : "");
      });
      s += line;
    } else {
      // A blank line between blocks of a 3-D tensor, two between those of a 4-D one, …
      const sep = "," + "\n".repeat(shape.length - axis - 1);
      s = idx.map((i) => hanging + item(i)).join(sep);
    }
    return "[" + s.slice(hanging.length) + "]";
  };
  // An empty tensor has nothing to bracket per axis; its shape already says how it is empty.
  const body = shape.length === 0
    ? fmt(data[0])
    : data.length === 0
    ? "[]"
    : render(0, 0, " ".repeat(prefix.length + 1), lineWidth - 1);
  const text = prefix + body;
  // The shape goes on the last line if it fits, else on a line of its own (NumPy's dtype=).
  const tail = `shape=[${shape.join(", ")}]${traced ? ", traced" : ""})`;
  const last = text.length - (text.lastIndexOf("\n") + 1);
  return last + 2 + tail.length > lineWidth
    ? `${text},\n${" ".repeat(prefix.length)}${tail}`
    : `${text}, ${tail}`;
}

/**
 * @internal Picks one format for all the numbers of a tensor, as NumPy does:
 * integers print plainly; otherwise every element gets the same number of decimals (the fewest,
 * up to `precision`, that show each element to `precision` decimals), or scientific notation
 * when the magnitudes are very large, very small, or more than 1000 apart.
 */
export function numberFormat(values: ArrayLike<number>, precision = 4): (x: number) => string {
  let maxAbs = 0, minAbs = Infinity, allInt = true;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    const a = Math.abs(x);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(x) || a >= 1e16) allInt = false;
  }
  // -0 prints as 0 (String(-0) is "0" too): a sign on zero only clutters patterns such as the
  // δ_ij x_k slices of a Jacobian, where it comes from multiplying 0 by a negative number.
  if (allInt) return (x) => special(x) ?? String(x);
  // NumPy's rule, ratio included: in fixed notation with 4 decimals, 0.00012345 beside 1
  // would print as 0.0001, a fifth off.
  if (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3) {
    return (x) => special(x) ?? x.toExponential(precision);
  }
  // A lone number (a loss, a scalar) keeps `precision` significant digits: 0.000149 would
  // otherwise print as 0.0001.
  const cap = values.length === 1 && minAbs < 1
    ? Math.max(precision, precision - 1 - Math.floor(Math.log10(minAbs)))
    : precision;
  let decimals = 1;
  for (let i = 0; i < values.length && decimals < cap; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    // Trailing zeros of the rounded value are not needed to show it.
    const s = x.toFixed(cap).replace(/0+$/, "");
    decimals = Math.max(decimals, s.length - s.indexOf(".") - 1);
  }
  // Never print a nonzero as zero (a low precision with a small entry): scientific instead.
  if (minAbs < Infinity && Number(minAbs.toFixed(decimals)) === 0) {
    return (x) => special(x) ?? x.toExponential(precision);
  }
  return (x) => special(x) ?? x.toFixed(decimals);
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  return undefined;
}

/** @internal One number alone, formatted as it would be inside a tensor. */
export function formatNumber(x: number, precision = 4): string {
  return numberFormat([x], precision)(x);
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function stridesOf(shape: readonly number[]): number[] {
  const strides: number[] = [];
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = acc;
    acc *= shape[k];
  }
  return strides;
}

/** The elements that will be printed (all of them, unless the tensor is summarized). */
function collectShown(
  data: Float64Array,
  shape: readonly number[],
  strides: readonly number[],
  edge: number,
): Float64Array | number[] {
  if (!Number.isFinite(edge)) return data;
  const out: number[] = [];
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) return void out.push(data[offset]);
    const n = shape[axis];
    const idx = n > 2 * edge ? [...range(0, edge), ...range(n - edge, n)] : range(0, n);
    for (const i of idx) walk(axis + 1, offset + i * strides[axis]);
  };
  walk(0, 0);
  return out;
}
