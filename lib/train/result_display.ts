import { displayBundle } from "../display_hook.ts";
import { Tensor } from "../tensor.ts";

/** @internal Marks a gradientDescent result for the kernel's display hook. */
export const TRAIN_RESULT: unique symbol = Symbol.for("matcalc.trainResult") as never;

interface ResultLike {
  params: unknown;
  loss: number;
  history: { step: number; loss: number }[];
  stopped?: { step: number; reason: string; message: string };
  diverged: boolean;
}

function num(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}

function paramText(p: unknown): string {
  if (p instanceof Tensor) return `Tensor [${p.shape.join(", ")}]`;
  if (Array.isArray(p)) return `[${p.map(paramText).join(", ")}]`;
  return typeof p;
}

/**
 * @internal A gradientDescent result in a few lines: steps, first and last loss, the parameters'
 * shapes, and why it stopped; the history stays on `.history` instead of being printed.
 *
 * @example Two steps
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { tensor } from "matcalc";
 * import { trainResultText } from "./result_display.ts";
 *
 * const r = { params: tensor([1]), loss: 0.25, diverged: false, history: [
 *   { step: 0, loss: 1 }, { step: 1, loss: 0.5 }, { step: 2, loss: 0.25 },
 * ] };
 * assertEquals(
 *   trainResultText(r),
 *   "TrainResult: 2 steps, loss 1 → 0.25\n  params: Tensor [1]\n  history: 3 entries in .history",
 * );
 * ```
 */
export function trainResultText(r: ResultLike): string {
  const h = r.history;
  const first = h.length ? h[0].loss : NaN;
  const last = h.length ? h[h.length - 1].step : 0;
  const lines = [
    `TrainResult: ${last} ${last === 1 ? "step" : "steps"}, loss ${num(first)} → ${num(r.loss)}` +
    (r.diverged ? " (diverged)" : ""),
    `  params: ${paramText(r.params)}`,
    `  history: ${h.length} ${h.length === 1 ? "entry" : "entries"} in .history`,
  ];
  if (r.stopped) lines.push(`  stopped at step ${r.stopped.step}: ${r.stopped.message}`);
  return lines.join("\n");
}

/**
 * @internal Gives a result object a compact REPL print and Jupyter display (non-enumerable, so
 * equality checks and JSON are unchanged).
 */
export function withDisplay<T extends ResultLike>(r: T): T {
  Object.defineProperties(r, {
    [TRAIN_RESULT]: { value: true },
    [Symbol.for("Deno.customInspect")]: { value: () => trainResultText(r) },
    [Symbol.for("Jupyter.display")]: { value: () => displayBundle(r, trainResultText(r)) },
  });
  return r;
}
