import { checkOptions, fmtShape, ValueError } from "../errors.ts";
import { raw, type Tensor } from "../tensor.ts";
import { asArgs } from "./args.ts";
import { describe, trace } from "./engine.ts";
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
  /** The mode that produced `analytic`. */
  mode: GradMode;
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
    readonly options: { modes: readonly GradMode[]; rtol: number; atol: number },
    /** How many Jacobian entries were compared per mode. */
    readonly entries: number,
  ) {}

  /** One readable paragraph: the verdict, the errors, and the worst entry. */
  toString(): string {
    const { modes, atol, rtol } = this.options;
    const stats = `max abs error ${fmt(this.maxAbsError)}, max rel error ${
      fmt(this.maxRelError)
    } over ${this.entries} Jacobian entries (modes ${
      modes.join(", ")
    }; atol ${atol}, rtol ${rtol})`;
    const w = this.worst;
    if (w === null) return `checkGrad passed: nothing to compare (empty Jacobian)`;
    const where = `${w.mode}-mode entry ${fmtShape(w.index)}${
      w.input > 0 || this.multi ? ` of the Jacobian for argument ${w.input}` : ""
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
      }. A derivative rule (VJP for rev, JVP for fwd) of an op in f is likely wrong, ` +
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
 * @example
 * ```ts
 * import { checkGrad, matmul, tanh, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * const x = tensor([1, -2]);
 * const report = checkGrad((W) => tanh(matmul(W, x)), tensor([[0.1, 0.2], [0.3, -0.4]]));
 * assert.ok(report.ok);
 * assert.ok(report.maxAbsError < 1e-8);
 * assert.match(String(report), /^checkGrad passed/);
 * ```
 */
export function checkGrad(
  f: TensorFn,
  x: Tensor | Tensor[],
  opts: CheckGradOptions = {},
): GradCheckReport {
  checkOptions("checkGrad", opts, ["modes", "rtol", "atol", "eps"]);
  const { xs, many } = asArgs("checkGrad", x);
  const modes = opts.modes ?? ["fwd", "rev"];
  const rtol = opts.rtol ?? 1e-3, atol = opts.atol ?? 1e-5;
  if (
    !Array.isArray(modes) || modes.length === 0 ||
    modes.some((m) => m !== "fwd" && m !== "rev")
  ) {
    throw new ValueError(
      `checkGrad: modes must be a non-empty array of "fwd" and "rev", got ${describe(modes)}`,
    );
  }
  for (const [name, v] of [["rtol", rtol], ["atol", atol]] as const) {
    if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) {
      throw new ValueError(
        `checkGrad: ${name} must be a non-negative finite number, got ${describe(v)}`,
      );
    }
  }
  const numeric = finiteDifferences("checkGrad", f, xs, { eps: opts.eps }).jacobians;
  let maxAbs = 0, maxRel = 0, worstRatio = -1, ok = true;
  let worst: GradCheckWorst | null = null;
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
        if (!(err <= allowed)) ok = false;
        maxAbs = Math.max(maxAbs, err);
        maxRel = Math.max(maxRel, rel);
        if (ratio > worstRatio) {
          worstRatio = ratio;
          worst = { input: a, index: unravel(i, J.shape), analytic: an, numeric: nu, mode };
        }
      }
    });
  }
  const entries = numeric.reduce((p, J) => p + J.size, 0);
  const report = new GradCheckReport(ok, maxAbs, maxRel, worst, { modes, rtol, atol }, entries);
  report.multi = many;
  return report;
}

/**
 * Like {@linkcode checkGrad}, but throws a {@linkcode GradCheckError} (whose message is the
 * report) when any entry is out of tolerance. Returns the report when all pass.
 *
 * @example A wrong derivative is caught
 * ```ts
 * import { assertGrad, GradCheckError, sigmoid, stopGradient, mul, tensor } from "matcalc";
 * import assert from "@matcalc/assert";
 *
 * assertGrad(sigmoid, tensor([0.5, -1]));
 * // stopGradient hides the dependence on the first factor: the derivative is half the truth.
 * const wrong = (x: ReturnType<typeof tensor>) => mul(stopGradient(x), x);
 * assert.throws(() => assertGrad(wrong, tensor([1, 2])), GradCheckError);
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
