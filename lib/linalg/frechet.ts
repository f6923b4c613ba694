import { describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { asTensor, type Operand } from "../ops/operand.ts";
import { concat, slice } from "../ops/slice.ts";

/**
 * The Fréchet derivative `L_f(A, E)` of a matrix function `f` at `A` in the direction `E`: the
 * linear part of `f(A + E) − f(A)`, read off the block identity
 * `f([[A, E], [0, A]]) = [[f(A), L_f(A, E)], [0, f(A)]]` (Higham, "Functions of Matrices",
 * 2008, Theorem 3.6 / §3.2): the top-right `n × n` block of `f` at a `2n × 2n` matrix.
 *
 * `f` must be a primary matrix function, one that is a power series (or limit of polynomials)
 * in its argument: {@linkcode expm}, {@linkcode matrixPower}, {@linkcode inv}, `A ↦ A³ − 2A`,
 * `A ↦ matmul(A, A)`. For anything else the identity fails (`transpose`, elementwise `sin`, a
 * function with a constant matrix such as `A ↦ B A`); use {@linkcode jvp} there.
 *
 * Built from differentiable ops, so it can be differentiated again (the second Fréchet
 * derivative), and it agrees with `jvp(f, A, E)` for every primary `f`.
 *
 * @example `f(A) = A²` has `L(A, E) = A E + E A`; expm against jvp
 * ```ts
 * import { add, assertAllClose, expm, frechet, jvp, matmul, randn } from "matcalc";
 *
 * const A = randn([3, 3], { seed: 1 }), E = randn([3, 3], { seed: 2 });
 * const L = frechet((X) => matmul(X, X), A, E);
 * assertAllClose(L, add(matmul(A, E), matmul(E, A)));
 * assertAllClose(frechet(expm, A, E), jvp(expm, [A], [E])[1]);
 * ```
 */
export function frechet(f: (A: Tensor) => Tensor, A: Operand, E: Operand): Tensor {
  if (typeof f !== "function") {
    throw new ValueError(
      `frechet: f must be a function of a matrix, got ${
        describeValue(f)
      }; e.g. frechet(expm, A, E)`,
    );
  }
  const a = asTensor("frechet", A, "A"), e = asTensor("frechet", E, "E");
  if (a.rank !== 2 || a.shape[0] !== a.shape[1]) {
    throw new ShapeError(
      `frechet: A must be a square matrix [n, n], got shape ${fmtShape(a.shape)}`,
    );
  }
  if (e.rank !== 2 || e.shape[0] !== a.shape[0] || e.shape[1] !== a.shape[1]) {
    throw new ShapeError(
      `frechet: E must have the shape of A, ${fmtShape(a.shape)}, got ${fmtShape(e.shape)}`,
    );
  }
  const n = a.shape[0];
  const M = concat([concat([a, e], 1), concat([zeros([n, n]), a], 1)], 0);
  const F = f(M);
  if (F.rank !== 2 || F.shape[0] !== 2 * n || F.shape[1] !== 2 * n) {
    throw new ShapeError(
      `frechet: f must map a [${2 * n}, ${2 * n}] matrix to one of the same shape, got ` +
        `${fmtShape(F.shape)}; f must be a matrix function such as expm or matrixPower`,
    );
  }
  return slice(F, [0, n], [n, 2 * n]);
}
