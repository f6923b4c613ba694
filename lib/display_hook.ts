/**
 * @internal The bundle Jupyter shows for a matcalc object: whatever the kernel bridge registered
 * under `Symbol.for("matcalc.display")` (HTML, LaTeX, charts; see `kernel/`), or plain text when
 * the bridge is not loaded. The lib never imports `kernel/`, so it stays usable without Jupyter.
 */
export function displayBundle(obj: unknown, text: string): Record<string, string> {
  const hook = (globalThis as Record<symbol, unknown>)[Symbol.for("matcalc.display")];
  if (typeof hook === "function") return hook(obj);
  return { "text/plain": text };
}
