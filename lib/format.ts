/**
 * @internal NumPy-style text rendering of a tensor: nested brackets, one number format per
 * tensor (so decimal points line up), and `…` in place of the middle rows and columns of large
 * tensors.
 */
export function formatTensor(
  data: Float64Array,
  shape: readonly number[],
  traced = false,
  opts: { edge?: number; threshold?: number; precision?: number } = {},
): string {
  const edge = opts.edge ?? 3;
  const threshold = opts.threshold ?? 1000;
  const precision = opts.precision ?? 4;
  const summarize = data.length > threshold;
  const strides = stridesOf(shape);
  const shown = collectShown(data, shape, strides, summarize ? edge : Infinity);
  const fmt = numberFormat(shown, precision);
  // One width for every cell so columns line up, computed over the shown cells only.
  let width = 1;
  for (const x of shown) width = Math.max(width, fmt(x).length);
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return fmt(data[offset]).padStart(width);
    const n = shape[axis];
    const idx = summarize && n > 2 * edge
      ? [...range(0, edge), -1, ...range(n - edge, n)]
      : range(0, n);
    const parts = idx.map((i) =>
      i === -1 ? "…" : render(axis + 1, offset + i * strides[axis], indent + " ")
    );
    if (axis === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(shape.length - axis - 1) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  // An empty tensor has nothing to bracket per axis; its shape already says how it is empty.
  const body = shape.length === 0 ? fmt(data[0]) : data.length === 0 ? "[]" : render(0, 0, "");
  const tag = traced ? ", traced" : "";
  // Continuation lines are indented under the first "[", but blank separator lines stay empty.
  return `Tensor(${body}, shape=[${shape.join(", ")}]${tag})`
    .split("\n")
    .map((line, k) => (k === 0 || line.trim() === "" ? line.trimEnd() : "       " + line))
    .join("\n");
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
