/**
 * @internal NumPy-style text rendering of a tensor: nested brackets, aligned columns, and `…`
 * in place of the middle rows and columns of large tensors.
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
  const fmt = (x: number) => formatNumber(x, precision);
  // One width for every cell so columns line up, computed over the shown cells only.
  let width = 1;
  const shown = collectShown(data, shape, summarize ? edge : Infinity);
  for (const x of shown) width = Math.max(width, fmt(x).length);
  const strides: number[] = [];
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = acc;
    acc *= shape[k];
  }
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return fmt(data[offset]).padStart(width);
    const n = shape[axis];
    const idx = summarize && n > 2 * edge
      ? [...range(0, edge), -1, ...range(n - edge, n)]
      : [...range(0, n)];
    const parts = idx.map((i) =>
      i === -1 ? "…" : render(axis + 1, offset + i * strides[axis], indent + " ")
    );
    if (axis === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(shape.length - axis - 1) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? fmt(data[0]) : render(0, 0, "");
  const tag = traced ? ", traced" : "";
  return `Tensor(${body}, shape=[${shape.join(", ")}]${tag})`.replace(
    /^Tensor\(\[/,
    "Tensor([",
  ).replace(/\n/g, "\n       ");
}

/** @internal A number as printed in tensors: integers plainly, others to `precision` digits. */
export function formatNumber(x: number, precision = 4): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x === 0 && 1 / x < 0 ? "-0" : String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return x.toExponential(precision - 1);
  return String(Number(x.toPrecision(precision)));
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function collectShown(data: Float64Array, shape: readonly number[], edge: number): number[] {
  if (!Number.isFinite(edge) || data.length <= 64) return Array.from(data.slice(0, 10000));
  const out: number[] = [];
  const strides: number[] = [];
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = acc;
    acc *= shape[k];
  }
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) return void out.push(data[offset]);
    const n = shape[axis];
    const idx = n > 2 * edge ? [...range(0, edge), ...range(n - edge, n)] : range(0, n);
    for (const i of idx) walk(axis + 1, offset + i * strides[axis]);
  };
  walk(0, 0);
  return out;
}
