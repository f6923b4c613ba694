/**
 * Tagged templates that show derivation steps with live numbers: `latex` for a display
 * equation, `md` for Markdown prose. Tensors are substituted as `bmatrix`es, numbers formatted.
 *
 * @module
 */
import { Tensor } from "../lib/tensor.ts";
import { latexNumber, TensorView, toLatex } from "./tensor_display.ts";
import type { MimeBundle } from "./jupyter.ts";

function substitute(value: unknown, inMarkdown: boolean): string {
  const t = value instanceof TensorView ? value.tensor : value;
  const opts = value instanceof TensorView ? value.options : {};
  if (t instanceof Tensor) {
    const tex = toLatex(t, opts) ?? `\\text{${t.toString().replace(/[\\{}$]/g, "")}}`;
    if (!inMarkdown) return tex;
    return t.rank === 0 ? `$${tex}$` : `\n$$${tex}$$\n`;
  }
  if (typeof value === "number") {
    return inMarkdown ? `$${latexNumber(value, 4)}$` : latexNumber(value, 4);
  }
  // Interpolated text is data, not markup: escape it so a label can never become live HTML
  // in a renderer that does not sanitize Markdown (nbconvert's HTML export, for one).
  return inMarkdown ? escapeMarkdownHtml(String(value)) : String(value);
}

function escapeMarkdownHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function build(strings: TemplateStringsArray, values: unknown[], inMarkdown: boolean): string {
  let out = strings.raw[0];
  values.forEach((v, i) => out += substitute(v, inMarkdown) + strings.raw[i + 1]);
  return out;
}

/** LaTeX math produced by {@linkcode latex}; displays as `text/latex`. */
export class Latex {
  /** Wraps LaTeX math source (without `$$`). */
  constructor(readonly source: string) {}
  /** The Jupyter MIME bundle. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "text/latex": `$$${this.source}$$`, "text/plain": this.source };
  }
  /** The LaTeX source. */
  toString(): string {
    return this.source;
  }
}

/** Markdown produced by {@linkcode md}; displays as `text/markdown`. */
export class Markdown {
  /** Wraps Markdown source. */
  constructor(readonly source: string) {}
  /** The Jupyter MIME bundle. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "text/markdown": this.source, "text/plain": this.source };
  }
  /** The Markdown source. */
  toString(): string {
    return this.source;
  }
}

/**
 * A display equation with live values: tensors become `bmatrix`es (rank 3 as labelled slices),
 * numbers are formatted like tensor entries, strings are inserted verbatim as LaTeX. Backslashes
 * in the template are kept as written (`String.raw` semantics).
 *
 * @example The chain rule with numbers substituted
 * ```ts
 * import { tensor } from "matcalc";
 * import { latex } from "matcalc/kernel";
 * import assert from "@matcalc/assert";
 *
 * const eq = latex`\frac{\partial L}{\partial y} = ${tensor([1, -2])},\ L = ${0.125}`;
 * assert.equal(
 *   eq.source,
 *   "\\frac{\\partial L}{\\partial y} = \\begin{bmatrix} 1 \\\\ -2 \\end{bmatrix},\\ L = 0.125",
 * );
 * ```
 */
export function latex(strings: TemplateStringsArray, ...values: unknown[]): Latex {
  return new Latex(build(strings, values, false));
}

/**
 * Markdown with live values: tensors become display math (`$$\begin{bmatrix}…$$`), numbers
 * inline math, strings are inserted as text (`<`, `>` and `&` escaped, so they never become HTML). Backslashes are kept as written.
 *
 * @example
 * ```ts
 * import { tensor } from "matcalc";
 * import { md } from "matcalc/kernel";
 * import assert from "@matcalc/assert";
 *
 * const note = md`**loss** ${0.5}, gradient ${tensor([[1, 2]])}`;
 * assert.equal(note.source, "**loss** $0.5$, gradient \n$$\\begin{bmatrix} 1 & 2 \\end{bmatrix}$$\n");
 * ```
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): Markdown {
  return new Markdown(build(strings, values, true));
}
