/**
 * How the results of `eigh`, `svd`, `qr` and `slogdet` look in Jupyter: each field a labelled
 * tensor (`eigenvalues = …`, `eigenvectors = …`), as HTML tables side by side and one LaTeX line,
 * instead of the object's inspect text.
 *
 * @module
 */
import { Tensor } from "../lib/tensor.ts";
import { escapeHtml } from "./html.ts";
import type { MimeBundle } from "./jupyter.ts";

/** @internal Whether `obj` is an object whose own fields are all tensors (at least one). */
export function isTensorRecord(obj: unknown): obj is Record<string, Tensor> {
  if (obj === null || typeof obj !== "object" || obj instanceof Tensor) return false;
  const values = Object.values(obj);
  return values.length > 0 && values.every((v) => v instanceof Tensor);
}

/** How one tensor renders, passed in by tensor_display.ts (which imports this file). */
export interface TensorRenderers {
  toHtml(t: Tensor, options: { name: string }): string;
  toLatex(t: Tensor): string | undefined;
}

/**
 * @internal The bundle of a record of tensors: a caption with the class name (`EighResult`),
 * then every field labelled with its name.
 */
export function recordBundle(
  obj: Record<string, Tensor>,
  { toHtml, toLatex }: TensorRenderers,
): MimeBundle {
  const kind = (obj as { constructor?: { name?: string } }).constructor?.name;
  const title = kind && kind !== "Object" ? kind : "";
  const entries = Object.entries(obj);
  const text = `${title ? `${title} ` : ""}{\n${
    entries.map(([k, t]) => `  ${k}: ${t.toString().replace(/\n/g, "\n  ")}`).join(",\n")
  }\n}`;
  const html = `<div class="matcalc-record">${
    title ? `<div style="color:#555;font-size:90%">${escapeHtml(title)}</div>` : ""
  }<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">${
    entries.map(([k, t]) => toHtml(t, { name: k })).join("")
  }</div></div>`;
  const bundle: MimeBundle = { "text/plain": text, "text/html": html };
  const tex = entries.map(([k, t]) => [k, toLatex(t)] as const);
  if (tex.every(([, v]) => v !== undefined)) {
    const label = (k: string) => `\\text{${k.replace(/[\\{}$&#^_%~]/g, "")}}`;
    bundle["text/latex"] = `$$${tex.map(([k, v]) => `${label(k)} = ${v}`).join(",\\quad ")}$$`;
  }
  return bundle;
}
