/**
 * Tagged templates that show derivation steps with live numbers: `latex` for a display
 * equation, `md` for Markdown prose. Tensors are substituted as `bmatrix`es, numbers formatted.
 *
 * @module
 */
import { raw, Tensor } from "../lib/tensor.ts";
import { formatNumber } from "../lib/format.ts";
import { latexNumber, TensorView, toLatex } from "./tensor_display.ts";
import type { MimeBundle } from "./jupyter.ts";

/** How one interpolated value reads in the source, and in the plain-text view of `md`. */
function substitute(value: unknown, inMarkdown: boolean): { source: string; text: string } {
  const t = value instanceof TensorView ? value.tensor : value;
  const opts = value instanceof TensorView ? value.options : {};
  if (t instanceof Tensor) {
    // Rank 4+ has no LaTeX form, and its multi-line text (blank lines between blocks) would
    // break a formula and end a Markdown paragraph: name the shape instead.
    const tex = toLatex(t, opts) ?? `\\text{Tensor of shape [${t.shape.join(", ")}]}`;
    const source = !inMarkdown ? tex : t.rank === 0 ? `$${tex}$` : `\n$$${tex}$$\n`;
    // The plain-text view (a terminal, a notebook diff) reads a scalar as its number.
    return { source, text: inMarkdown && t.rank === 0 ? formatNumber(raw(t)[0], 4) : source };
  }
  if (typeof value === "number") {
    const tex = latexNumber(value, 4);
    const source = inMarkdown ? `$${tex}$` : tex;
    return { source, text: inMarkdown ? formatNumber(value, 4) : source };
  }
  // Interpolated text is data, not markup: escape it so a label can never become live HTML
  // in a renderer that does not sanitize Markdown (nbconvert's HTML export, for one), nor start
  // math ("costs $5 and $6" would typeset "5 and"). The plain-text view shows it as given.
  const text = String(value);
  return { source: inMarkdown ? escapeMarkdownText(text) : text, text };
}

const MD_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "\\$" };

function escapeMarkdownText(s: string): string {
  return s.replace(/[&<>$]/g, (c) => MD_ESCAPES[c]);
}

function build(
  strings: TemplateStringsArray,
  values: unknown[],
  inMarkdown: boolean,
): { source: string; text: string } {
  let source = strings.raw[0], text = strings.raw[0];
  values.forEach((v, i) => {
    const sub = substitute(v, inMarkdown);
    source += sub.source + strings.raw[i + 1];
    text += sub.text + strings.raw[i + 1];
  });
  return { source, text };
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
  /**
   * Wraps Markdown source; `text` is the plain-text view (default: the source), which `md` gives
   * without the escapes that only a Markdown renderer would undo (`&lt;`, `\$`).
   */
  constructor(readonly source: string, readonly text: string = source) {}
  /** The Jupyter MIME bundle. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "text/markdown": this.source, "text/plain": this.text };
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
 * import { assertEquals } from "@std/assert";
 *
 * const eq = latex`\frac{\partial L}{\partial y} = ${tensor([1, -2])},\ L = ${0.125}`;
 * assertEquals(eq.source, "\\frac{\\partial L}{\\partial y} = \\begin{bmatrix} 1 \\\\ -2 \\end{bmatrix},\\ L = 0.125");
 * ```
 */
export function latex(strings: TemplateStringsArray, ...values: unknown[]): Latex {
  return new Latex(build(strings, values, false).source);
}

/**
 * Markdown with live values: tensors become display math (`$$\begin{bmatrix}…$$`), numbers
 * inline math (keeping their significant digits: `$1.5 \times 10^{-4}$`), strings are inserted
 * as text (`<`, `>`, `&` and `$` escaped, so they never become HTML or start math). Backslashes
 * are kept as written.
 *
 * @example
 * ```ts
 * import { tensor } from "matcalc";
 * import { md } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * const note = md`**loss** ${0.5}, gradient ${tensor([[1, 2]])}`;
 * assertEquals(note.source, "**loss** $0.5$, gradient \n$$\\begin{bmatrix} 1 & 2 \\end{bmatrix}$$\n");
 * assertEquals(md`lr ${0.00015} for ${"<$5"}`.source, "lr $1.5 \\times 10^{-4}$ for &lt;\\$5");
 * ```
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): Markdown {
  const { source, text } = build(strings, values, true);
  return new Markdown(source, text);
}
