import { checkOptions, describeValue, fmtShape, ValueError } from "../errors.ts";
import { raw, type Tensor } from "../tensor.ts";
import { ones, zeros } from "../creation.ts";
import { randn } from "../random.ts";
import { mul } from "../ops/mul.ts";
import { sum } from "../ops/sum.ts";
import { asArgs } from "./args.ts";
import { backward, trace } from "./engine.ts";
import { fwdFromTrace, revFromTrace } from "./jacobian.ts";
import { finiteDifferences, unravel } from "./numerical.ts";
import type { TensorFn } from "./grad.ts";

/** A differentiation mode: forward (JVP rules, `jacfwd`) or reverse (VJP rules, `jacrev`). */
export type GradMode = "fwd" | "rev";

/** Options for {@linkcode checkGrad} and {@linkcode assertGrad}. */
export interface CheckGradOptions {
  /** Which rules to check; default both, `["fwd", "rev"]`. */
  modes?: readonly GradMode[];
  /** Relative tolerance, default `1e-3` (as `torch.autograd.gradcheck`). */
  rtol?: number;
  /** Absolute tolerance, default `1e-5` (as `torch.autograd.gradcheck`). */
  atol?: number;
  /** Relative finite-difference step, default `∛ε ≈ 6.06e-6` (see {@linkcode numericalJacobian}). */
  eps?: number;
  /**
   * `1` (default) checks first derivatives. `2` also checks second derivatives: the Jacobian of
   * the reverse-mode gradient, taken in reverse mode (rev-over-rev) and forward mode
   * (fwd-over-rev), against central differences of that gradient. A non-scalar `f` is reduced
   * to `sum(u · f(x))` with a fixed random `u` first (as autograd's `check_grads` does).
   */
  order?: 1 | 2;
}

/** The entry of the Jacobian where analytic and numeric derivatives disagree most. */
export interface GradCheckWorst {
  /** Which input, for `checkGrad(f, [W, b])` (0 for a single input). */
  input: number;
  /** The index into the Jacobian, `[...outIndex, ...inIndex]`. */
  index: number[];
  /** The autodiff value. */
  analytic: number;
  /** The central-difference value. */
  numeric: number;
  /** The mode that produced `analytic` (for order 2, the outer mode over reverse). */
  mode: GradMode;
  /**
   * 1 for an entry of the Jacobian of `f`; 2 for an entry of the second derivative, the
   * Jacobian of the gradient of argument `of` with respect to argument `input`, indexed
   * `[...index into argument of, ...index into argument input]`.
   */
  order: 1 | 2;
  /** For order 2: the argument whose gradient was differentiated again. */
  of?: number;
}

/**
 * What {@linkcode checkGrad} found: whether every Jacobian entry passed
 * `|analytic − numeric| ≤ atol + rtol·|numeric|`, the largest absolute and relative errors
 * (relative to `max(|analytic|, |numeric|)`, 0 when both are 0), and the worst entry (the one
 * closest to, or furthest over, its tolerance).
 */
export class GradCheckReport {
  /** Creates a report; {@linkcode checkGrad} does this. */
  constructor(
    /** Whether every entry is within tolerance in every mode. */
    readonly ok: boolean,
    /** The largest `|analytic − numeric|` (Infinity if autodiff gave a non-finite value). */
    readonly maxAbsError: number,
    /** The largest `|analytic − numeric| / max(|analytic|, |numeric|)`. */
    readonly maxRelError: number,
    /** The entry with the largest error relative to its tolerance (null if there are none). */
    readonly worst: GradCheckWorst | null,
    /** The options used. */
    readonly options: { modes: readonly GradMode[]; rtol: number; atol: number; order: 1 | 2 },
    /** How many Jacobian entries were compared per mode (first and second derivatives). */
    readonly entries: number,
  ) {}

  /** One readable paragraph: the verdict, the errors, and the worst entry. */
  toString(): string {
    const { modes, atol, rtol, order } = this.options;
    const stats =
      `max abs error ${fmt(this.maxAbsError)}, max rel error ${
        fmt(this.maxRelError)
      } over ${this.entries} ${
        order === 2 ? "first- and second-derivative" : "Jacobian"
      } entries ` +
      `(modes ${modes.join(", ")}; ${order === 2 ? "order 2; " : ""}atol ${atol}, rtol ${rtol})`;
    const w = this.worst;
    if (w === null) return `checkGrad passed: nothing to compare (empty Jacobian)`;
    const where = w.order === 1
      ? `${w.mode}-mode entry ${fmtShape(w.index)}${
        w.input > 0 || this.multi ? ` of the Jacobian for argument ${w.input}` : ""
      }`
      : `${w.mode}-over-rev entry ${fmtShape(w.index)} of the second derivative${
        this.multi ? ` (gradient of argument ${w.of}, differentiated by argument ${w.input})` : ""
      }`;
    const values = `analytic ${fmt(w.analytic)}, numeric ${fmt(w.numeric)}`;
    if (this.ok) return `checkGrad passed: ${stats}; worst ${where}: ${values}`;
    return `checkGrad failed: ${where} differs from finite differences: ${values} ` +
      `(abs error ${fmt(Math.abs(w.analytic - w.numeric))}, allowed ${
        fmt(atol + rtol * Math.abs(w.numeric))
      }); ${stats}`;
  }

  /** @internal Set by checkGrad when several inputs were checked. */
  multi = false;

  /** Prints the report in the REPL. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

/** The error {@linkcode assertGrad} throws; `report` holds the details. */
export class GradCheckError extends Error {
  /** Creates the error from a failed report. */
  constructor(readonly report: GradCheckReport) {
    // Only assertGrad throws it, so the message names assertGrad, not the checkGrad it runs.
    super(
      `${
        String(report).replace(/^checkGrad/, "assertGrad")
      }. A derivative rule (VJP for rev, JVP for fwd) of an op in f is likely wrong ` +
        `(at order 2: a rule that uses a constant mask or a cached number where its derivative ` +
        `depends on the input; write it with matcalc ops on the traced input or output), ` +
        `or f is not smooth within the finite-difference step of x (abs or relu at 0, a pole ` +
        `such as 1/x near 0, huge values whose differences round off); compare jacrev(f, x) ` +
        `with numericalJacobian(f, x), at another point if x is near a kink or a pole`,
    );
    this.name = "GradCheckError";
  }
}

/**
 * Compares the Jacobian from autodiff (forward and/or reverse mode) with central differences
 * (see {@linkcode numericalJacobian}) entry by entry, like `torch.autograd.gradcheck` for
 * float64: an entry passes when `|analytic − numeric| ≤ atol + rtol·|numeric|`, default
 * `atol = 1e-5`, `rtol = 1e-3`. Returns a {@linkcode GradCheckReport}; use
 * {@linkcode assertGrad} to throw instead. `f` may return any shape; pass `[W, b]` to check
 * several inputs. Non-finite `x` or `f(x)` throws a ValueError rather than passing silently.
 *
 * With `order: 2` it also checks second derivatives the same way: the Jacobian of the gradient
 * by rev-over-rev and fwd-over-rev against central differences of the gradient. A rule written
 * with a constant mask where the derivative depends on the input passes order 1 and fails here.
 *
 * @example
 * ```ts
 * import { checkGrad, matmul, tanh, tensor } from "matcalc";
 * import { assert, assertMatch } from "@std/assert";
 *
 * const x = tensor([1, -2]);
 * const report = checkGrad((W) => tanh(matmul(W, x)), tensor([[0.1, 0.2], [0.3, -0.4]]));
 * assert(report.ok);
 * assert(report.maxAbsError < 1e-8);
 * assertMatch(String(report), /^checkGrad passed/);
 * ```
 *
 * @example Order 2 catches a right gradient with a wrong Hessian
 * ```ts
 * import { checkGrad, mul, square, stopGradient, sub, sum, tensor } from "matcalc";
 * import { assert, assertEquals } from "@std/assert";
 *
 * // Value Σx²/2 and gradient x are right, but the Hessian comes out 0 instead of I.
 * const f = (x: ReturnType<typeof tensor>) =>
 *   sum(sub(mul(x, stopGradient(x)), mul(0.5, square(stopGradient(x)))));
 * const x = tensor([1, -2]);
 * assertEquals(checkGrad(f, x).ok, true);
 * const r = checkGrad(f, x, { order: 2 });
 * assertEquals(r.ok, false);
 * assertEquals([r.worst!.order, r.worst!.analytic], [2, 0]);
 * assert(Math.abs(r.worst!.numeric - 1) < 1e-6);
 * ```
 */
export function checkGrad(
  f: TensorFn,
  x: Tensor | Tensor[],
  opts: CheckGradOptions = {},
): GradCheckReport {
  checkOptions("checkGrad", opts, ["modes", "rtol", "atol", "eps", "order"]);
  const { xs, many } = asArgs("checkGrad", x);
  const modes = opts.modes ?? ["fwd", "rev"];
  const rtol = opts.rtol ?? 1e-3, atol = opts.atol ?? 1e-5, order = opts.order ?? 1;
  if (
    !Array.isArray(modes) || modes.length === 0 ||
    modes.some((m) => m !== "fwd" && m !== "rev")
  ) {
    throw new ValueError(
      `checkGrad: modes must be a non-empty array of "fwd" and "rev", got ${describeValue(modes)}`,
    );
  }
  for (const [name, v] of [["rtol", rtol], ["atol", atol]] as const) {
    if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) {
      throw new ValueError(
        `checkGrad: ${name} must be a non-negative finite number, got ${describeValue(v)}`,
      );
    }
  }
  if (order !== 1 && order !== 2) {
    throw new ValueError(`checkGrad: order must be 1 or 2, got ${describeValue(order)}`);
  }
  const acc: Tally = { maxAbs: 0, maxRel: 0, worstRatio: -1, ok: true, worst: null, entries: 0 };
  const compare = { modes, rtol, atol, eps: opts.eps };
  compareJacobians(acc, f, xs, compare, 1);
  if (order === 2) {
    // The first derivative as a function of x, by reverse mode, is checked like any f.
    const u = projection(f, xs);
    const scalar = (...vs: Tensor[]) => sum(mul(u, f(...vs)));
    xs.forEach((_, a) => {
      const gradient = (...vs: Tensor[]): Tensor => {
        const tr = trace("checkGrad", scalar, vs);
        return backward(tr, ones(tr.out.shape))[a] ?? zeros(vs[a].shape);
      };
      compareJacobians(acc, gradient, xs, compare, 2, a);
    });
  }
  const report = new GradCheckReport(acc.ok, acc.maxAbs, acc.maxRel, acc.worst, {
    modes,
    rtol,
    atol,
    order,
  }, acc.entries);
  report.multi = many;
  return report;
}

interface Tally {
  maxAbs: number;
  maxRel: number;
  worstRatio: number;
  ok: boolean;
  worst: GradCheckWorst | null;
  entries: number;
}

/** Adds the comparison of `f`'s Jacobians by autodiff and by central differences to `acc`. */
function compareJacobians(
  acc: Tally,
  f: TensorFn,
  xs: Tensor[],
  { modes, rtol, atol, eps }: {
    modes: readonly GradMode[];
    rtol: number;
    atol: number;
    eps?: number;
  },
  order: 1 | 2,
  of?: number,
): void {
  const numeric = finiteDifferences("checkGrad", f, xs, { eps }).jacobians;
  acc.entries += numeric.reduce((p, J) => p + J.size, 0);
  for (const mode of modes) {
    const tr = trace("checkGrad", f, xs);
    const analytic = mode === "rev"
      ? revFromTrace("checkGrad", tr, xs)
      : fwdFromTrace("checkGrad", tr, xs);
    analytic.forEach((J, a) => {
      const A = raw(J), N = raw(numeric[a]);
      for (let i = 0; i < A.length; i++) {
        const an = A[i], nu = N[i];
        const err = Number.isFinite(an) ? Math.abs(an - nu) : Infinity;
        const scale = Math.max(Math.abs(an), Math.abs(nu));
        const rel = err === 0 ? 0 : scale === 0 || !Number.isFinite(scale) ? Infinity : err / scale;
        const allowed = atol + rtol * Math.abs(nu);
        const ratio = err === 0 ? 0 : allowed === 0 ? Infinity : err / allowed;
        if (!(err <= allowed)) acc.ok = false;
        acc.maxAbs = Math.max(acc.maxAbs, err);
        acc.maxRel = Math.max(acc.maxRel, rel);
        if (ratio > acc.worstRatio) {
          acc.worstRatio = ratio;
          const index = unravel(i, J.shape);
          acc.worst = order === 1
            ? { input: a, index, analytic: an, numeric: nu, mode, order }
            : { input: a, index, analytic: an, numeric: nu, mode, order, of };
        }
      }
    });
  }
}

/**
 * The weights `u` that turn `f` into the scalar `sum(u · f(x))` whose Hessian order 2 checks:
 * 1 for a scalar `f` (its own Hessian), else fixed normal draws, so that every second
 * derivative of every output enters with a weight that no rule error can cancel by accident.
 */
function projection(f: TensorFn, xs: readonly Tensor[]): Tensor {
  const y = f(...xs);
  return y.size === 1 ? ones(y.shape) : randn(y.shape, { seed: 20261206 });
}

/**
 * Like {@linkcode checkGrad}, but throws a {@linkcode GradCheckError} (whose message is the
 * report) when any entry is out of tolerance. Returns the report when all pass.
 *
 * @example A wrong derivative is caught
 * ```ts
 * import { assertGrad, GradCheckError, sigmoid, stopGradient, mul, tensor } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * assertGrad(sigmoid, tensor([0.5, -1]));
 * // stopGradient hides the dependence on the first factor: the derivative is half the truth.
 * const wrong = (x: ReturnType<typeof tensor>) => mul(stopGradient(x), x);
 * assertThrows(() => assertGrad(wrong, tensor([1, 2])), GradCheckError);
 * ```
 */
export function assertGrad(
  f: TensorFn,
  x: Tensor | Tensor[],
  opts: CheckGradOptions = {},
): GradCheckReport {
  let report: GradCheckReport;
  try {
    report = checkGrad(f, x, opts);
  } catch (e) {
    // The checks run inside checkGrad; the message should name what the user called.
    // (An error of f's own is left alone, except for the arity hint the transforms append.)
    const ours = e instanceof Error &&
      (e.message.startsWith("checkGrad:") || e.message.includes("(checkGrad: f declares"));
    if (ours) {
      const before = e.message, stack = e.stack;
      e.message = e.message.startsWith("checkGrad:")
        ? e.message.replaceAll("checkGrad", "assertGrad")
        : e.message.replace("(checkGrad: f declares", "(assertGrad: f declares")
          .replace("e.g. checkGrad(f, [W, b])", "e.g. assertGrad(f, [W, b])");
      if (typeof stack === "string") e.stack = stack.replace(before, e.message);
    }
    throw e;
  }
  if (!report.ok) throw new GradCheckError(report);
  return report;
}

function fmt(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(2);
}
