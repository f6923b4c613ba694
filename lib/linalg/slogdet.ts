import { bind, type Primitive } from "../ad/node.ts";
import { ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { mul } from "../ops/mul.ts";
import { sum } from "../ops/sum.ts";
import type { Operand } from "../ops/operand.ts";
import { batched, mT, squareInput } from "./common.ts";
import { inv2d } from "./inv.ts";
import { kernels } from "./kernels.ts";
import { inspectRecord } from "./result.ts";

/**
 * `log |det A|` of one matrix: `d log|det A| = tr(A⁻¹ dA)`, gradient `A⁻ᵀ` (traced `inv`, so
 * the Hessian `−A⁻ᵀ dAᵀ A⁻ᵀ` follows). At a singular matrix the value is `−Infinity` and the
 * derivative does not exist: `inv` raises its singular-matrix error, naming `slogdet`.
 */
const logAbsDetPrim: Primitive<{ op: string }> = {
  name: "logabsdet",
  forward: ([a]) => new Tensor(Float64Array.of(kernels().lu(raw(a), a.shape[0]).logAbsDet), []),
  vjp: (g, [a], _out, { op }) => [mul(g, mT(inv2d(a, op)))],
  jvp: ([da], [a], _out, { op }) => sum(mul(mT(inv2d(a, op)), da)),
};

/** `sign(det A)` of one matrix: piecewise constant, so it is not traced. */
function signOf(a: Tensor): Tensor {
  return new Tensor(Float64Array.of(kernels().lu(raw(a), a.shape[0]).sign), []);
}

/**
 * What {@linkcode slogdet} returns: `det A = sign · exp(logabsdet)`. It prints as
 * `SlogdetResult { sign: …, logabsdet: … }` and destructures like NumPy's named tuple.
 */
export class SlogdetResult {
  /** `sign(det A)`: 1, −1 or 0 (a constant: it has no derivative). */
  readonly sign: Tensor;
  /** `log |det A|` (`−Infinity` for a singular matrix); differentiable. */
  readonly logabsdet: Tensor;
  /** Pairs the two results. */
  constructor(sign: Tensor, logabsdet: Tensor) {
    this.sign = sign;
    this.logabsdet = logabsdet;
  }

  /** Prints the record with each tensor's rows aligned (REPL, `console.log`). */
  [Symbol.for("Deno.customInspect")](
    _inspect?: unknown,
    options?: { indentationLvl?: number },
  ): string {
    return inspectRecord(options?.indentationLvl ?? 0, "SlogdetResult", {
      sign: this.sign,
      logabsdet: this.logabsdet,
    });
  }
}

/**
 * The sign and the natural log of the absolute value of the determinant, like
 * `numpy.linalg.slogdet`: `det A = sign · exp(logabsdet)` without overflow. A stack
 * `[..., n, n]` gives one of each per matrix. At a singular matrix `sign` is 0 and `logabsdet`
 * is `−Infinity` (as NumPy).
 *
 * Derivative: `∂ log|det A| / ∂A = A⁻ᵀ`; `sign` is treated as a constant. Differentiating at a
 * singular matrix raises the singular-matrix `ValueError` (the derivative does not exist).
 *
 * @example log |det A| and its gradient A⁻ᵀ
 * ```ts
 * import { assertAllClose, grad, inv, slogdet, tensor, transpose } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * const { sign, logabsdet } = slogdet(A);
 * assertEquals(sign.item(), -1);
 * assertAlmostEquals(logabsdet.item(), Math.log(2), 1e-15);
 * assertAllClose(grad((A) => slogdet(A).logabsdet, A), transpose(inv(A)));
 * ```
 */
export function slogdet(A: Operand): SlogdetResult {
  const a = squareInput("slogdet", A, true);
  return new SlogdetResult(
    batched(a, signOf),
    batched(a, (m) => bind(logAbsDetPrim, [m], { op: "slogdet" })),
  );
}

/**
 * `log det A` for a matrix with positive determinant (a covariance, a Gram matrix, a Jacobian
 * of an orientation-preserving map), computed as {@linkcode slogdet} without overflow. A stack
 * `[..., n, n]` gives one value per matrix.
 *
 * A determinant ≤ 0 raises a `ValueError` naming it (NumPy's `log(det(A))` would give NaN or
 * `−Infinity`); use `slogdet` when the sign can be negative.
 *
 * Derivative: `∂ log det A / ∂A = A⁻ᵀ`.
 *
 * @example ∂ log det X = X⁻ᵀ
 * ```ts
 * import { assertAllClose, grad, inv, logdet, tensor, transpose } from "matcalc";
 * import { assertAlmostEquals, assertThrows } from "@std/assert";
 *
 * const X = tensor([[2, 1], [1, 3]]);
 * assertAlmostEquals(logdet(X).item(), Math.log(5), 1e-15);
 * assertAllClose(grad(logdet, X), transpose(inv(X)));
 * assertThrows(() => logdet(tensor([[0, 1], [1, 0]])), Error, "det A = -1");
 * ```
 */
export function logdet(A: Operand): Tensor {
  const a = squareInput("logdet", A, true);
  return batched(a, (m, where) => {
    const lu = kernels().lu(raw(m), m.shape[0]);
    if (lu.sign <= 0) {
      const value = lu.sign === 0 ? "0" : `${-Number(Math.exp(lu.logAbsDet).toPrecision(6))}`;
      throw new ValueError(
        `logdet: the determinant of the ${a.rank === 2 ? "" : "matrix" + where + " of the "}` +
          `[${a.shape.join(", ")}] input is not positive (det A = ${value}); logdet needs ` +
          `det A > 0; use slogdet(A) for the sign and log |det A|`,
      );
    }
    return bind(logAbsDetPrim, [m], { op: "logdet" });
  });
}
