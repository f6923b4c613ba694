/**
 * The display of a `gradientDescent` result: a few lines of text (never the whole history) and
 * an HTML summary with the loss curve drawn as a small inline sparkline.
 *
 * @module
 */
import { trainResultText } from "../lib/train/result_display.ts";
import type { MimeBundle } from "./jupyter.ts";
import { escapeHtml } from "./html.ts";

interface ResultLike {
  params: unknown;
  loss: number;
  history: { step: number; loss: number }[];
  stopped?: { step: number; reason: string; message: string };
  diverged: boolean;
}

/** @internal Whether `obj` is a result `gradientDescent` returned. */
export function isTrainResult(obj: unknown): obj is ResultLike {
  return obj !== null && typeof obj === "object" &&
    (obj as Record<symbol, unknown>)[Symbol.for("matcalc.trainResult")] === true;
}

/** A polyline of the finite losses, 160×32 px, log-scaled when they span over 100×. */
function sparkline(history: { step: number; loss: number }[]): string {
  const pts = history.filter((h) => Number.isFinite(h.loss));
  if (pts.length < 2) return "";
  const positive = pts.every((p) => p.loss > 0);
  const ys = pts.map((p) => p.loss);
  const log = positive && Math.max(...ys) / Math.min(...ys) > 100;
  const f = (y: number) => (log ? Math.log10(y) : y);
  const lo = Math.min(...ys.map(f)), hi = Math.max(...ys.map(f));
  const x0 = pts[0].step, x1 = pts[pts.length - 1].step;
  const step = Math.max(1, Math.floor(pts.length / 200));
  const coords = pts.filter((_, i) => i % step === 0 || i === pts.length - 1).map((p) =>
    `${(((p.step - x0) / (x1 - x0 || 1)) * 156 + 2).toFixed(1)},${
      (30 - ((f(p.loss) - lo) / (hi - lo || 1)) * 28).toFixed(1)
    }`
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="32" ` +
    `style="vertical-align:middle"><polyline fill="none" stroke="#4c78a8" stroke-width="1.5" ` +
    `points="${coords.join(" ")}"/></svg>${log ? " <small>(log scale)</small>" : ""}`;
}

/** @internal The bundle of a gradientDescent result. */
export function trainResultBundle(r: ResultLike): MimeBundle {
  const text = trainResultText(r);
  const [head, ...rest] = text.split("\n");
  return {
    "text/plain": text,
    "text/html": `<div class="matcalc-train-result"><b>${escapeHtml(head)}</b> ${
      sparkline(r.history)
    }<br>${rest.map((l) => escapeHtml(l.trim())).join("<br>")}</div>`,
  };
}
