/**
 * @internal The three ways a derivative of order 3 or 4 is shown: the Kronecker/vec matrix in
 * row-major ("C", matcalc's reshape) and column-major ("F", the textbooks') vec order, and index
 * notation, term by term (see `linear_terms.ts` for the table of forms).
 *
 * @module
 */
import { call, type Expr, EYE, type Kind, kindOf, mul, num, t } from "./expr.ts";
import type { LinearTerm } from "./linear_terms.ts";
import { simplify } from "./simplify.ts";
import { toLatex } from "./print_latex.ts";
import { toSource } from "./print_string.ts";

const dims = (
  k: Kind,
): [boolean, boolean] => [k === "matrix" || k === "vector", k === "matrix" || k === "row"];

/** The vec-Jacobian of one term as an expression (`K` stands for the commutation matrix). */
export function kronExpr(term: LinearTerm, order: "C" | "F", wrtKind: Kind): Expr | undefined {
  const K: Expr = { op: "var", name: "K", kind: "matrix" };
  const vecOf = (
    x: Expr,
  ) => (kindOf(x) === "matrix" ? call("vec", x) : kindOf(x) === "row" ? t(x) : x);
  switch (term.form) {
    case "kron": {
      // An absent factor is an identity; it is 1×1 on the side where the vector dX has length one.
      const dk = term.transposed ? (wrtKind === "vector" ? "row" : wrtKind) : wrtKind;
      const A = term.A ?? (dk === "row" || dk === "scalar" ? num(1) : EYE);
      const B = term.B ?? (dk === "vector" || dk === "scalar" ? num(1) : EYE);
      const core = order === "C" ? call("kron", A, t(B)) : call("kron", t(B), A);
      const withK = term.transposed && wrtKind === "matrix" ? mul(core, K) : core;
      return simplify(mul(term.coef, withK));
    }
    case "hadamard":
      return simplify(mul(term.coef, call("diag", vecOf(term.H))));
    case "outer":
      return simplify(mul(term.coef, term.B ? vecOf(term.B) : num(1), t(vecOf(term.G))));
    case "opaque":
      return undefined;
  }
}

/** The sum of the terms' vec-Jacobians as LaTeX, or undefined when a term has no closed form. */
export function kronLatex(
  terms: readonly LinearTerm[],
  order: "C" | "F",
  wrtKind: Kind,
): string | undefined {
  const parts = terms.map((x) => kronExpr(x, order, wrtKind));
  if (parts.some((p) => p === undefined)) return undefined;
  return parts.map((p, i) => {
    const s = toLatex(p!);
    return i === 0 ? s : s.startsWith("-") ? ` - ${s.slice(1)}` : ` + ${s}`;
  }).join("");
}

/** The same in the input syntax, when every term has a closed form without `K`. */
export function kronSource(terms: readonly LinearTerm[], wrtKind: Kind): string | undefined {
  const parts = terms.map((x) => kronExpr(x, "C", wrtKind));
  if (parts.some((p) => p === undefined || toSource(p).includes("K"))) return undefined;
  return parts.map((p, i) => {
    const s = toSource(p!);
    return i === 0 ? s : s.startsWith("-") ? ` - ${s.slice(1)}` : ` + ${s}`;
  }).join("");
}

/**
 * `∂F_ij/∂X_kl` in index notation: `i, j` index the output, `k, l` the variable; an index of a
 * length-one side is dropped (`∂y_i/∂W_kl = δ_ik x_l`).
 */
export function indexLatex(
  terms: readonly LinearTerm[],
  outKind: Kind,
  wrtKind: Kind,
  outName: string,
  wrtName: string,
): string | undefined {
  const [oi, oj] = dims(outKind), [wk, wl] = dims(wrtKind);
  const idx = (on: boolean, s: string) => (on ? s : "");
  const sub = (a: string, b: string) => (a + b === "" ? "" : `_{${a}${b}}`);
  const I = idx(oi, "i"), J = idx(oj, "j"), Kx = idx(wk, "k"), L = idx(wl, "l");
  const entry = (e: Expr, a: string, b: string) => {
    const s = toLatex(e);
    const body = /^[A-Za-z]$/.test(s) || /^\\[a-z]+$/.test(s) ? s : `\\left(${s}\\right)`;
    return a + b === "" ? body : `${body}${sub(a, b)}`;
  };
  const delta = (a: string, b: string) => (a && b ? `\\delta_{${a}${b}}` : "");
  const parts: string[] = [];
  for (const term of terms) {
    if (term.form === "opaque") return undefined;
    const coef = toLatex(term.coef);
    const c = coef === "1" ? "" : coef === "-1" ? "-" : `${coef}\\,`;
    let body: string;
    if (term.form === "kron") {
      // A dX B: A_ik B_lj; A dXᵀ B: A_il B_kj. Missing factors are identities.
      const [a2, b1] = term.transposed ? [L, Kx] : [Kx, L];
      const left = term.A ? entry(term.A, I, a2) : delta(I, a2);
      const right = term.B ? entry(term.B, b1, J) : delta(b1, J);
      body = [left, right].filter(Boolean).join("\\,") || "1";
    } else if (term.form === "hadamard") {
      body = [entry(term.H, I, J), delta(I, Kx), delta(J, L)].filter(Boolean).join("\\,");
    } else {
      body = [term.B ? entry(term.B, I, J) : "", entry(term.G, Kx, L)].filter(Boolean).join("\\,");
    }
    parts.push(c + body);
  }
  const lhs = `\\frac{\\partial ${outName}${sub(I, J)}}{\\partial ${wrtName}${sub(Kx, L)}}`;
  const rhs = parts.map((p, i) => (i === 0 || p.startsWith("-") ? p : `+ ${p}`)).join(" ");
  return `${lhs} = ${rhs}`;
}
