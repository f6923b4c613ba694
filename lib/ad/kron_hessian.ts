/**
 * Hessians with Kronecker structure. The loss `L(W) = ½‖W X − Y‖²_F` (`W: [m, n]`, samples in
 * the columns of `X: [n, N]`, or one sample `x: [n]`) is quadratic in `W`, and its Hessian, the
 * linear map `ΔW ↦ ΔW X Xᵀ`, has `m²n²` dense entries but two factors:
 *
 * - vec form (columns stacked, `vec(A V B) = (Bᵀ ⊗ A) vec V`): `H = (X Xᵀ) ⊗ I_m`;
 * - row-major form (matcalc's dense `[m, n, m, n]` reshaped to `[mn, mn]`): `I_m ⊗ X Xᵀ`.
 *
 * Newton's step solves `H[ΔW] = G`, i.e. `ΔW (X Xᵀ) = G`: one `n × n` solve, never the
 * `mn × mn` matrix.
 *
 * @module
 */
import { checkOptions, fmtShape, ShapeError, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { eye } from "../creation.ts";
import { add } from "../ops/add.ts";
import { matmul } from "../ops/matmul.ts";
import { mul } from "../ops/mul.ts";
import { asTensor } from "../ops/operand.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { solve } from "../linalg/solve.ts";
import { KronJacobian } from "./structured.ts";

/**
 * A Hessian (or any square linear map `V ↦ A V B` on matrices) kept as its Kronecker factors,
 * with {@linkcode KronHessian.solve} for Newton's method. Build the least-squares one with
 * {@linkcode leastSquaresHessian}.
 */
export class KronHessian extends KronJacobian {
  readonly #label: string;
  /** Prefer {@linkcode leastSquaresHessian}. */
  constructor(left: Tensor | number, right: Tensor | number, label: string) {
    super(left, right, { names: ["A", label] });
    this.#label = label;
  }

  /** The row-major form, e.g. `I₂ ⊗ XXᵀ` (the right factor is symmetric here). */
  override describe(): string {
    return super.describe().replace(`${this.#label}ᵀ`, this.#label);
  }

  /** The formula, the vec form `(XXᵀ) ⊗ I₂`, the dense shape and its cost. */
  override toString(): string {
    const [, vecForm] = super.toString().split("; vec form ");
    const head = super.toString().split("; vec form ")[0].replace(`${this.#label}ᵀ`, this.#label);
    return `${head}; vec form ${vecForm.replace(`${this.#label}ᵀ`, `(${this.#label})`)}`;
  }

  /**
   * The `V` with `H[V] = G` (with `damping` λ: `H[V] + λV = G`, Levenberg–Marquardt), by two
   * small solves `A⁻¹ G B⁻¹` instead of one with the `mn × mn` matrix. Differentiable in `G`
   * and in the factors. Throws the `solve` error naming the condition number when a factor is
   * singular (for least squares: fewer independent samples than features; add damping).
   */
  solve(G: Tensor, opts: { damping?: number } = {}): Tensor {
    checkOptions("KronHessian.solve", opts, ["damping"]);
    const g = asTensor("KronHessian.solve", G, "G");
    if (g.shape.length !== this.outShape.length || g.shape.some((d, i) => d !== this.outShape[i])) {
      throw new ShapeError(
        `KronHessian.solve: G must have the shape ${fmtShape(this.outShape)} of the Hessian's ` +
          `input, got ${fmtShape(g.shape)}`,
      );
    }
    const lambda = opts.damping ?? 0;
    if (typeof lambda !== "number" || !(lambda >= 0) || !Number.isFinite(lambda)) {
      throw new ValueError(
        `KronHessian.solve: damping must be a non-negative number, got ${String(lambda)}`,
      );
    }
    const [p, q] = [this.inShape[0], this.inShape.length > 1 ? this.inShape[1] : 1];
    let r = reshape(g, [p, q]);
    const A = this.left, B = this.right;
    if (lambda !== 0 && A !== null && B !== null) {
      throw new ValueError(
        "KronHessian.solve: damping needs one identity factor (A ⊗ B + λI has no two-factor solve)",
      );
    }
    if (A !== null) r = solve(lambda ? add(A, mul(lambda, eye(p))) : A, r);
    if (B !== null) {
      const Bd = lambda ? add(B, mul(lambda, eye(q))) : B;
      r = transpose(solve(transpose(Bd), transpose(r)));
    }
    if (A === null && B === null && lambda) r = mul(1 / (1 + lambda), r);
    return reshape(r, this.inShape);
  }
}

/**
 * The Hessian of `L(W) = ½‖W X − Y‖²_F` with respect to `W: [m, n]` (for any `Y`), kept as its
 * Kronecker factors: the map `ΔW ↦ ΔW X Xᵀ`, vec form `(X Xᵀ) ⊗ I_m`, row-major form
 * `I_m ⊗ X Xᵀ`. `X` is `[n, N]` (samples in columns) or one sample `x: [n]` (then `x xᵀ`).
 * Pass `W` (its shape is read) or its row count `m`.
 *
 * `H.materialize()` equals `hessian(L, W)` (shape `[m, n, m, n]`), `H.toVecMatrix()` equals
 * `kron(X Xᵀ, eye(m))`, and `H.solve(G)` is Newton's step without either.
 *
 * @example One Newton step lands on the least-squares optimum
 * ```ts
 * import {
 *   assertAllClose, eye, grad, hessian, kron, leastSquaresHessian, matmul, mul, outer, randn, square,
 *   sub, sum, transpose,
 * } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const X = randn([3, 5], { seed: 1 }), Y = randn([2, 5], { seed: 2 });
 * const L = (W: typeof X) => mul(0.5, sum(square(sub(matmul(W, X), Y))));
 * const W0 = randn([2, 3], { seed: 3 });
 * const H = leastSquaresHessian(W0, X);
 * assertEquals(H.describe(), "I₂ ⊗ XXᵀ");
 * assertAllClose(H.materialize(), hessian(L, W0));
 * assertAllClose(H.toVecMatrix(), kron(matmul(X, transpose(X)), eye(2)));
 * const W1 = sub(W0, H.solve(grad(L, W0)));
 * assertAllClose(grad(L, W1), [[0, 0, 0], [0, 0, 0]], { atol: 1e-12 });
 * ```
 */
export function leastSquaresHessian(W: Tensor | number, X: Tensor): KronHessian {
  const op = "leastSquaresHessian";
  const x = asTensor(op, X, "X");
  if (x.rank !== 1 && x.rank !== 2) {
    throw new ShapeError(
      `${op}: X must be a sample [n] or samples in columns [n, N], got ${fmtShape(x.shape)}`,
    );
  }
  const n = x.shape[0];
  let m: number;
  if (typeof W === "number") {
    if (!Number.isInteger(W) || W < 0) {
      throw new ValueError(`${op}: the row count m of W must be a non-negative integer, got ${W}`);
    }
    m = W;
  } else {
    const w = asTensor(op, W, "W");
    if (w.rank !== 2 || w.shape[1] !== n) {
      throw new ShapeError(
        `${op}: W must be a matrix [m, ${n}] to multiply X ${fmtShape(x.shape)}, got ` +
          `${fmtShape(w.shape)}`,
      );
    }
    m = w.shape[0];
  }
  const x2 = x.rank === 1 ? reshape(x, [n, 1]) : x;
  const gram = matmul(x2, transpose(x2));
  return new KronHessian(m, gram, x.rank === 1 ? "xxᵀ" : "XXᵀ");
}
