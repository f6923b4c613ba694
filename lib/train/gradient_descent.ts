import { allocate } from "../alloc.ts";
import { backward, finish, trace } from "../ad/engine.ts";
import { ones, zeros } from "../creation.ts";
import { checkOptions, describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { withDisplay } from "./result_display.ts";

/**
 * What a live chart needs from a training loop. `liveLoss()` / `trainingMonitor()` from
 * `matcalc/kernel` implement it; any object with these methods works (the loop duck-types it,
 * so `lib/` never depends on the kernel).
 */
export interface TrainingMonitor {
  /** Called once per recorded step with the loss (and any metrics) under their series names. */
  push(step: number, values: Record<string, number>): void;
  /** Called once when the loop stops because the loss diverged: the loop's message and a short chart label. */
  markDivergence?(step: number, message: string, label?: string): void;
  /** Called when the loop ends, unless several runs share the monitor (see `label`). */
  done?(): void;
}

/** One recorded step: the loss at the parameters *before* update `step`, and any metrics. */
export interface HistoryEntry {
  /** Number of updates applied so far (0 is the initial parameters). */
  step: number;
  /** The loss at those parameters. */
  loss: number;
  /** Metrics returned by `metrics`, on the steps where it ran. */
  [metric: string]: number;
}

/** Why and where the loop stopped early. */
export interface Stopped {
  /**
   * The step at which the loop stopped. Its loss is not in the history when the loss diverged or
   * the update made a parameter non-finite (`"params"`); it is for `"gradient"` and `"onStep"`.
   */
  step: number;
  /**
   * `"nan"` / `"infinity"`: the loss stopped being a finite number; `"maxLoss"`: it exceeded
   * `divergence.maxLoss`; `"growth"`: it grew past `divergence.growth` × its initial value;
   * `"gradient"`: the loss was finite but its gradient was not (NaN or ±Infinity), so the
   * update would have made the parameters NaN; `"params"`: the update overflowed to a
   * non-finite parameter; `"onStep"`: the callback returned `false`.
   */
  reason: "nan" | "infinity" | "maxLoss" | "growth" | "gradient" | "params" | "onStep";
  /** The loss at that step (not finite, or past the bound, for a divergence; NaN for `"params"`). */
  loss: number;
  /** A sentence for the notebook: the step, the last good loss, the learning rate, a hint. */
  message: string;
}

/** What {@linkcode gradientDescent} returns. `P` is a Tensor or an array of Tensors. */
export interface TrainResult<P> {
  /**
   * The last parameters whose loss was finite and within bounds, and that are finite themselves
   * (never NaN weights).
   */
  params: P;
  /** The loss at `params` (`NaN` only if the initial loss already was not finite). */
  loss: number;
  /** One entry per accepted step, `step` 0 to the last; nothing computed is dropped. */
  history: HistoryEntry[];
  /** Set when the loop stopped before `steps` updates; `undefined` when it ran to the end. */
  stopped?: Stopped;
  /**
   * Whether the loop stopped because the loss, its gradient or the parameters diverged
   * (`stopped.reason` is not `"onStep"`).
   */
  diverged: boolean;
}

/** What `onStep` receives. */
export interface StepInfo<P> {
  /** Number of updates applied so far. */
  step: number;
  /** The loss at `params`. */
  loss: number;
  /** The parameters at which `loss` was computed. */
  params: P;
  /** `∂loss/∂params` there; `undefined` on the last step, where no update follows. */
  grads: P | undefined;
  /** The history so far, this step included. */
  history: HistoryEntry[];
}

/** Options for {@linkcode gradientDescent}. */
export interface GradientDescentOptions<P extends Tensor | Tensor[]> {
  /**
   * The scalar loss. With `params: W` it is called as `loss(W, step)`; with `params: [W, b]`
   * as `loss(W, b, step)` (`step` lets it pick a minibatch; ignore it for full-batch training).
   * `step` is `0 … steps − 1` for the updates, and `steps − 1` again for the final evaluation,
   * so `batches[step]` with `steps: batches.length` uses every batch once.
   */
  // deno-lint-ignore no-explicit-any
  loss: (...args: any[]) => Tensor;
  /** The initial parameters: one tensor, or an array of tensors. Never modified. */
  params: P;
  /** The learning rate η in `p ← p − η ∂L/∂p`: a finite number > 0. */
  lr: number;
  /** How many updates to apply (a non-negative integer), e.g. `batches.length`. */
  steps: number;
  /**
   * Called after each recorded step. Return `false` to stop early (e.g. once the loss is small
   * enough). If it throws, see {@linkcode TrainingError}: the history is kept.
   */
  onStep?: (info: StepInfo<P>) => void | boolean;
  /**
   * Extra numbers to record and chart, e.g. `(W) => ({ test: testLoss(W) })`; run every
   * `evalEvery` steps and on the last one. Same calling convention as `loss` (without `step`).
   * It must return an object (anything else throws, rather than recording nothing).
   */
  // deno-lint-ignore no-explicit-any
  metrics?: (...params: any[]) => Record<string, number | Tensor>;
  /** Steps between two `metrics` calls (default 1). */
  evalEvery?: number;
  /** A live chart (see {@linkcode TrainingMonitor}), e.g. `liveLoss()` from `matcalc/kernel`. */
  monitor?: TrainingMonitor;
  /**
   * The series name for this run's loss on the monitor (default `"loss"`; metrics are pushed as
   * `"<label> <metric>"`). Setting it means several runs share one monitor, so the loop does
   * not call `monitor.done()`: call it yourself after the last run.
   */
  label?: string;
  /**
   * When to call the run diverged, besides a loss, gradient or parameter of `NaN` or
   * `±Infinity` (always checked). `maxLoss`: stop once the loss exceeds it (default
   * `Infinity`). `growth`: stop once the loss exceeds `growth` × the size of the initial loss
   * (its absolute value, taken as at least 1e-12, so a loss that starts at 0 is covered too;
   * default `1e4`; it must be > 1; `Infinity` turns it off).
   */
  divergence?: { maxLoss?: number; growth?: number };
}

/**
 * The error {@linkcode gradientDescent} throws when user code (`loss`, `metrics`, `onStep` or
 * the monitor) throws after at least one step was recorded. Nothing is lost: `history` and
 * `params` hold what the loop had reached, and `cause` is the original error.
 *
 * An error on the very first evaluation (a shape mistake in the loss, say) is rethrown as is,
 * since there is nothing to keep yet.
 *
 * @example Recovering the history after a callback throws
 * ```ts
 * import { gradientDescent, square, sum, type Tensor, tensor, TrainingError } from "matcalc";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * let caught: unknown;
 * try {
 *   gradientDescent({
 *     loss: (w) => sum(square(w)), params: tensor([1]), lr: 0.25, steps: 10,
 *     onStep: ({ step }) => { if (step === 3) throw new Error("plot failed"); },
 *   });
 * } catch (e) {
 *   caught = e;
 * }
 * if (!(caught instanceof TrainingError)) throw new Error("expected a TrainingError");
 * assertMatch(caught.message, /onStep threw at step 3: plot failed/);
 * assertEquals(caught.history.length, 4); // steps 0, 1, 2, 3: nothing lost
 * assertEquals((caught.params as Tensor).toArray(), [0.125]);
 * ```
 */
export class TrainingError extends Error {
  /** The step at which user code threw. */
  readonly step: number;
  /** Everything recorded before the error. */
  readonly history: HistoryEntry[];
  /** The parameters of the last recorded step (a Tensor or an array, like `params`). */
  readonly params: Tensor | Tensor[];
  /** Creates the error; `cause` is what the user code threw. */
  constructor(
    message: string,
    init: { step: number; history: HistoryEntry[]; params: Tensor | Tensor[]; cause: unknown },
  ) {
    super(message, { cause: init.cause });
    this.name = "TrainingError";
    this.step = init.step;
    this.history = init.history;
    this.params = init.params;
  }
}

/**
 * Plain gradient descent, `p ← p − lr · ∂loss/∂p`, that keeps everything it computed and stops
 * cleanly when the loss diverges.
 *
 * Each step evaluates the loss and its gradient once (reverse mode), records
 * `{ step, loss, ...metrics }`, pushes it to `monitor`, calls `onStep`, then updates. After
 * `steps` updates the loss is evaluated once more, so a full run has `steps + 1` history entries.
 * `loss` gets the step number after the parameters: `0 … steps − 1` for the `steps` updates,
 * then `steps − 1` again (0 when `steps` is 0) for that final evaluation, which is the loss on
 * the last update's minibatch after the update. So with minibatches pass
 * `steps: batches.length` and index `batches[step]`. A `loss` declared with one more argument
 * than `params` gets that step number, so `(W, b) => …` with `params: W` alone would see
 * `b` = 0, 1, 2…
 *
 * If the loss becomes `NaN`/`±Infinity` or passes the `divergence` bounds at some step, the loop
 * stops *there*: it returns the history so far, the last parameters whose loss was fine, and
 * `stopped` with a message naming the step, the last good loss, the learning rate and a hint;
 * the monitor's `markDivergence` is called with the same message. The same happens when the
 * loss is finite but its gradient is not (`sqrt` at a negative number inside `where`, say) or
 * an update overflows: the message names the step, the parameter and the index, and the
 * parameters returned are the last finite ones. Nothing is thrown, so a
 * notebook can compare several learning rates in one loop. Errors thrown by user code: see
 * {@linkcode TrainingError}.
 *
 * @example Fitting `w` to minimize `½ (w − 3)²`
 * ```ts
 * import { gradientDescent, mul, square, sub, sum, tensor } from "matcalc";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const r = gradientDescent({
 *   loss: (w) => mul(0.5, sum(square(sub(w, 3)))),
 *   params: tensor([0]), lr: 0.5, steps: 20,
 * });
 * assert(Math.abs(r.params.at(0) - 3) < 1e-5);
 * assertEquals(r.history.length, 21);
 * assertEquals(r.stopped, undefined);
 * ```
 *
 * @example A learning rate that is too large stops with a message, not NaN weights
 * ```ts
 * import { gradientDescent, mul, square, sum, tensor } from "matcalc";
 * import { assert, assertEquals, assertMatch } from "@std/assert";
 *
 * // L = ½ w²: each step multiplies w by (1 − lr), so lr = 3 doubles |w| every step.
 * const r = gradientDescent({
 *   loss: (w) => mul(0.5, sum(square(w))), params: tensor([1]), lr: 3, steps: 100,
 * });
 * assert(r.diverged);
 * assertEquals(r.stopped?.reason, "growth");
 * assertEquals(r.stopped?.step, 7); // 4^7 / 2 > 1e4 × ½
 * assertMatch(r.stopped!.message, /try a smaller learning rate, e\.g\. lr = 0\.3/);
 * assertEquals(r.history.length, 7);
 * ```
 *
 * @example Several parameters and a metric
 * ```ts
 * import { add, gradientDescent, matmul, mean, square, sub, tensor } from "matcalc";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const X = tensor([[0], [1], [2]]), y = tensor([1, 3, 5]);
 * const mse = (W: typeof X, b: typeof X) => mean(square(sub(add(matmul(X, W), b), y)));
 * const r = gradientDescent({
 *   loss: mse, params: [tensor([0]), tensor(0)], lr: 0.1, steps: 500,
 *   metrics: (W) => ({ slope: W.at(0) }), evalEvery: 100,
 * });
 * assert(Math.abs(r.params[0].at(0) - 2) < 1e-3);
 * assertEquals(typeof r.history[100].slope, "number"); // recorded every 100 steps
 * assertEquals(r.history[1].slope, undefined);
 * ```
 *
 * @example A finite loss whose gradient is NaN stops before the weights become NaN
 * ```ts
 * import { gradientDescent, sqrt, step, sum, tensor, where } from "matcalc";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * // sqrt'(−1) is NaN, and where() multiplies it by 0: NaN × 0 is still NaN.
 * const r = gradientDescent({
 *   loss: (w) => sum(where(step(w), sqrt(w), 0)), params: tensor([-1, 4]), lr: 0.1, steps: 5,
 * });
 * assertEquals(r.diverged, true);
 * assertEquals(r.stopped?.reason, "gradient");
 * assertEquals(r.params.toArray(), [-1, 4]); // the last finite parameters
 * assertMatch(r.stopped!.message, /step 0: the gradient of params is NaN at index \[0\]/);
 * ```
 *
 * @example Minibatches: `steps: batches.length` uses every batch once
 * ```ts
 * import { gradientDescent, mean, square, sub, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const batches = [tensor([1, 2]), tensor([3, 4]), tensor([5, 6])];
 * const seen: number[] = [];
 * const r = gradientDescent({
 *   loss: (w, step: number) => (seen.push(step), mean(square(sub(batches[step], w)))),
 *   params: tensor(0), lr: 0.1, steps: batches.length,
 * });
 * assertEquals(seen, [0, 1, 2, 2]); // 3 updates, then the final evaluation on the last batch
 * assertEquals(r.history.length, 4);
 * ```
 */
export function gradientDescent<P extends Tensor | Tensor[]>(
  options: GradientDescentOptions<P>,
): TrainResult<P> {
  const o = validate(options);
  const many = Array.isArray(o.params);
  const asP = (ts: Tensor[]): P => (many ? ts : ts[0]) as P;
  const lossKey = o.label ?? "loss";
  const metricKey = (k: string) => (o.label === undefined ? k : `${o.label} ${k}`);

  const history: HistoryEntry[] = [];
  let current: Tensor[] = many ? [...(o.params as Tensor[])] : [o.params as Tensor];
  let accepted = current;
  let acceptedLoss = NaN;
  let initialLoss = NaN;
  let stopped: Stopped | undefined;
  let where = "the loss function";
  let k = 0;

  try {
    for (; k <= o.steps; k++) {
      where = "the loss function";
      const args = current;
      // The final evaluation reuses the last update's step, so `batches[step]` stays in range.
      const step = k < o.steps ? k : Math.max(0, o.steps - 1);
      const [loss, grads] = lossAndGrads(o.loss, args, step);
      if (k === 0) initialLoss = loss;

      const reason = divergenceReason(loss, initialLoss, k, o.maxLoss, o.growth);
      if (reason !== undefined) {
        const message = divergenceMessage(reason, loss, k, history, o, initialLoss);
        stopped = { step: k, reason, loss, message };
        if (o.monitor?.markDivergence !== undefined) {
          where = "monitor.markDivergence";
          o.monitor.markDivergence(
            k,
            message,
            o.label === undefined ? `diverged at step ${k}` : `${o.label} diverged at step ${k}`,
          );
        }
        break;
      }

      const entry: HistoryEntry = { step: k, loss };
      if (o.metrics !== undefined && (k % o.evalEvery === 0 || k === o.steps)) {
        where = "metrics";
        const m: unknown = o.metrics(...args);
        if (m === null || typeof m !== "object" || Array.isArray(m) || m instanceof Tensor) {
          throw new ValueError(
            `gradientDescent: metrics must return an object of numbers such as ` +
              `{ test: 0.25 }, got ${describeValue(m)}`,
          );
        }
        for (const [name, v] of Object.entries(m)) {
          // A metric called "loss" or "step" would overwrite the history's own fields.
          if (name === "loss" || name === "step") {
            throw new ValueError(
              `gradientDescent: metrics returned "${name}", a name the history uses for itself; ` +
                `rename it (e.g. "test ${name}")`,
            );
          }
          entry[name] = toNumber(name, v);
        }
      }
      history.push(entry);
      accepted = args;
      acceptedLoss = loss;

      if (o.monitor !== undefined) {
        where = "monitor.push";
        const values: Record<string, number> = { [lossKey]: loss };
        for (const [name, v] of Object.entries(entry)) {
          if (name !== "step" && name !== "loss") values[metricKey(name)] = v;
        }
        o.monitor.push(k, values);
      }
      if (o.onStep !== undefined) {
        where = "onStep";
        const last = k === o.steps;
        const go = o.onStep({
          step: k,
          loss,
          params: asP(args),
          grads: last ? undefined : asP(grads),
          history,
        });
        if (go === false && !last) {
          stopped = {
            step: k,
            reason: "onStep",
            loss,
            message: `gradientDescent: onStep returned false at step ${k} (loss ${fmt(loss)})`,
          };
          break;
        }
      }
      if (k === o.steps) break;
      // A NaN gradient next to a finite loss (sqrt(−1) × 0 inside where) or an update that
      // overflows would leave NaN weights that every later step keeps.
      const badGrad = firstNonFinite(grads);
      const next = badGrad === undefined ? args.map((p, i) => update(p, grads[i], o.lr)) : [];
      const badParam = badGrad === undefined ? firstNonFinite(next) : undefined;
      const bad = badGrad ?? badParam;
      if (bad !== undefined) {
        const at = badGrad !== undefined ? k : k + 1;
        const message = nonFiniteMessage(badGrad !== undefined, bad, many, k, loss, args, o.lr);
        stopped = {
          step: at,
          reason: badGrad !== undefined ? "gradient" : "params",
          loss: badGrad !== undefined ? loss : NaN,
          message,
        };
        if (o.monitor?.markDivergence !== undefined) {
          where = "monitor.markDivergence";
          o.monitor.markDivergence(
            at,
            message,
            o.label === undefined ? `diverged at step ${at}` : `${o.label} diverged at step ${at}`,
          );
        }
        break;
      }
      current = next;
    }
    if (o.monitor?.done !== undefined && o.label === undefined) {
      where = "monitor.done";
      o.monitor.done();
    }
  } catch (e) {
    // Close the live chart's progress line even when the run ends with an error; an error from
    // done() itself must not hide the original one.
    if (where !== "monitor.done" && o.label === undefined) {
      try {
        o.monitor?.done?.();
      } catch { /* the original error matters more */ }
    }
    if (history.length === 0) throw e;
    const cause = e instanceof Error ? e.message : String(e);
    throw new TrainingError(
      `gradientDescent: ${where} threw at step ${k}: ${cause}. ` +
        `Nothing is lost: the history (${history.length} ${
          history.length === 1 ? "step" : "steps"
        }, last loss ` +
        `${fmt(acceptedLoss)}) and the last parameters are on this error as .history and .params`,
      { step: k, history, params: asP(accepted), cause: e },
    );
  }
  return withDisplay({
    params: asP(accepted),
    loss: acceptedLoss,
    history,
    stopped,
    diverged: stopped !== undefined && stopped.reason !== "onStep",
  });
}

interface Validated<P> extends GradientDescentOptions<P & (Tensor | Tensor[])> {
  evalEvery: number;
  maxLoss: number;
  growth: number;
}

function validate<P extends Tensor | Tensor[]>(o: GradientDescentOptions<P>): Validated<P> {
  const op = "gradientDescent";
  if (o === null || typeof o !== "object") {
    throw new ValueError(
      `${op}: expected an options object { loss, params, lr, steps }, got ${describeValue(o)}`,
    );
  }
  // A misspelled option (`monitr`, `step`) would otherwise train without it.
  checkOptions(op, o, [
    "loss",
    "params",
    "lr",
    "steps",
    "onStep",
    "metrics",
    "evalEvery",
    "monitor",
    "label",
    "divergence",
  ]);
  if (o.label !== undefined && typeof o.label !== "string") {
    throw new ValueError(
      `${op}: label must be a string (a series name), got ${describeValue(o.label)}`,
    );
  }
  if (typeof o.loss !== "function") {
    throw new ValueError(
      `${op}: loss must be a function returning a scalar Tensor, got ${describeValue(o.loss)}`,
    );
  }
  const ps = Array.isArray(o.params) ? o.params : [o.params];
  if (ps.length === 0 || !ps.every((p) => p instanceof Tensor)) {
    throw new ValueError(
      `${op}: params must be a Tensor or a non-empty array of Tensors, got ` +
        `${describeValue(o.params)}; build them with tensor(…) or randn(…)`,
    );
  }
  // More declared parameters than params + step is not refused, since `length` counts optional
  // ones; a call that fails then says so (see lossAndGrads). Fewer would train some tensors with
  // a zero gradient.
  if (o.loss.length > 0 && o.loss.length < ps.length) {
    throw new ValueError(
      `${op}: loss takes ${o.loss.length} argument${o.loss.length === 1 ? "" : "s"} but ` +
        `params has ${ps.length} tensors, so the others would never change; give loss one ` +
        `parameter per tensor (plus the step number if it needs it)`,
    );
  }
  const badStart = firstNonFinite(ps as Tensor[]);
  if (badStart !== undefined) {
    throw new ValueError(
      `${op}: the initial ${paramName(badStart.param, Array.isArray(o.params))} is ` +
        `${badStart.value} at index ${fmtShape(badStart.index)}; start from finite parameters`,
    );
  }
  if (typeof o.lr !== "number" || !Number.isFinite(o.lr) || o.lr <= 0) {
    throw new ValueError(
      `${op}: lr must be a finite number > 0, got ${describeValue(o.lr)}; ` +
        `start with 0.1 and divide by 10 while the loss does not decrease`,
    );
  }
  if (typeof o.steps !== "number" || !Number.isInteger(o.steps) || o.steps < 0) {
    throw new ValueError(
      `${op}: steps must be a non-negative integer, got ${describeValue(o.steps)}`,
    );
  }
  const evalEvery = o.evalEvery ?? 1;
  if (typeof evalEvery !== "number" || !Number.isInteger(evalEvery) || evalEvery < 1) {
    throw new ValueError(
      `${op}: evalEvery must be a positive integer, got ${describeValue(evalEvery)}`,
    );
  }
  for (const name of ["onStep", "metrics"] as const) {
    if (o[name] !== undefined && typeof o[name] !== "function") {
      throw new ValueError(`${op}: ${name} must be a function, got ${describeValue(o[name])}`);
    }
  }
  if (o.monitor !== undefined && typeof o.monitor?.push !== "function") {
    throw new ValueError(
      `${op}: monitor must have a push(step, values) method, got ${describeValue(o.monitor)}; ` +
        `use liveLoss() from "matcalc/kernel"`,
    );
  }
  checkOptions(`${op}: divergence`, o.divergence, ["maxLoss", "growth"]);
  const maxLoss = o.divergence?.maxLoss ?? Infinity;
  const growth = o.divergence?.growth ?? DEFAULT_GROWTH;
  if (typeof maxLoss !== "number" || Number.isNaN(maxLoss)) {
    throw new ValueError(
      `${op}: divergence.maxLoss must be a number, got ${describeValue(maxLoss)}`,
    );
  }
  if (typeof growth !== "number" || !(growth > 1)) {
    throw new ValueError(
      `${op}: divergence.growth must be a number > 1 (or Infinity to turn it off), got ` +
        `${describeValue(growth)}`,
    );
  }
  return { ...o, evalEvery, maxLoss, growth } as Validated<P>;
}

/** A loss 10⁴ × its starting value is divergence in practice, and is reached long before overflow. */
const DEFAULT_GROWTH = 1e4;

/** Initial losses below this count as this much when judging growth. */
const GROWTH_FLOOR = 1e-12;

function divergenceReason(
  loss: number,
  initial: number,
  step: number,
  maxLoss: number,
  growth: number,
): Stopped["reason"] | undefined {
  if (Number.isNaN(loss)) return "nan";
  if (!Number.isFinite(loss)) return "infinity";
  if (loss > maxLoss) return "maxLoss";
  // The floor keeps rounding noise on a loss that starts at ~0 (already at the optimum) from
  // looking like a 10⁴-fold blow-up, while a jump from exactly 0 to 1e300 is still caught; a
  // negative initial loss (a log-likelihood) counts by its size.
  if (step > 0 && loss > growth * Math.max(Math.abs(initial), GROWTH_FLOOR)) return "growth";
  return undefined;
}

function divergenceMessage(
  reason: Stopped["reason"],
  loss: number,
  step: number,
  history: HistoryEntry[],
  o: { lr: number; maxLoss: number; growth: number },
  initial: number,
): string {
  const what = reason === "maxLoss"
    ? `the loss ${fmt(loss)} exceeded divergence.maxLoss = ${fmt(o.maxLoss)}`
    : reason === "growth"
    ? `the loss grew to ${fmt(loss)}, more than ${fmt(o.growth)} × its initial value ` +
      `${fmt(initial)}`
    : `the loss became ${loss}`;
  if (history.length === 0) {
    return `gradientDescent: ${what} at step 0, before any update (lr = ${fmt(o.lr)}); ` +
      `the learning rate is not the cause: check the loss function and the initial ` +
      `parameters (log of 0 or of a negative number, 0/0, overflow in exp)`;
  }
  const last = history[history.length - 1];
  // A NaN or Infinity after a loss that was not rising points at this step's data or the loss
  // function, not at the learning rate.
  const rising = history.length >= 2 && last.loss > history[history.length - 2].loss;
  const hint = reason === "nan" || (reason === "infinity" && !rising)
    ? rising
      ? `the updates overshoot and grow: try a smaller learning rate, e.g. lr = ` +
        `${fmt(o.lr / 10)}, and check the data of step ${step}`
      : `the loss was not growing: check the data of step ${step} for NaN or Infinity, and ` +
        `whether an update left the loss function's domain (log or sqrt of a negative number, ` +
        `0/0), which a smaller learning rate avoids, e.g. lr = ${fmt(o.lr / 10)}`
    : `the updates overshoot and grow: try a smaller learning rate, e.g. lr = ${fmt(o.lr / 10)}`;
  return `gradientDescent: stopped at step ${step}: ${what} (last good loss ` +
    `${fmt(last.loss)} at step ${last.step}, lr = ${fmt(o.lr)}); ${hint}. The history and the ` +
    `parameters of step ${last.step} are returned`;
}

/** One reverse-mode evaluation, with errors that name `gradientDescent` and its `loss`. */
function lossAndGrads(
  loss: (...args: never[]) => unknown,
  ps: Tensor[],
  step: number,
): [number, Tensor[]] {
  const f = (...xs: Tensor[]) => {
    const call = loss as (...args: unknown[]) => unknown;
    try {
      return call(...xs, step);
    } catch (e) {
      // The missing arguments were undefined: the likely cause of the error, so say so.
      if (loss.length > ps.length + 1 && e instanceof Error) {
        const before = e.message, stack = e.stack;
        e.message += ` (gradientDescent: loss declares ${loss.length} parameters but gets ` +
          `${ps.length + 1}, the ${ps.length === 1 ? "tensor" : `${ps.length} tensors`} of ` +
          `params and the step number, so the others were undefined; pass params: [W, b, …], ` +
          `one per argument)`;
        if (typeof stack === "string") e.stack = stack.replace(before, e.message);
      }
      throw e;
    }
  };
  const tr = trace("gradientDescent", f, ps);
  if (tr.out.size !== 1) {
    throw new ShapeError(
      `gradientDescent: loss must return a scalar, got shape ${fmtShape(tr.out.shape)}; ` +
        `reduce it with sum(…) or mean(…)`,
    );
  }
  const gs = backward(tr, ones(tr.out.shape)).map((g, i) => finish(g ?? zeros(ps[i].shape)));
  return [raw(tr.out)[0], gs];
}

/** Where the first NaN or ±Infinity among `ts` is: which tensor, the index in it, the value. */
function firstNonFinite(
  ts: readonly Tensor[],
): { param: number; index: number[]; value: number } | undefined {
  for (let p = 0; p < ts.length; p++) {
    const D = raw(ts[p]);
    for (let i = 0; i < D.length; i++) {
      if (!Number.isFinite(D[i])) {
        return { param: p, index: unravel(i, ts[p].shape), value: D[i] };
      }
    }
  }
  return undefined;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    index[a] = flat % shape[a];
    flat = Math.floor(flat / shape[a]);
  }
  return index;
}

/** `params` for a single tensor, `params[1]` for the second of an array. */
function paramName(p: number, many: boolean): string {
  return many ? `params[${p}]` : "params";
}

function nonFiniteMessage(
  gradient: boolean,
  bad: { param: number; index: number[]; value: number },
  many: boolean,
  step: number,
  loss: number,
  args: Tensor[],
  lr: number,
): string {
  const name = paramName(bad.param, many), at = fmtShape(bad.index);
  const flat = bad.index.reduce((f, i, a) => f * args[bad.param].shape[a] + i, 0);
  if (gradient) {
    return `gradientDescent: stopped at step ${step}: the gradient of ${name} is ${bad.value} ` +
      `at index ${at}, while the loss ${fmt(loss)} is finite; the update would make the weights ` +
      `${bad.value}. A derivative is undefined at these parameters: sqrt, log or a power at 0 or ` +
      `a negative number, even in a branch that where() discards (its derivative is NaN × 0 = ` +
      `NaN; keep the discarded input in the domain, e.g. sqrt(where(c, w, 1))), or overflow. ` +
      `The history and the parameters of step ${step} are returned`;
  }
  return `gradientDescent: stopped at step ${step + 1}: the update of step ${step} made ${name} ` +
    `${bad.value} at index ${at} (it was ${fmt(raw(args[bad.param])[flat])}, lr = ${fmt(lr)}); ` +
    `the gradient is too large for this learning rate: try a smaller one, e.g. lr = ` +
    `${fmt(lr / 10)}. The history and the parameters of step ${step} are returned`;
}

/** `p − lr · g`, computed directly: the update itself is never differentiated. */
function update(p: Tensor, g: Tensor, lr: number): Tensor {
  const P = raw(p), G = raw(g);
  const out = allocate("gradientDescent", p.shape);
  for (let i = 0; i < out.length; i++) out[i] = P[i] - lr * G[i];
  return new Tensor(out, p.shape);
}

function toNumber(name: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (v instanceof Tensor && v.size === 1) return raw(v)[0];
  throw new ValueError(
    `gradientDescent: metric "${name}" must be a number or a one-element Tensor, got ` +
      `${describeValue(v)}`,
  );
}

/** Short numbers for messages: 5 significant digits, exponent form only when very large/small. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const p = Number(x.toPrecision(5));
  const a = Math.abs(p);
  return a >= 1e6 || (a < 1e-4 && a !== 0) ? p.toExponential() : String(p);
}
