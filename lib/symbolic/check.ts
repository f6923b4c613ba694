/**
 * @internal The report of `Derivation.check`: the symbolic derivative beside matcalc's autodiff
 * and central differences at the same point.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import { raw } from "../tensor.ts";

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = raw(a), y = raw(b);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return x.length === y.length ? m : Infinity;
}

function maxAbs(a: Tensor): number {
  return raw(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** The symbolic derivative compared with autodiff and finite differences at one point. */
export class SymbolicCheck {
  /** Largest absolute difference from autodiff. */
  readonly autodiffError: number;
  /** Largest absolute difference from central differences. */
  readonly numericalError: number;
  /** Whether both agree: autodiff to `1e-8`, central differences to `1e-5`, relative to the size of the values. */
  readonly ok: boolean;

  /** @internal `Derivation.check` builds the report. */
  constructor(
    /** The derivative written by the derivation, evaluated. */
    readonly symbolic: Tensor,
    /** matcalc's autodiff (`grad` for a scalar, `jacobian` otherwise). */
    readonly autodiff: Tensor,
    /** matcalc's `numericalJacobian`. */
    readonly numerical: Tensor,
    /** The derivative's name, for the report (`∂f/∂X`). */
    readonly label: string,
  ) {
    this.autodiffError = maxAbsDiff(symbolic, autodiff);
    this.numericalError = maxAbsDiff(symbolic, numerical);
    const scale = 1 + maxAbs(autodiff);
    this.ok = this.autodiffError <= 1e-8 * scale && this.numericalError <= 1e-5 * scale;
  }

  /** One line per reference: the largest difference and the verdict. */
  toString(): string {
    const e = (x: number) => x.toExponential(1);
    return `${this.label}, shape [${this.symbolic.shape.join(", ")}]: ` +
      `|symbolic − autodiff| ≤ ${e(this.autodiffError)}, ` +
      `|symbolic − finite differences| ≤ ${e(this.numericalError)}: ` +
      (this.ok ? "agree" : "DISAGREE");
  }

  /** Prints the report in the REPL. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Shows the report in Jupyter. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}
