/**
 * @internal Splits the differential `dF` of a vector or matrix `F` into terms whose derivative has
 * a closed form, the shapes of order 3 and 4 that MatrixCalculus.org cannot display:
 *
 * | term           | vec, row-major ("C")   | vec, column-major ("F") | index form               |
 * |----------------|------------------------|-------------------------|--------------------------|
 * | `A dX B`       | `A ⊗ Bᵀ`               | `Bᵀ ⊗ A`                | `A_ik B_lj`              |
 * | `A dXᵀ B`      | `(A ⊗ Bᵀ) K`           | `(Bᵀ ⊗ A) K`            | `A_il B_kj`              |
 * | `H ⊙ dX`       | `diag(vec H)`          | `diag(vec H)`           | `H_ij δ_ik δ_jl`         |
 * | `B ⟨G, dX⟩`    | `vec B (vec G)ᵀ`       | `vec B (vec G)ᵀ`        | `B_ij G_kl`              |
 *
 * (K is the commutation matrix.) A term of any other form is kept as it is and evaluated by
 * applying the linear map to each basis matrix.
 *
 * @module
 */
import { call, div, type Expr, had, hasD, kindOf, mul, num, t } from "./expr.ts";
import { adjoint, NotIdentifiable } from "./adjoint.ts";
import { simplify } from "./simplify.ts";

/** One term of `dF`, in one of the four closed forms or kept opaque. */
export type LinearTerm =
  | {
    readonly form: "kron";
    readonly coef: Expr;
    readonly A?: Expr;
    readonly B?: Expr;
    readonly transposed: boolean;
  }
  | { readonly form: "hadamard"; readonly coef: Expr; readonly H: Expr }
  | { readonly form: "outer"; readonly coef: Expr; readonly B?: Expr; readonly G: Expr }
  | { readonly form: "opaque"; readonly expr: Expr };

interface Mono {
  coef: Expr[];
  chain: Expr[];
  fn?: Expr;
}

const chainKind = (chain: Expr[]) => (chain.length === 0 ? "scalar" : kindOf(mul(...chain)));

function monoExpr(m: Mono): Expr {
  const fs = [...m.coef, ...(m.fn ? [m.fn] : []), ...m.chain];
  return fs.length === 0 ? num(1) : mul(...fs);
}

function expand(e: Expr): Mono[] {
  if (!hasD(e)) {
    return kindOf(e) === "scalar" ? [{ coef: [e], chain: [] }] : [{ coef: [], chain: [e] }];
  }
  switch (e.op) {
    case "d":
      return [{ coef: [], chain: [e] }];
    case "add":
      return e.terms.flatMap(expand);
    case "neg":
      return expand(e.a).map((m) => ({ ...m, coef: [num(-1), ...m.coef] }));
    case "t":
      return expand(e.a).map((m) => ({ ...m, chain: [...m.chain].reverse().map(t) }));
    case "mul": {
      let acc: Mono[] = [{ coef: [], chain: [] }];
      for (const f of e.factors) {
        const fm = expand(f).map((m) =>
          // A scalar that carries dX inside a product is a functional ⟨G, dX⟩ times the rest.
          hasD(mul(...m.chain, num(1))) && chainKind(m.chain) === "scalar" && !m.fn
            ? { coef: m.coef, chain: [], fn: mul(...m.chain) }
            : m
        );
        acc = acc.flatMap((a) =>
          fm.map((b) => ({
            coef: [...a.coef, ...b.coef],
            chain: [...a.chain, ...b.chain],
            fn: a.fn ?? b.fn,
          }))
        );
      }
      return acc;
    }
    case "hadamard":
    case "div": {
      if (e.op === "div" && hasD(e.b)) return [{ coef: [], chain: [e] }];
      const [lin, other] = hasD(e.a) ? [e.a, e.b] : [e.b, e.a];
      if (e.op === "div" && kindOf(other) === "scalar") {
        return expand(lin).map((m) => ({ ...m, coef: [...m.coef, div(num(1), other)] }));
      }
      const H = e.op === "div" ? div(num(1), other) : other;
      return expand(lin).map((m) => {
        // For vectors, h ⊙ (M dx) = diag(h) M dx: the product stays a Kronecker term.
        if (kindOf(lin) === "vector" && kindOf(H) === "vector") {
          return { coef: m.coef, chain: [call("diag", H), ...m.chain], fn: m.fn };
        }
        if (m.chain.length === 1 && m.chain[0].op === "d" && !m.fn) {
          return { coef: m.coef, chain: [had(H, m.chain[0])] };
        }
        if (kindOf(lin) === "scalar" && kindOf(H) !== "scalar") {
          return { coef: m.coef, chain: [H], fn: m.fn ?? mul(...m.chain) };
        }
        return { coef: [], chain: [had(H, monoExpr(m))] };
      });
    }
    case "call":
      if (e.fn === "tr" || e.fn === "sum") return [{ coef: [], chain: [], fn: e }];
      return [{ coef: [], chain: [e] }];
    default:
      return [{ coef: [], chain: [e] }];
  }
}

const isD = (f: Expr) => f.op === "d" || (f.op === "t" && f.a.op === "d");

function classify(m: Mono): LinearTerm {
  const coef = simplify(m.coef.length === 0 ? num(1) : mul(...m.coef));
  if (m.fn) {
    if (m.chain.some(hasD)) return { form: "opaque", expr: monoExpr(m) };
    try {
      const G = simplify(adjoint(m.fn, num(1)));
      const B = m.chain.length === 0 ? undefined : simplify(mul(...m.chain));
      return { form: "outer", coef, B, G };
    } catch (err) {
      if (err instanceof NotIdentifiable) return { form: "opaque", expr: monoExpr(m) };
      throw err;
    }
  }
  const idx = m.chain.findIndex(hasD);
  const f = m.chain[idx];
  if (m.chain.length === 1 && f.op === "hadamard" && f.b.op === "d") {
    return { form: "hadamard", coef, H: simplify(f.a) };
  }
  if (isD(f) && m.chain.every((g, i) => i === idx || !hasD(g))) {
    const left = m.chain.slice(0, idx), right = m.chain.slice(idx + 1);
    return {
      form: "kron",
      coef,
      A: left.length ? simplify(mul(...left)) : undefined,
      B: right.length ? simplify(mul(...right)) : undefined,
      transposed: f.op === "t",
    };
  }
  return { form: "opaque", expr: monoExpr(m) };
}

/** The terms of the differential `dF` (linear in one differential). */
export function linearTerms(dF: Expr): LinearTerm[] {
  return expand(dF).map(classify);
}

/** Re-assembles a term as an expression of `dX`: the linear map it stands for. */
export function termExpr(term: LinearTerm, d: Expr): Expr {
  switch (term.form) {
    case "kron": {
      const D = term.transposed ? t(d) : d;
      return mul(term.coef, ...(term.A ? [term.A] : []), D, ...(term.B ? [term.B] : []));
    }
    case "hadamard":
      return mul(term.coef, had(term.H, d));
    case "outer": {
      const g = kindOf(term.G) === "matrix" ? call("tr", mul(t(term.G), d)) : mul(t(term.G), d);
      return mul(term.coef, ...(term.B ? [term.B] : []), g);
    }
    case "opaque":
      return term.expr;
  }
}
