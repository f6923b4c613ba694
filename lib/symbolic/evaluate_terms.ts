/**
 * @internal Evaluates a derivative of order 3 or 4 from its terms (see `linear_terms.ts`) as the
 * row-major vec-Jacobian `[size(F), size(X)]`, which a reshape turns into matcalc's
 * `[...F.shape, ...X.shape]`: `A dX B` is `kron(A, Bᵀ)`, `H ⊙ dX` is `diag(vec H)`, `B⟨G, dX⟩`
 * is `vec B (vec G)ᵀ`; any other term is probed with each basis matrix.
 *
 * @module
 */
import { Tensor } from "../tensor.ts";
import { eye, zeros } from "../creation.ts";
import { add } from "../ops/add.ts";
import { mul } from "../ops/mul.ts";
import { matmul } from "../ops/matmul.ts";
import { transpose } from "../ops/transpose.ts";
import { reshape } from "../ops/reshape.ts";
import { kron } from "../ops/kron.ts";
import { stack } from "../ops/slice.ts";
import type { Expr } from "./expr.ts";
import type { LinearTerm } from "./linear_terms.ts";
import { inferShapes } from "./shapes.ts";
import { type Compiled, compileExpr, unshare } from "./evaluate.ts";

/** Compiles one expression whose 2-D result shape is known. */
export function compileWithShape(
  e: Expr,
  known: ReadonlyMap<string, readonly [number, number]>,
  shape?: readonly [number, number],
): Compiled {
  const root = unshare(e);
  return compileExpr(root, inferShapes(root, known, shape));
}

/**
 * The vec-Jacobian of `terms` for an output of 2-D shape `[p, q]` and a variable `wrt` of 2-D
 * shape `[m, n]`.
 */
export function compileTerms(
  terms: readonly LinearTerm[],
  wrt: string,
  known: ReadonlyMap<string, readonly [number, number]>,
  [p, q]: readonly [number, number],
  [m, n]: readonly [number, number],
): Compiled {
  const pq = p * q, mn = m * n;
  const parts: Compiled[] = terms.map((term): Compiled => {
    switch (term.form) {
      case "kron": {
        const [r, c] = term.transposed ? [n, m] : [m, n];
        const coef = compileWithShape(term.coef, known);
        const Ir = eye(r), Ic = eye(c);
        const A = term.A ? compileWithShape(term.A, known, [p, r]) : () => Ir;
        const B = term.B ? compileWithShape(term.B, known, [c, q]) : () => Ic;
        return (env) => {
          let T = kron(A(env), transpose(B(env)));
          // Columns come as vec(dXᵀ); reorder them to vec(dX).
          if (term.transposed) T = reshape(transpose(reshape(T, [pq, n, m]), [0, 2, 1]), [pq, mn]);
          return mul(coef(env), T);
        };
      }
      case "hadamard": {
        const coef = compileWithShape(term.coef, known);
        const H = compileWithShape(term.H, known, [m, n]);
        const I = eye(mn);
        return (env) => {
          const h = H(env);
          return mul(coef(env), mul(I, h.rank === 0 ? h : reshape(h, [1, mn])));
        };
      }
      case "outer": {
        const coef = compileWithShape(term.coef, known);
        const B = term.B ? compileWithShape(term.B, known, [p, q]) : undefined;
        const G = compileWithShape(term.G, known, [m, n]);
        return (env) => {
          const g = reshape(G(env), [1, mn]);
          const b = B ? reshape(B(env), [pq, 1]) : reshape(coef(env), [1, 1]);
          return mul(coef(env), matmul(b, g));
        };
      }
      case "opaque": {
        const dname = `d${wrt}`;
        const withD = new Map(known);
        withD.set(wrt, [m, n]);
        const f = compileWithShape(term.expr, withD, [p, q]);
        const basis = Array.from({ length: mn }, (_, k) => {
          const E = new Float64Array(mn);
          E[k] = 1;
          return new Tensor(E, [m, n]);
        });
        return (env) => {
          const cols = basis.map((E) => {
            const e2 = new Map(env);
            e2.set(dname, E);
            return reshape(f(e2), [pq]);
          });
          return stack(cols, 1);
        };
      }
    }
  });
  const Z = zeros([pq, mn]);
  return (env) => parts.reduce((acc, f) => add(acc, f(env)), Z);
}
