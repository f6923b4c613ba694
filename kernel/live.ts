/**
 * Live training curves: one chart and one progress line, updated in place while a loop runs.
 *
 * @module
 */
import { checkOptions, describeValue, fmtShape, ShapeError, ValueError } from "../lib/errors.ts";
import { raw, Tensor } from "../lib/tensor.ts";
import type { Chart } from "./charts/chart.ts";
import { lineChart, type Rule } from "./charts/line.ts";
import { escapeHtml } from "./html.ts";
import { scalarText } from "./tensor_display.ts";
import { jupyterApi, type MimeBundle, newDisplayId, sendBundle } from "./jupyter.ts";

/** Options for {@linkcode liveLoss}. */
export interface LiveLossOptions {
  /** The last step, for the progress fraction, the ETA and the x axis (which grows past it). */
  total?: number;
  /**
   * Record fewer points: the first push of each series, then the first push at or past each
   * multiple of `every` (steps 0, 10, 20, … for `every: 10`; with fractional or irregular steps,
   * the first step past each multiple). The default 1 records every push.
   */
  every?: number;
  /** Series names, fixing their order and colors (others are added as they appear). */
  series?: string[];
  /**
   * Names to show instead of the pushed ones, e.g. `{ loss: "minibatch loss" }` when a training
   * loop picks the names; `history()` keeps the pushed names.
   */
  labels?: Record<string, string>;
  /** Chart title. */
  title?: string;
  /** Logarithmic loss axis. */
  logY?: boolean;
  /** x-axis title (default `"step"`). */
  xLabel?: string;
  /** y-axis title (default `"loss"`). */
  yLabel?: string;
  /** Minimum milliseconds between two updates of the display (default 250: ≤ 4 per second). */
  interval?: number;
  /** Points per series drawn in the chart; longer histories are thinned evenly (default 500). */
  maxPoints?: number;
  /** Plot width in pixels. */
  width?: number;
  /** Plot height in pixels. */
  height?: number;
  /**
   * Where to show progress: `"auto"` (Jupyter if inside a kernel, else a text line), `"jupyter"`,
   * `"text"`, or `"none"` (record only).
   */
  output?: "auto" | "jupyter" | "text" | "none";
}

interface History {
  step: number[];
  value: number[];
}

/**
 * Rendering an SVG costs tens of milliseconds, so the chart is redrawn at most once per
 * `max(interval, RENDER_BUDGET × cost of the last render)`: drawing then takes about 5% of
 * a busy loop's time at worst.
 */
const RENDER_BUDGET = 19;
/** Even slow renders (a cold vega, a huge chart) leave the chart at most this stale. */
const MAX_WAIT = 2000;
/** A plain-text progress line is printed at most this often when stdout is not a terminal. */
const TEXT_PIPE_INTERVAL = 2000;
/**
 * After this long without a step (and at least 20 mean step times), a monitor that was never
 * `done()` says so on its progress line: the loop most likely threw.
 */
const IDLE_MS = 1000;

/** A value `push` accepts for one series. */
export type LossValue = number | Tensor;

/**
 * A live loss monitor: push values as training runs; in Jupyter it shows one chart and one
 * progress line (step / total, latest values, elapsed time, ETA) and updates them in place,
 * throttled; elsewhere it prints a compact progress line. It never throws because of the display.
 * Create it with {@linkcode liveLoss}.
 */
export class LiveLoss {
  readonly #opts:
    & Required<Pick<LiveLossOptions, "every" | "interval" | "maxPoints">>
    & LiveLossOptions;
  readonly #history = new Map<string, History>();
  readonly #latest = new Map<string, number>();
  /** The last step each series was pushed at: runs sharing a monitor end at different steps. */
  readonly #latestStep = new Map<string, number>();
  /** The last recorded step of each series, for `every`. */
  readonly #recordedStep = new Map<string, number>();
  readonly #rules: Rule[] = [];
  readonly #mode: "jupyter" | "text" | "none";
  #chartId = "";
  #lineId = "";
  #shown = false;
  #start = 0;
  #firstStep = NaN;
  #lastStep = NaN;
  #minStep = Infinity;
  #maxStep = -Infinity;
  #pushes = 0;
  #lastPushAt = 0;
  #nextChart = 0;
  #nextLine = 0;
  #renders = 0;
  #renderMs = 0;
  #finished = false;
  /**
   * A throttled push leaves the chart behind; if the loop then throws, nothing else would draw
   * it. This timer fires once the thread is free (after a synchronous loop, or while an async
   * one awaits), draws the last pushed state, and notes on the progress line when steps stopped
   * without `done()`.
   */
  #watch: number | undefined;
  /** `#pushes` when the chart was last drawn. */
  #drawn = 0;
  #stalled = false;
  /** The watch drew the chart; a push after that means the loop awaits between steps. */
  #watchDrew = false;
  /** Pushes continue across event-loop turns: the watch then waits for the throttle too. */
  #awaits = false;
  /** Divergence messages and `done(message)`, in order, for the progress line. */
  readonly #notes: string[] = [];
  /** A step lower than the last one starts another run on the same monitor. */
  #runs = 1;

  /** Prefer {@linkcode liveLoss}. */
  constructor(options: LiveLossOptions = {}) {
    // A misspelled option (`totl`) or output mode (`"txt"`) would otherwise be ignored.
    checkOptions("liveLoss", options, [
      "total",
      "every",
      "series",
      "labels",
      "title",
      "logY",
      "xLabel",
      "yLabel",
      "interval",
      "maxPoints",
      "width",
      "height",
      "output",
    ]);
    const outputs = ["auto", "jupyter", "text", "none"];
    if (options.output !== undefined && !outputs.includes(options.output)) {
      throw new ValueError(
        `liveLoss: output must be one of ${outputs.map((o) => `"${o}"`).join(", ")}, got ` +
          `${describeValue(options.output)}`,
      );
    }
    const every = options.every ?? 1;
    if (!(Number.isInteger(every) && every >= 1)) {
      throw new ValueError(`liveLoss: every must be a positive integer, got ${every}`);
    }
    this.#opts = {
      ...options,
      every,
      interval: options.interval ?? 250,
      maxPoints: options.maxPoints ?? 500,
    };
    for (const name of options.series ?? []) this.#history.set(name, { step: [], value: [] });
    const want = options.output ?? "auto";
    const kernel = jupyterApi() !== undefined;
    // Asking for "jupyter" outside a kernel falls back to text rather than failing.
    this.#mode = want === "none" ? "none" : want === "text" || !kernel ? "text" : "jupyter";
  }

  /**
   * Records `values` (one number, stored as `"loss"`, or `{ series: value }`; a size-1 tensor
   * counts as its number) at `step`, and refreshes the display when the throttle allows.
   * Non-finite values are kept (they show as gaps). Cheap: a few array pushes and a clock read.
   */
  push(step: number, values: LossValue | Record<string, LossValue>): this {
    // Date.now() costs ~0.1 µs where performance.now() costs ~1 µs, and this runs every step.
    if (typeof step !== "number" || !Number.isFinite(step)) {
      throw new TypeError(`liveLoss.push: step must be a finite number, got ${String(step)}`);
    }
    let v: number | Record<string, number>;
    if (typeof values === "number") v = values;
    else if (values instanceof Tensor) v = lossNumber("loss", values, step);
    else if (typeof values === "object" && values !== null) v = numbers(values, step);
    else {
      throw new TypeError(
        `liveLoss.push: values must be a number or { series: number }, got ${typeof values}`,
      );
    }
    const now = Date.now();
    if (Number.isNaN(this.#firstStep)) {
      this.#firstStep = step;
      this.#start = now;
    } else if (step < this.#lastStep) this.#runs++;
    this.#lastStep = step;
    if (step < this.#minStep) this.#minStep = step;
    if (step > this.#maxStep) this.#maxStep = step;
    this.#pushes++;
    this.#lastPushAt = now;
    if (typeof v === "number") this.#add("loss", step, v);
    else for (const name in v) this.#add(name, step, v[name]);
    if (this.#mode === "none") return this;
    this.#stalled = false;
    if (this.#watchDrew) this.#awaits = true;
    if (now >= this.#nextLine || now >= this.#nextChart) this.#refresh(now, false);
    if (this.#mode === "jupyter" && this.#watch === undefined) {
      // A synchronous loop frees the thread only when it ends (or throws): drawing at once
      // then lets headless runs (nbconvert) still catch the update during the next cell.
      const delay = this.#awaits ? Math.max(0, this.#nextChart - now) : 0;
      this.#watch = unrefTimeout(() => this.#onWatch(), delay);
    }
    return this;
  }

  #add(name: string, step: number, value: number): void {
    this.#latest.set(name, value);
    this.#latestStep.set(name, step);
    const every = this.#opts.every;
    if (every !== 1) {
      // By step crossing a multiple, not `step % every === 0`, which fractional steps (0.1,
      // 0.2, …) would almost never hit. A step going backwards is a new run: recorded.
      const last = this.#recordedStep.get(name);
      if (
        last !== undefined && step >= last && Math.floor(step / every) <= Math.floor(last / every)
      ) {
        return;
      }
      this.#recordedStep.set(name, step);
    }
    let h = this.#history.get(name);
    if (h === undefined) this.#history.set(name, h = { step: [], value: [] });
    h.step.push(step);
    h.value.push(value);
  }

  /**
   * Marks where training diverged (or any event): a dashed vertical line on the chart, labelled
   * `label` (default "stopped at step N"), and `message` on the progress line (after the label
   * when the label names the step, as `gradientDescent`'s "η = 2 diverged at step 13" does, so
   * that runs sharing the monitor say which one stopped). Updates the display at once.
   */
  markDivergence(step: number, message: string, label?: string): this {
    // The chart gets a short label (a long one would widen the SVG until the chart is tiny);
    // the full message goes on the progress line.
    this.#rules.push({ x: step, label: label ?? `stopped at step ${step}` });
    this.#notes.push(divergenceNote(step, message, label));
    if (this.#mode !== "none") this.#refresh(Date.now(), true);
    return this;
  }

  /**
   * Ends the run: always draws the final state (which is what a saved notebook keeps). Call it in
   * a `finally` block so that a loop that throws is saved at its last step too. Returns nothing,
   * so `monitor.done()` as a cell's last line does not show the chart a second time.
   */
  done(message?: string): void {
    this.#finished = true;
    if (this.#watch !== undefined) clearTimeout(this.#watch);
    this.#watch = undefined;
    if (message) this.#notes.push(message);
    if (this.#mode !== "none") this.#refresh(Date.now(), true);
  }

  /** The recorded history: for each series, the steps and values pushed. */
  history(): Record<string, { step: number[]; value: number[] }> {
    const out: Record<string, History> = {};
    for (const [name, h] of this.#history) out[name] = { step: [...h.step], value: [...h.value] };
    return out;
  }

  /** The chart of everything recorded so far (thinned to `maxPoints` per series). */
  chart(): Chart {
    const series = [...this.#history].map(([name, h]) =>
      thin(this.#label(name), h, this.#opts.maxPoints)
    );
    // Steps past `total` (more epochs than planned) widen the axis rather than being clipped.
    const total = this.#opts.total;
    const lo = this.#pushes === 0 ? 0 : this.#minStep;
    const hi = Math.max(total ?? -Infinity, this.#pushes === 0 ? -Infinity : this.#maxStep);
    return lineChart(series.length ? series : [{ name: "loss", x: [], y: [] }], {
      title: this.#opts.title,
      logY: this.#opts.logY,
      xLabel: this.#opts.xLabel ?? "step",
      yLabel: this.#opts.yLabel ?? "loss",
      rules: this.#rules,
      width: this.#opts.width,
      height: this.#opts.height,
      xDomain: total !== undefined && hi > lo ? [lo, hi] : undefined,
    });
  }

  /**
   * The progress line, e.g. `step 500/1000 (50%) · train 0.1 · 1.2 s elapsed · ETA 1.2 s`. When
   * several runs share the monitor (a step went backwards), one global step would be the last
   * run's, so each value carries its own: `4 runs · η = 0.1 0.016 (step 80) · …`.
   */
  status(): string {
    if (Number.isNaN(this.#lastStep)) return "no steps yet";
    const total = this.#opts.total;
    const step = this.#lastStep;
    const multi = this.#runs > 1;
    const parts: string[] = [];
    if (multi) parts.push(this.#finished ? `${this.#runs} runs` : `run ${this.#runs}`);
    else {
      parts.push(
        total !== undefined
          ? `step ${step}/${total} (${Math.floor((100 * step) / Math.max(total, 1))}%)`
          : `step ${step}`,
      );
    }
    for (const [name, v] of this.#latest) {
      const at = multi ? ` (step ${this.#latestStep.get(name)})` : "";
      parts.push(`${this.#label(name)} ${scalarText(v, 4)}${at}`);
    }
    const elapsed = (Date.now() - this.#start) / 1000;
    parts.push(`${seconds(elapsed)} elapsed`);
    const doneSteps = step - this.#firstStep;
    if (this.#finished) parts.push("done");
    else if (this.#stalled) {
      const idle = (Date.now() - this.#lastPushAt) / 1000;
      parts.push(`not finished: no step for ${seconds(idle)} and done() was not called`);
    } else if (
      total !== undefined && !multi && doneSteps > 0 && step < total && this.#notes.length === 0 &&
      !(this.#watchDrew && !this.#awaits)
    ) {
      // (When the watch drew, the pushing code has stopped, perhaps for good: no ETA then.)
      parts.push(`ETA ${seconds((elapsed / doneSteps) * (total - step))}`);
    }
    parts.push(...this.#notes);
    return parts.join(" · ");
  }

  #label(name: string): string {
    return this.#opts.labels?.[name] ?? name;
  }

  /** Rendering statistics: how many chart renders and their total milliseconds. */
  stats(): { renders: number; renderMs: number } {
    return { renders: this.#renders, renderMs: this.#renderMs };
  }

  /** Shows the current chart when a cell ends with the monitor. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.chart().bundle();
  }

  /** Prints the progress line. */
  [Symbol.for("Deno.customInspect")](): string {
    return `LiveLoss(${this.status()})`;
  }

  #refresh(now: number, force: boolean): void {
    try {
      if (this.#mode === "jupyter") this.#refreshJupyter(now, force);
      else this.#refreshText(now, force);
    } catch {
      // A display problem must never stop training; the history is still recorded.
    }
  }

  #refreshJupyter(now: number, force: boolean): void {
    const interval = this.#opts.interval;
    const chart = force || now >= this.#nextChart || !this.#shown;
    // Once both are shown, the line goes first: it is cheap, and after a loop threw, the next
    // cell may end (and a headless run stop listening) while the chart renders.
    if (this.#shown) this.#sendLine(now);
    if (chart) {
      this.#drawn = this.#pushes;
      const t0 = performance.now();
      const bundle = this.chart().bundle();
      const cost = performance.now() - t0;
      this.#renders++;
      this.#renderMs += cost;
      if (!this.#shown) this.#chartId = newDisplayId("chart");
      sendBundle(bundle, { displayId: this.#chartId, update: this.#shown });
      // The first render pays for compiling vega's code paths; it says little about the next.
      const estimate = this.#renders === 1 ? 0 : cost;
      this.#nextChart = Date.now() +
        Math.min(MAX_WAIT, Math.max(interval, RENDER_BUDGET * estimate));
    }
    if (!this.#shown) this.#sendLine(now);
  }

  #sendLine(now: number): void {
    const line = this.status();
    if (!this.#shown) this.#lineId = newDisplayId("progress");
    sendBundle(
      {
        "text/plain": line,
        "text/html": `<div class="matcalc-progress" style="font-family:monospace">${
          escapeHtml(line)
        }</div>`,
      },
      { displayId: this.#lineId, update: this.#shown },
    );
    this.#shown = true;
    this.#nextLine = now + this.#opts.interval;
  }

  #onWatch(): void {
    this.#watch = undefined;
    if (this.#finished) return;
    const now = Date.now();
    if (this.#drawn !== this.#pushes) {
      if (this.#awaits && now < this.#nextChart) {
        this.#watch = unrefTimeout(() => this.#onWatch(), this.#nextChart - now);
        return;
      }
      this.#watchDrew = true;
      this.#refresh(now, true);
    }
    // Steps every few ms that then stop for a second (and 20 mean step times) mean the loop
    // ended without done(), most likely by throwing; an awaiting loop's next push clears it.
    const mean = (this.#lastPushAt - this.#start) / Math.max(1, this.#pushes - 1);
    const wait = Math.max(IDLE_MS, 20 * mean);
    const idle = now - this.#lastPushAt;
    if (idle >= wait) {
      this.#stalled = true;
      try {
        this.#sendLine(now);
      } catch {
        // As in #refresh: display only.
      }
    } else this.#watch = unrefTimeout(() => this.#onWatch(), wait - idle);
  }

  #refreshText(now: number, force: boolean): void {
    let tty = false;
    try {
      tty = Deno.stdout.isTerminal();
    } catch {
      tty = false;
    }
    const wait = tty ? this.#opts.interval : TEXT_PIPE_INTERVAL;
    this.#nextChart = Infinity;
    if (!force && now < this.#nextLine) return;
    this.#nextLine = now + wait;
    const line = this.status();
    if (tty) {
      const end = this.#finished ? "\n" : "";
      Deno.stdout.writeSync(new TextEncoder().encode(`\r\x1b[2K${line}${end}`));
    } else {
      console.log(line);
    }
  }
}

/**
 * The progress-line text of one divergence. gradientDescent's message already says "stopped at
 * step N"; its label ("η = 2 diverged at step N") names the run too, so it leads and the message
 * drops its own step: nothing is said twice.
 */
function divergenceNote(step: number, message: string, label: string | undefined): string {
  const own = `stopped at step ${step}`;
  if (label !== undefined && new RegExp(`\\bstep ${step}\\b`).test(label)) {
    return `${label}: ${message.replace(`${own}: `, "")}`;
  }
  return message.includes(own) ? message : `${own}: ${message}`;
}

/** A timer that does not keep a script alive; its callback never throws. */
function unrefTimeout(fn: () => void, ms: number): number {
  // Node's typings (pulled in by npm packages) make setTimeout return an object; Deno's is a number.
  const id = setTimeout(() => {
    try {
      fn();
    } catch {
      // Display only: training state is unaffected.
    }
  }, ms) as unknown as number;
  try {
    Deno.unrefTimer(id);
  } catch {
    // Older runtimes: the timer is short and one-shot anyway.
  }
  return id;
}

/** Size-1 tensors become their number; anything else that is not a number is an error. */
function lossNumber(name: string, v: unknown, step: number): number {
  if (typeof v === "number") return v;
  if (v instanceof Tensor) {
    if (v.size === 1) return raw(v)[0];
    throw new ShapeError(
      `liveLoss.push: series "${name}" got a tensor of shape ${fmtShape(v.shape)} at step ` +
        `${step}; push one number per series, e.g. mean(t) or sum(t)`,
    );
  }
  throw new TypeError(
    `liveLoss.push: series "${name}" got ${typeof v} ${
      JSON.stringify(v)
    } at step ${step}; values must be numbers`,
  );
}

/** The values as numbers, copied only when a tensor had to be converted. */
function numbers(values: Record<string, unknown>, step: number): Record<string, number> {
  let out: Record<string, number> | undefined;
  for (const name in values) {
    const v = values[name];
    // NaN and Infinity are allowed: a diverging loss is worth drawing up to where it broke.
    if (typeof v === "number") {
      if (out) out[name] = v;
      continue;
    }
    out ??= { ...(values as Record<string, number>) };
    out[name] = lossNumber(name, v, step);
  }
  return out ?? (values as Record<string, number>);
}

function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

function thin(name: string, h: History, max: number): { name: string; x: number[]; y: number[] } {
  const n = h.step.length;
  if (n <= max) return { name, x: h.step, y: h.value };
  const x: number[] = [], y: number[] = [];
  for (let k = 0; k < max - 1; k++) {
    const i = Math.floor((k * (n - 1)) / (max - 1));
    x.push(h.step[i]);
    y.push(h.value[i]);
  }
  x.push(h.step[n - 1]);
  y.push(h.value[n - 1]);
  return { name, x, y };
}

/**
 * Starts a live loss monitor for a training loop: `push(step, { train, test })` each step,
 * `markDivergence(step, why)` to flag a blow-up, `done()` at the end. In Jupyter it shows one
 * chart and one progress line updated in place (at most 4 times a second, and rarely enough that
 * drawing takes ~5% of a busy loop at worst), always ending on the final state; in a terminal
 * or a test it prints a compact progress line instead.
 *
 * @example Outside a kernel it just records (and prints when `output` allows)
 * ```ts
 * import { liveLoss } from "matcalc/kernel";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * const mon = liveLoss({ total: 3, series: ["train", "test"], output: "none" });
 * for (let step = 1; step <= 3; step++) mon.push(step, { train: 1 / step, test: 2 / step });
 * mon.done();
 * assertEquals(mon.history().train, { step: [1, 2, 3], value: [1, 0.5, 1 / 3] });
 * assertEquals(mon.chart().plotly()!.data.length, 2);
 * assertMatch(mon.status(), /^step 3\/3 \(100%\) · train 0\.3333 · test 0\.6667 · .* · done$/);
 * ```
 */
export function liveLoss(options: LiveLossOptions = {}): LiveLoss {
  return new LiveLoss(options);
}

/** Alias of {@linkcode liveLoss}, for readers who think of it as a training monitor. */
export const trainingMonitor: (options?: LiveLossOptions) => LiveLoss = liveLoss;
