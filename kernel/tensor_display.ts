/**
 * How tensors look in Jupyter: `text/plain`, an HTML table with a shape caption, and a LaTeX
 * `bmatrix`. Large axes are elided in the middle like NumPy; rank-3 tensors (Jacobians such as
 * `∂y/∂W` of shape `[m, m, n]`) show as labelled slices `[i, :, :]` side by side.
 *
 * @module
 */
import { isTrainResult, trainResultBundle } from "./result_display.ts";
import { raw, Tensor } from "../lib/tensor.ts";
import { formatNumber, getPrintOptions, numberFormat } from "../lib/format.ts";
import { escapeHtml } from "./html.ts";
import type { MimeBundle } from "./jupyter.ts";
import { isTensorRecord, recordBundle } from "./record_display.ts";

/** Options for {@linkcode show}, {@linkcode toLatex} and {@linkcode toHtml}. */
export interface TensorViewOptions {
  /** Label for the tensor, used in captions and slice labels (`J` gives `J[0, :, :]`). */
  name?: string;
  /**
   * Decimals for non-integers (default: `getPrintOptions().precision`, 4 unless changed with
   * `setPrintOptions`), or digits after the point in scientific notation; one format serves
   * the whole tensor, chosen as its text form chooses it.
   */
  precision?: number;
  /** Axes longer than this are elided in the middle (default 10 for LaTeX, 16 for HTML). */
  maxLength?: number;
}

const ELLIPSIS = -1;

/** Indices to show along an axis of length `n`: all, or both ends around an ellipsis. */
function pick(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const edge = Math.max(1, Math.floor((limit - 1) / 2));
  const head = Array.from({ length: edge }, (_, i) => i);
  const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
  return [...head, ELLIPSIS, ...tail];
}

/**
 * Tensors with up to this many elements are formatted over all of them, as their text form is;
 * larger ones over the cells a view shows.
 */
const FORMAT_ALL = 1000;

/**
 * @internal One format for all the shown numbers of a tensor, as its text form uses (so HTML,
 * LaTeX and text agree), except that a nonzero never prints as 0: fixed notation with fewer
 * decimals than the smallest value needs (a low `precision`) switches to scientific.
 */
export function tensorFormat(values: ArrayLike<number>, precision: number): (x: number) => string {
  const fmt = numberFormat(values, precision);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== 0 && Number.isFinite(x) && /^-?0(\.0*)?$/.test(fmt(x))) {
      return (y) => (Number.isFinite(y) ? y.toExponential(precision) : fmt(y));
    }
  }
  return fmt;
}

/**
 * @internal One number alone, keeping at least `precision` significant digits where fixed decimals
 * would drop them: `0.001235`, `1.5e-4` below 0.001, else as a tensor entry (`1234.5679`, `0.5`).
 */
export function scalarText(x: number, precision: number): string {
  const a = Math.abs(x);
  if (!Number.isFinite(x) || x === 0 || Number.isInteger(x) || a >= 1) {
    return formatNumber(x, precision);
  }
  if (a < 1e-3) return trimZeros(x.toExponential(precision));
  return String(Number(x.toPrecision(precision)));
}

/** `1.5000` → `1.5`, `2.0` → `2`, `1.4900e-4` → `1.49e-4`: zeros that say nothing. */
function trimZeros(s: string): string {
  return s.replace(
    /^(-?\d+)(\.\d*?)0*(e|$)/,
    (_, int, frac, e) => int + (frac === "." ? "" : frac) + e,
  );
}

/**
 * @internal A formatted number as LaTeX: `1.49 \times 10^{-4}`, `\infty`; trailing zeros of the
 * decimals are dropped (they say nothing in a formula).
 */
export function texNumber(s: string): string {
  if (s === "NaN") return "\\text{NaN}";
  if (s === "Infinity") return "\\infty";
  if (s === "-Infinity") return "-\\infty";
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(trimZeros(s));
  if (!m) return trimZeros(s);
  const exp = Number(m[2]);
  return exp === 0 ? m[1] : `${m[1]} \\times 10^{${exp}}`;
}

/** @internal A lone number as LaTeX: `0.125`, `1.5 \times 10^{-4}`, `\infty`. */
export function latexNumber(x: number, precision: number): string {
  return texNumber(scalarText(x, precision));
}

/**
 * The format for the cells a view shows: `picks[axis]` are the indices shown along each axis
 * (ELLIPSIS entries skipped).
 */
function viewFormat(
  t: Tensor,
  picks: number[][],
  precision: number,
): (x: number) => string {
  const data = raw(t);
  if (data.length <= FORMAT_ALL) return tensorFormat(data, precision);
  const shape = t.shape, out: number[] = [];
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) return void out.push(data[offset]);
    let stride = 1;
    for (let k = axis + 1; k < shape.length; k++) stride *= shape[k];
    for (const i of picks[axis]) if (i !== ELLIPSIS) walk(axis + 1, offset + i * stride);
  };
  walk(0, 0);
  return tensorFormat(out, precision);
}

/** A rank-1 or rank-2 block (`rows × cols` view at `offset`) as a LaTeX bmatrix. */
function bmatrix(
  data: Float64Array,
  rows: number,
  cols: number,
  offset: number,
  limit: number,
  fmt: (x: number) => string,
): string {
  const ri = pick(rows, limit), ci = pick(cols, limit);
  const lines = ri.map((r) => {
    if (r === ELLIPSIS) {
      return ci.map((c) => (c === ELLIPSIS ? "\\ddots" : "\\vdots")).join(" & ");
    }
    return ci.map((c) => c === ELLIPSIS ? "\\cdots" : texNumber(fmt(data[offset + r * cols + c])))
      .join(" & ");
  });
  return `\\begin{bmatrix} ${lines.join(" \\\\ ")} \\end{bmatrix}`;
}

/**
 * The tensor as LaTeX math (no `$$` delimiters): a number, a column-vector or matrix `bmatrix`,
 * or for rank 3 the slices `[i, :, :]` side by side, each labelled. Rank 4 and above gives
 * `undefined` (shown as HTML and text only).
 *
 * @example A matrix and a vector
 * ```ts
 * import { tensor } from "matcalc";
 * import { toLatex } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(toLatex(tensor([[1, 2], [3, 0.5]])), "\\begin{bmatrix} 1 & 2 \\\\ 3 & 0.5 \\end{bmatrix}");
 * assertEquals(toLatex(tensor([1, 2])), "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}");
 * ```
 */
export function toLatex(t: Tensor, options: TensorViewOptions = {}): string | undefined {
  const precision = options.precision ?? getPrintOptions().precision;
  const limit = options.maxLength ?? 10;
  const data = raw(t);
  const s = t.shape;
  if (s.length === 0) return latexNumber(data[0], precision);
  if (s.length === 1) {
    return bmatrix(data, s[0], 1, 0, limit, viewFormat(t, [pick(s[0], limit)], precision));
  }
  if (s.length === 2) {
    const fmt = viewFormat(t, [pick(s[0], limit), pick(s[1], limit)], precision);
    return bmatrix(data, s[0], s[1], 0, limit, fmt);
  }
  if (s.length === 3) {
    const [k, m, n] = s;
    const idx = pick(k, Math.min(limit, 8));
    const fmt = viewFormat(t, [idx, pick(m, limit), pick(n, limit)], precision);
    const label = (i: number) =>
      i === ELLIPSIS ? "" : `\\scriptstyle ${latexName(options.name)}[${i},:,:]`;
    const cell = (i: number) =>
      i === ELLIPSIS ? "\\cdots" : bmatrix(data, m, n, i * m * n, limit, fmt);
    return `\\begin{array}{${"c".repeat(idx.length)}} ${idx.map(label).join(" & ")} \\\\ ` +
      `${idx.map(cell).join(" & ")} \\end{array}`;
  }
  return undefined;
}

function latexName(name: string | undefined): string {
  if (!name) return "";
  // Plain names are math as written, except that everything after the first "_" is one
  // subscript: W_12 is W₁₂ (not W₁2) and a_b_c stays valid (a bare second _ is a TeX error).
  // Anything else (∂y/∂W) goes in \text so MathJax shows it verbatim.
  if (/^[A-Za-z]\w*$/.test(name)) {
    const k = name.indexOf("_");
    if (k < 0) return name;
    return `${name.slice(0, k)}_{${name.slice(k + 1).replace(/_/g, "\\_")}}`;
  }
  return `\\text{${name.replace(/[\\{}$&#^_%~]/g, "")}}`;
}

function htmlCell(text: string): string {
  return `<td style="text-align:right;font-family:monospace;padding:1px 6px">${
    escapeHtml(text)
  }</td>`;
}

function htmlMatrix(
  data: Float64Array,
  rows: number,
  cols: number,
  offset: number,
  limit: number,
  fmt: (x: number) => string,
  caption: string,
): string {
  const ri = pick(rows, limit), ci = pick(cols, limit);
  const dots = (r: boolean, c: boolean) =>
    `<td style="text-align:center;color:#888">${r && c ? "⋱" : r ? "⋮" : "⋯"}</td>`;
  const body = ri.map((r) =>
    "<tr>" +
    ci.map((c) =>
      r === ELLIPSIS || c === ELLIPSIS
        ? dots(r === ELLIPSIS, c === ELLIPSIS)
        : htmlCell(fmt(data[offset + r * cols + c]))
    ).join("") +
    "</tr>"
  ).join("");
  return `<table class="matcalc-tensor" style="border-collapse:collapse;border-left:1px solid #888;` +
    `border-right:1px solid #888;margin:2px"><caption style="caption-side:top;font-size:90%;` +
    `color:#555;white-space:nowrap">${escapeHtml(caption)}</caption>${body}</table>`;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The tensor as an HTML fragment: a table captioned with its shape (vectors as one row), rank-3
 * tensors as labelled slice tables side by side, higher ranks as escaped preformatted text.
 *
 * @example The caption names the shape
 * ```ts
 * import { zeros } from "matcalc";
 * import { toHtml } from "matcalc/kernel";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * const html = toHtml(zeros([2, 3]), { name: "W" });
 * assertMatch(html, /W: shape \[2, 3\]/);
 * assertEquals(html.match(/<tr>/g)?.length, 2);
 * ```
 */
export function toHtml(t: Tensor, options: TensorViewOptions = {}): string {
  const precision = options.precision ?? getPrintOptions().precision;
  const limit = options.maxLength ?? 16;
  const data = raw(t);
  const s = t.shape;
  const traced = t._node !== undefined ? ", traced" : "";
  const title = `${options.name ? options.name + ": " : ""}shape ${shapeText(s)}${traced}`;
  if (s.length === 0) {
    return `<div class="matcalc-tensor"><span style="font-family:monospace">${
      escapeHtml(scalarText(data[0], precision))
    }</span> <span style="color:#555;font-size:90%">(${escapeHtml(title)})</span></div>`;
  }
  if (s.length === 1) {
    const fmt = viewFormat(t, [pick(s[0], limit)], precision);
    return htmlMatrix(data, 1, s[0], 0, limit, fmt, title);
  }
  if (s.length === 2) {
    const fmt = viewFormat(t, [pick(s[0], limit), pick(s[1], limit)], precision);
    return htmlMatrix(data, s[0], s[1], 0, limit, fmt, title);
  }
  if (s.length === 3) {
    const [k, m, n] = s;
    const fmt = viewFormat(t, [pick(k, 8), pick(m, limit), pick(n, limit)], precision);
    const slices = pick(k, 8).map((i) =>
      i === ELLIPSIS
        ? `<div style="align-self:center;color:#888">⋯</div>`
        : htmlMatrix(data, m, n, i * m * n, limit, fmt, `${options.name ?? ""}[${i}, :, :]`)
    );
    return `<div class="matcalc-tensor"><div style="color:#555;font-size:90%">${
      escapeHtml(title)
    }</div><div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">${
      slices.join("")
    }</div></div>`;
  }
  return `<div class="matcalc-tensor"><div style="color:#555;font-size:90%">${
    escapeHtml(title)
  }</div><pre>${escapeHtml(t.toString())}</pre></div>`;
}

/** @internal The Jupyter bundle of a tensor. */
export function tensorBundle(t: Tensor, options: TensorViewOptions = {}): MimeBundle {
  const text = options.name ? `${options.name} = ${t.toString()}` : t.toString();
  const bundle: MimeBundle = { "text/plain": text, "text/html": toHtml(t, options) };
  const tex = toLatex(t, options);
  if (tex !== undefined) {
    const lhs = options.name ? `${latexName(options.name)} = ` : "";
    bundle["text/latex"] = `$$${lhs}${tex}$$`;
  }
  return bundle;
}

/** A displayable view of a tensor with a name or other options; see {@linkcode show}. */
export class TensorView {
  /** Wraps `tensor` with display options. */
  constructor(readonly tensor: Tensor, readonly options: TensorViewOptions = {}) {}
  /** The Jupyter MIME bundle (text, HTML table, LaTeX). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return tensorBundle(this.tensor, this.options);
  }
  /** Prints like the tensor, with its name. */
  [Symbol.for("Deno.customInspect")](): string {
    return String(tensorBundle(this.tensor, this.options)["text/plain"]);
  }
}

/**
 * Wraps a tensor for display with a name and formatting options; end a cell with it to see the
 * table and LaTeX labelled with that name, e.g. `show(J, { name: "J" })` labels slices `J[0, :, :]`.
 *
 * @example
 * ```ts
 * import { zeros } from "matcalc";
 * import { mimeBundle, show } from "matcalc/kernel";
 * import { assertMatch } from "@std/assert";
 *
 * const bundle = mimeBundle(show(zeros([2, 1, 1]), { name: "J" }));
 * assertMatch(String(bundle["text/latex"]), /J\[1,:,:\]/);
 * ```
 */
export function show(tensor: Tensor, options: TensorViewOptions = {}): TensorView {
  return new TensorView(tensor, options);
}

/** The duck type of a structured Jacobian from `lib/ad` (e.g. `I₃ ⊗ xᵀ`). */
interface Structured {
  shape: readonly number[];
  materialize(): Tensor;
  describe?(): string;
  kind?: string;
  toLatex?(): string;
}

/** @internal Whether `obj` looks like a structured (never materialized) Jacobian. */
export function isStructured(obj: unknown): obj is Structured {
  if (obj === null || typeof obj !== "object") return false;
  const o = obj as Partial<Structured>;
  return Array.isArray(o.shape) && typeof o.materialize === "function" &&
    (typeof o.describe === "function" || typeof o.kind === "string");
}

/** Dense previews of structured Jacobians are shown only up to this many elements. */
const PREVIEW_ELEMENTS = 4096;

/** @internal A structure formula such as `I₃ ⊗ xᵀ` as LaTeX (`I_{3} \otimes x^{\top}`). */
export function formulaToLatex(formula: string): string {
  const sub: Record<string, string> = {
    "₀": "0",
    "₁": "1",
    "₂": "2",
    "₃": "3",
    "₄": "4",
    "₅": "5",
    "₆": "6",
    "₇": "7",
    "₈": "8",
    "₉": "9",
    "ₘ": "m",
    "ₙ": "n",
    "ᵢ": "i",
    "ⱼ": "j",
    "ₖ": "k",
  };
  const sym: Record<string, string> = {
    "⊗": " \\otimes ",
    "ᵀ": "^{\\top}",
    "·": " \\cdot ",
    "×": " \\times ",
    "∂": "\\partial ",
    "δ": "\\delta",
    "Σ": "\\sum",
    "{": "\\{",
    "}": "\\}",
    "\\": "\\backslash ",
    // User-chosen names (jacobianOfMatmul(W, x, { name })) end up in the formula too.
    "&": "\\&",
    "%": "\\%",
    "#": "\\#",
    "$": "\\$",
    "_": "\\_",
    "~": "\\sim ",
    "^": "\\hat{}",
  };
  // Escape braces first so the subscripts' own braces survive.
  return formula
    .replace(/[⊗ᵀ·×∂δΣ{}\\&%#$_~^]/g, (c) => sym[c])
    .replace(/[₀-₉ₘₙᵢⱼₖ]+/g, (m) => `_{${[...m].map((c) => sub[c]).join("")}}`)
    .replace(/diag\(/g, "\\operatorname{diag}(")
    .replace(/\s+/g, " ")
    .trim();
}

/** @internal The bundle of a structured Jacobian: its structure, shape and a small preview. */
export function structuredBundle(obj: Structured): MimeBundle {
  const structure = typeof obj.describe === "function" ? obj.describe() : String(obj.kind);
  const shape = shapeText(obj.shape);
  const size = obj.shape.reduce((a, b) => a * b, 1);
  let preview = "";
  // Materializing costs size × 8 bytes; small ones are worth seeing entry by entry.
  if (size <= PREVIEW_ELEMENTS) {
    try {
      preview = toHtml(obj.materialize(), { name: "dense" });
    } catch {
      // Over the dense budget: the structure alone is the point.
      preview = "";
    }
  }
  const own = obj.toString !== Object.prototype.toString ? String(obj) : "";
  const kind = (obj as { constructor?: { name?: string } }).constructor?.name;
  const label = kind && kind !== "Object" ? kind : "structured Jacobian";
  return {
    "text/plain": own || `${structure}  (structured Jacobian, shape ${shape})`,
    "text/html": `<div class="matcalc-structured"><div><b>${escapeHtml(structure)}</b> ` +
      `<span style="color:#555;font-size:90%">${escapeHtml(label)}, dense shape ${
        escapeHtml(shape)
      }, ${size} entries, stored by its structure${
        preview ? "; the dense form below is built only for display" : ""
      }</span></div>${preview}</div>`,
    "text/latex": typeof obj.toLatex === "function"
      ? `$$${obj.toLatex()}$$`
      : `$$${formulaToLatex(structure)} \\quad \\text{(dense shape ${shape})}$$`,
  };
}

/** @internal The bundle for anything `lib/` hands to the display hook. */
export function matcalcBundle(obj: unknown): MimeBundle {
  if (obj instanceof Tensor) return tensorBundle(obj);
  if (isStructured(obj)) return structuredBundle(obj);
  if (isTrainResult(obj)) return trainResultBundle(obj);
  if (isTensorRecord(obj)) return recordBundle(obj, { toHtml, toLatex });
  return { "text/plain": Deno.inspect(obj, { colors: false }) };
}

/**
 * Makes tensors (and structured Jacobians) display richly in Jupyter by installing the hook that
 * `Tensor[Symbol.for("Jupyter.display")]` calls. Importing `matcalc/kernel` does this already.
 *
 * @example
 * ```ts
 * import { tensor } from "matcalc";
 * import { installDisplayHook, mimeBundle } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * installDisplayHook();
 * const bundle = mimeBundle(tensor([[1, 2]]));
 * assertEquals(Object.keys(bundle).sort(), ["text/html", "text/latex", "text/plain"]);
 * ```
 */
export function installDisplayHook(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("matcalc.display")] = matcalcBundle;
}
