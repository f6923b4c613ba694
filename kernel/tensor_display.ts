/**
 * How tensors look in Jupyter: `text/plain`, an HTML table with a shape caption, and a LaTeX
 * `bmatrix`. Large axes are elided in the middle like NumPy; rank-3 tensors (Jacobians such as
 * `∂y/∂W` of shape `[m, m, n]`) show as labelled slices `[i, :, :]` side by side.
 *
 * @module
 */
import { raw, Tensor } from "../lib/tensor.ts";
import { formatNumber } from "../lib/format.ts";
import { escapeHtml } from "./html.ts";
import type { MimeBundle } from "./jupyter.ts";

/** Options for {@linkcode show}, {@linkcode toLatex} and {@linkcode toHtml}. */
export interface TensorViewOptions {
  /** Label for the tensor, used in captions and slice labels (`J` gives `J[0, :, :]`). */
  name?: string;
  /** Significant digits for non-integers (default 4). */
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

/** @internal A number as LaTeX: `1.5`, `3 \times 10^{-7}`, `\infty`. */
export function latexNumber(x: number, precision: number): string {
  if (Number.isNaN(x)) return "\\text{NaN}";
  if (x === Infinity) return "\\infty";
  if (x === -Infinity) return "-\\infty";
  const s = formatNumber(x, precision);
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  // Trailing zeros of the mantissa say nothing in a formula: 1.000e-7 reads as 1 × 10⁻⁷.
  const mantissa = m && (m[1].includes(".") ? m[1].replace(/\.?0+$/, "") : m[1]);
  return m ? `${mantissa} \\times 10^{${Number(m[2])}}` : s;
}

/** A rank-1 or rank-2 block (`rows × cols` view at `offset`) as a LaTeX bmatrix. */
function bmatrix(
  data: Float64Array,
  rows: number,
  cols: number,
  offset: number,
  limit: number,
  precision: number,
): string {
  const ri = pick(rows, limit), ci = pick(cols, limit);
  const lines = ri.map((r) => {
    if (r === ELLIPSIS) {
      return ci.map((c) => (c === ELLIPSIS ? "\\ddots" : "\\vdots")).join(" & ");
    }
    return ci.map((c) =>
      c === ELLIPSIS ? "\\cdots" : latexNumber(data[offset + r * cols + c], precision)
    ).join(" & ");
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
 * import assert from "@matcalc/assert";
 *
 * assert.equal(
 *   toLatex(tensor([[1, 2], [3, 0.5]])),
 *   "\\begin{bmatrix} 1 & 2 \\\\ 3 & 0.5 \\end{bmatrix}",
 * );
 * assert.equal(toLatex(tensor([1, 2])), "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}");
 * ```
 */
export function toLatex(t: Tensor, options: TensorViewOptions = {}): string | undefined {
  const precision = options.precision ?? 4;
  const limit = options.maxLength ?? 10;
  const data = raw(t);
  const s = t.shape;
  if (s.length === 0) return latexNumber(data[0], precision);
  if (s.length === 1) return bmatrix(data, s[0], 1, 0, limit, precision);
  if (s.length === 2) return bmatrix(data, s[0], s[1], 0, limit, precision);
  if (s.length === 3) {
    const [k, m, n] = s;
    const idx = pick(k, Math.min(limit, 8));
    const label = (i: number) =>
      i === ELLIPSIS ? "" : `\\scriptstyle ${latexName(options.name)}[${i},:,:]`;
    const cell = (i: number) =>
      i === ELLIPSIS ? "\\cdots" : bmatrix(data, m, n, i * m * n, limit, precision);
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

function htmlCell(x: number, precision: number): string {
  return `<td style="text-align:right;font-family:monospace;padding:1px 6px">${
    escapeHtml(formatNumber(x, precision))
  }</td>`;
}

function htmlMatrix(
  data: Float64Array,
  rows: number,
  cols: number,
  offset: number,
  limit: number,
  precision: number,
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
        : htmlCell(data[offset + r * cols + c], precision)
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
 * import assert from "@matcalc/assert";
 *
 * const html = toHtml(zeros([2, 3]), { name: "W" });
 * assert.match(html, /W: shape \[2, 3\]/);
 * assert.equal(html.match(/<tr>/g)?.length, 2);
 * ```
 */
export function toHtml(t: Tensor, options: TensorViewOptions = {}): string {
  const precision = options.precision ?? 4;
  const limit = options.maxLength ?? 16;
  const data = raw(t);
  const s = t.shape;
  const traced = t._node !== undefined ? ", traced" : "";
  const title = `${options.name ? options.name + ": " : ""}shape ${shapeText(s)}${traced}`;
  if (s.length === 0) {
    return `<div class="matcalc-tensor"><span style="font-family:monospace">${
      escapeHtml(formatNumber(data[0], precision))
    }</span> <span style="color:#555;font-size:90%">(${escapeHtml(title)})</span></div>`;
  }
  if (s.length === 1) return htmlMatrix(data, 1, s[0], 0, limit, precision, title);
  if (s.length === 2) return htmlMatrix(data, s[0], s[1], 0, limit, precision, title);
  if (s.length === 3) {
    const [k, m, n] = s;
    const slices = pick(k, 8).map((i) =>
      i === ELLIPSIS
        ? `<div style="align-self:center;color:#888">⋯</div>`
        : htmlMatrix(data, m, n, i * m * n, limit, precision, `${options.name ?? ""}[${i}, :, :]`)
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
 * import assert from "@matcalc/assert";
 *
 * const bundle = mimeBundle(show(zeros([2, 1, 1]), { name: "J" }));
 * assert.match(String(bundle["text/latex"]), /J\[1,:,:\]/);
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
  };
  // Escape braces first so the subscripts' own braces survive.
  return formula
    .replace(/[⊗ᵀ·×∂δΣ{}\\]/g, (c) => sym[c])
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
      }, ${size} entries, never materialized</span></div>${preview}</div>`,
    "text/latex": typeof obj.toLatex === "function"
      ? `$$${obj.toLatex()}$$`
      : `$$${formulaToLatex(structure)} \\quad \\text{(dense shape ${shape})}$$`,
  };
}

/** @internal The bundle for anything `lib/` hands to the display hook. */
export function matcalcBundle(obj: unknown): MimeBundle {
  if (obj instanceof Tensor) return tensorBundle(obj);
  if (isStructured(obj)) return structuredBundle(obj);
  return { "text/plain": Deno.inspect(obj) };
}

/**
 * Makes tensors (and structured Jacobians) display richly in Jupyter by installing the hook that
 * `Tensor[Symbol.for("Jupyter.display")]` calls. Importing `matcalc/kernel` does this already.
 *
 * @example
 * ```ts
 * import { tensor } from "matcalc";
 * import { installDisplayHook, mimeBundle } from "matcalc/kernel";
 * import assert from "@matcalc/assert";
 *
 * installDisplayHook();
 * const bundle = mimeBundle(tensor([[1, 2]]));
 * assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/latex", "text/plain"]);
 * ```
 */
export function installDisplayHook(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("matcalc.display")] = matcalcBundle;
}
