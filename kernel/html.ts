/** @internal Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESC[c]);
}

const ESC: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** @internal Escapes text for LaTeX (labels and captions, not math written by the user). */
export function escapeLatex(text: string): string {
  return text.replace(
    /[\\{}$&#^_%~]/g,
    (c) => c === "\\" ? "\\backslash{}" : c === "~" ? "\\sim{}" : c === "^" ? "\\hat{}" : "\\" + c,
  );
}
