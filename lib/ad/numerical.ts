/**
 * Finite-difference derivatives, the reference that autodiff is checked against.
 *
 * Step size: central differences `(f(x + h) − f(x − h)) / 2h` have truncation error
 * `≈ h²·|f'''|/6` and rounding error `≈ ε·|f|/h` (ε = 2⁻⁵² for float64). Their sum is smallest
 * at `h ∝ ε^(1/3)`, so the default step is `h = ∛ε · max(1, |xᵢ|) ≈ 6.06e-6 · max(1, |xᵢ|)`,
 * scaled with `|xᵢ|` because the spacing of floats grows with the magnitude. The total error is
 * then `≈ ε^(2/3) ≈ 4e-11` relative for a smooth `f` with derivatives of order one, well inside
 * `checkGrad`'s tolerances. The divisor is the step actually taken, `(x + h) − (x − h)`
 * computed in floating point, which removes the representation error of `x ± h`.
 */
import { allocate } from "../alloc.ts";
import { checkOptions, describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { asArgs } from "./args.ts";
import { callWithArityHint, checkArity, checkFunction } from "./engine.ts";
import { checkDenseBudget } from "./budget.ts";
import type { TensorFn } from "./grad.ts";

/** Options for {@linkcode numericalJacobian} and {@linkcode numericalGrad}. */
export interface NumericalOptions {
  /**
   * The relative step: `h = eps · max(1, |xᵢ|)`. Default `∛(2⁻⁵²) ≈ 6.06e-6`, which balances
   * truncation and rounding error for float64 central differences.
   */
  eps?: number;
}

/** The default relative step of {@linkcode numericalJacobian}: `∛ε` for float64, ≈ 6.06e-6. */
export const DEFAULT_FD_EPS: number = Math.cbrt(Number.EPSILON);

/**
 * The Jacobian of `f` at `x` by central differences, with the shape convention of
 * {@linkcode jacobian}: `[...f(x).shape, ...x.shape]`. Costs `2·x.size + 1` evaluations of `f`.
 * Pass an array `[W, b]` for several inputs (an array of Jacobians comes back).
 *
 * Throws a ValueError when `x`, `f(x)` or `f(x ± h)` is not finite: a difference of infinities
 * is no derivative, and a silent `NaN` would make a check pass or fail for the wrong reason.
 *
 * @example Agrees with `jacobian` to about 1e-10
 * ```ts
 * import { jacobian, numericalJacobian, tanh, tensor } from "matcalc";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const x = tensor([0.5, -1]);
 * const J = jacobian(tanh, x), N = numericalJacobian(tanh, x);
 * assertEquals(N.shape, [2, 2]);
 * for (let i = 0; i < 2; i++) assert(Math.abs(J.at(i, i) - N.at(i, i)) < 1e-9);
 * ```
 */
export function numericalJacobian(f: TensorFn, x: Tensor, opts?: NumericalOptions): Tensor;
/** With an array `[W, b]`, one result per input, in order. */
export function numericalJacobian(f: TensorFn, x: Tensor[], opts?: NumericalOptions): Tensor[];
export function numericalJacobian(
  f: TensorFn,
  x: Tensor | Tensor[],
  opts: NumericalOptions = {},
): Tensor | Tensor[] {
  checkOptions("numericalJacobian", opts, ["eps"]);
  const { xs, many } = asArgs("numericalJacobian", x);
  const Js = finiteDifferences("numericalJacobian", f, xs, opts).jacobians;
  return many ? Js : Js[0];
}

/**
 * The gradient of a scalar-valued `f` at `x` by central differences: shape of `x`, like
 * {@linkcode grad}. See {@linkcode numericalJacobian} for the step size and the errors.
 *
 * @example
 * ```ts
 * import { numericalGrad, square, sum, tensor } from "matcalc";
 * import { assert } from "@std/assert";
 *
 * const g = numericalGrad((x) => sum(square(x)), tensor([3, 4]));
 * assert(Math.abs(g.at(0) - 6) < 1e-8 && Math.abs(g.at(1) - 8) < 1e-8);
 * ```
 */
export function numericalGrad(f: TensorFn, x: Tensor, opts?: NumericalOptions): Tensor;
/** With an array `[W, b]`, one result per input, in order. */
export function numericalGrad(f: TensorFn, x: Tensor[], opts?: NumericalOptions): Tensor[];
export function numericalGrad(
  f: TensorFn,
  x: Tensor | Tensor[],
  opts: NumericalOptions = {},
): Tensor | Tensor[] {
  checkOptions("numericalGrad", opts, ["eps"]);
  const { xs, many } = asArgs("numericalGrad", x);
  const { jacobians } = finiteDifferences("numericalGrad", f, xs, opts, true);
  const gs = jacobians.map((J, a) => new Tensor(raw(J), xs[a].shape));
  return many ? gs : gs[0];
}

/** @internal Central differences of `f` at `xs`; `op` names the caller in error messages. */
export function finiteDifferences(
  op: string,
  f: TensorFn,
  xs: readonly Tensor[],
  opts: NumericalOptions,
  scalar = false,
): { jacobians: Tensor[]; out: Tensor } {
  checkFunction(op, f);
  checkArity(op, f, xs.length);
  const eps = opts.eps ?? DEFAULT_FD_EPS;
  if (typeof eps !== "number" || !(eps > 0) || !Number.isFinite(eps)) {
    throw new ValueError(
      `${op}: eps must be a positive finite number, got ${describeValue(eps)}; the default ` +
        `∛ε ≈ 6.06e-6 suits float64`,
    );
  }
  const base = xs.map((x) => new Tensor(raw(x).slice(), x.shape));
  base.forEach((x, a) => {
    const bad = firstNonFinite(raw(x));
    if (bad >= 0) {
      throw new ValueError(
        `${op}: ${argName(xs, a)} has a non-finite value ${raw(x)[bad]} at index ` +
          `${fmtShape(unravel(bad, x.shape))}; derivatives can only be checked at finite inputs`,
      );
    }
  });
  const call = (args: Tensor[]): Tensor => {
    const y = callWithArityHint(op, f, args);
    if (!(y instanceof Tensor)) {
      throw new ValueError(
        `${op}: the function must return a Tensor, got ${describeValue(y)}; ` +
          `wrap numbers with tensor(…) or return a matcalc op's result`,
      );
    }
    return y;
  };
  const out = call(base);
  if (scalar && out.size !== 1) {
    throw new ShapeError(
      `${op}: f must return a scalar, got shape ${fmtShape(out.shape)}; ` +
        `use numericalJacobian(f, x) for the full derivative, or differentiate sum(f(x))`,
    );
  }
  const bad = firstNonFinite(raw(out));
  if (bad >= 0) {
    throw new ValueError(
      `${op}: f(x) has a non-finite value ${raw(out)[bad]} at index ` +
        `${fmtShape(unravel(bad, out.shape))}; its derivative cannot be checked there: pick an x ` +
        `where f is finite (e.g. away from log(0) or a division by 0)`,
    );
  }
  const M = out.size;
  const jacobians = base.map((x, a) => {
    const shape = [...out.shape, ...x.shape];
    checkDenseBudget(op, shape, "the finite-difference Jacobian");
    const N = x.size;
    const J = allocate(op, shape);
    const X = raw(x);
    for (let j = 0; j < N; j++) {
      const xj = X[j];
      const h = eps * Math.max(1, Math.abs(xj));
      const plus = xj + h, minus = xj - h;
      const shifted = (v: number): Float64Array => {
        const d = X.slice();
        d[j] = v;
        const args = base.slice();
        args[a] = new Tensor(d, x.shape);
        const y = raw(call(args));
        const k = firstNonFinite(y);
        if (k >= 0) {
          throw new ValueError(
            `${op}: f is not finite next to x: moving ${argName(xs, a)}` +
              `${fmtShape(unravel(j, x.shape))} from ${xj} to ${v} gives ${y[k]} at output index ` +
              `${fmtShape(unravel(k, out.shape))}; x is at or next to a point where f is ` +
              `undefined (log(0), division by 0, …): move x away from it`,
          );
        }
        return y;
      };
      const yp = shifted(plus), ym = shifted(minus);
      const width = plus - minus;
      for (let i = 0; i < M; i++) J[i * N + j] = (yp[i] - ym[i]) / width;
    }
    return new Tensor(J, shape);
  });
  return { jacobians, out: new Tensor(raw(out), out.shape) };
}

function argName(xs: readonly Tensor[], a: number): string {
  return xs.length === 1 ? "x" : `argument ${a}`;
}

function firstNonFinite(d: Float64Array): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return i;
  return -1;
}

/** @internal The multi-index of flat position `flat` in a row-major `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = flat % shape[k];
    flat = Math.floor(flat / shape[k]);
  }
  return idx;
}
