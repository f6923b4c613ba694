/**
 * `derive`: symbolic matrix calculus in MatrixCalculus.org's syntax, derived by differentials and
 * shown step by step.
 *
 * @module
 */
import { ValueError } from "../errors.ts";
import { add, type Expr, hasD, type Kind, kindOf, mapD, num, t, variables } from "./expr.ts";
import { defaultKind, parse, type Types } from "./parser.ts";
import { differential, type RuleApplication } from "./differential.ts";
import { simplify } from "./simplify.ts";
import { adjoint, NotIdentifiable } from "./adjoint.ts";
import { type LinearTerm, linearTerms } from "./linear_terms.ts";
import { indexLatex, kronExpr, kronLatex, kronSource } from "./tensor_forms.ts";
import { latexName, toLatex } from "./print_latex.ts";
import { toSource } from "./print_string.ts";
import { Derivation, type DerivationStep } from "./derivation.ts";

/** Options of {@linkcode derive}. */
export interface DeriveOptions {
  /**
   * Kinds of names that do not follow the first-letter rule (a–g scalars, h–z vectors, A–Z
   * matrices), e.g. `{ W: "matrix", b: "vector" }`.
   */
  types?: Types;
  /** The name of the expression in the steps (default `"f"`), e.g. `"y"` or `"L"`. */
  name?: string;
}

const frac = (f: string, x: string) => `\\frac{\\partial ${f}}{\\partial ${x}}`;

/**
 * Differentiates `expression` with respect to the variable `wrt`, by differentials (the Matrix
 * Cookbook's chapter 2 rules), and reads the derivative off: `dL = tr(Aᵀ dX)` gives
 * `∂L/∂X = A`. Orders 3 and 4 (`∂(Wx)/∂W`, `∂X⁻¹/∂X`) come as the linear map `dX ↦ dF`, the
 * Kronecker/vec matrix in both vec orders, and index notation.
 *
 * Syntax (MatrixCalculus.org's): a–g are scalars, h–z vectors, A–Z matrices (override with
 * `types`); `'` transposes; `*` is the matrix or scalar product; `.*`, `./`, `.^` act
 * elementwise; `^` is an integer matrix power; functions tr, det, logdet, inv, log, exp, sin, cos,
 * tanh, sqrt, abs, sign, sum, norm1, norm2 (Euclidean/Frobenius), diag, vec, kron; `eye` is the
 * identity, `vector(1)` and `matrix(1)` are all ones.
 *
 * @example The Cookbook's results
 * ```ts
 * import { derive } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(derive("tr(A*X*B)", "X").toString(), "A'*B'");
 * assertEquals(derive("x'*A*x", "x").toString(), "(A + A')*x");
 * assertEquals(derive("det(X)", "X").toString(), "det(X)*inv(X)'");
 * assertEquals(derive("W*x", "W").toString(), "kron(eye, x')"); // I ⊗ xᵀ
 * // A Hessian: derive the gradient again.
 * assertEquals(derive(derive("x'*A*x", "x").toString(), "x").toString(), "A + A'");
 * ```
 *
 * @example Steps, each with its rule
 * ```ts
 * import { derive } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const d = derive("logdet(X)", "X");
 * assertEquals(d.steps.map((s) => s.rule), [
 *   "expression", "log-determinant", "collect terms", "identification", "gradient",
 * ]);
 * assertEquals(d.latex, "\\frac{\\partial f}{\\partial X} = X^{-\\top}");
 * ```
 */
export function derive(expression: string, wrt: string, options: DeriveOptions = {}): Derivation {
  if (options === null || typeof options !== "object") {
    throw new ValueError(`derive: options must be an object, got ${String(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (k !== "types" && k !== "name") {
      throw new ValueError(`derive: unknown option ${JSON.stringify(k)}; use types or name`);
    }
  }
  if (typeof wrt !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(wrt)) {
    throw new ValueError(
      `derive: wrt must be a variable name such as "x" or "W", got ${JSON.stringify(wrt)}`,
    );
  }
  const types = options.types ?? {};
  const name = options.name ?? "f";
  const expr = parse(expression, types);
  const vars = variables(expr);
  const wrtKind: Kind = vars.get(wrt) ??
    (Object.hasOwn(types, wrt) ? types[wrt] : defaultKind(wrt));
  const outKind = kindOf(expr);
  const F = latexName(name), X = latexName(wrt), dX = `\\mathrm{d}${X}`;

  const steps: DerivationStep[] = [
    { rule: "expression", latex: `${F} = ${toLatex(expr)}`, text: `${name} = ${toSource(expr)}` },
  ];
  const apps: RuleApplication[] = [];
  const dF = simplify(differential(expr, wrt, wrtKind, apps));
  const seen = new Set<string>();
  for (const a of apps) {
    const r = simplify(a.result);
    const latex = `\\mathrm{d}\\left(${toLatex(a.node)}\\right) = ${toLatex(r)}`;
    const text = `d(${toSource(a.node)}) = ${toSource(r)}`;
    if (!seen.has(latex)) steps.push({ rule: a.rule, latex, text });
    seen.add(latex);
  }
  steps.push({
    rule: "collect terms",
    latex: `\\mathrm{d}${F} = ${toLatex(dF)}`,
    text: `d${name} = ${toSource(dF)}`,
  });

  const linearMap = `${dX} \\mapsto ${toLatex(dF)}`;
  const base = {
    source: expression,
    expr,
    wrt,
    wrtKind,
    outKind,
    name,
    differential: dF,
    linearMap,
  };

  if (!hasD(dF) || wrtKind === "scalar") {
    const result = simplify(mapD(dF, () => num(1)));
    const latex = `${frac(F, X)} = ${toLatex(result)}`;
    steps.push({
      rule: `divide by d${wrt}`,
      latex,
      text: `∂${name}/∂${wrt} = ${toSource(result)}`,
    });
    return new Derivation({ ...base, result, terms: [], steps, latex, text: toSource(result) });
  }

  if (outKind === "scalar") {
    try {
      const G = simplify(adjoint(dF, num(1)));
      const pairing = wrtKind === "matrix"
        ? `\\operatorname{tr}\\left(${wrapT(G)}\\,${dX}\\right)`
        : `${wrapT(G)}\\,${dX}`;
      const Gt = G.op === "add" ? `(${toSource(G)})'` : toSource(simplify(t(G)));
      steps.push({
        rule: "identification",
        latex: `\\mathrm{d}${F} = ${pairing}`,
        text: `d${name} = ` + (wrtKind === "matrix" ? `tr(${Gt}*d${wrt})` : `${Gt}*d${wrt}`),
      });
      const latex = `${frac(F, X)} = ${toLatex(G)}`;
      steps.push({ rule: "gradient", latex, text: `∂${name}/∂${wrt} = ${toSource(G)}` });
      return new Derivation({ ...base, result: G, terms: [], steps, latex, text: toSource(G) });
    } catch (err) {
      if (!(err instanceof NotIdentifiable)) throw err;
    }
  }

  const terms = linearTerms(dF);
  if (wrtKind === "vector" && outKind !== "matrix" && outKind !== "scalar") {
    const parts = terms.map((x) => kronExpr(x, "C", wrtKind));
    if (parts.every((p) => p !== undefined)) {
      const J = simplify(parts.length === 1 ? parts[0]! : add(...(parts as Expr[])));
      const Jtext = J.op === "add" ? `(${toSource(J)})` : toSource(J);
      steps.push({
        rule: "identification",
        latex: `\\mathrm{d}${F} = ${wrapJ(J)}\\,${dX}`,
        text: `d${name} = ${Jtext}*d${wrt}`,
      });
      const latex = `${frac(F, X)} = ${toLatex(J)}`;
      steps.push({ rule: "Jacobian", latex, text: `∂${name}/∂${wrt} = ${toSource(J)}` });
      return new Derivation({ ...base, result: J, terms, steps, latex, text: toSource(J) });
    }
  }

  // Order 3 or 4 (or a form without a closed expression): the map, both vec orders, indices.
  steps.push({ rule: "linear map", latex: linearMap, text: `d${wrt} -> ${toSource(dF)}` });
  const vecF = `\\operatorname{vec}${F}`, vecX = `\\operatorname{vec}${X}`;
  const kronC = kronLatex(terms, "C", wrtKind), kronF = kronLatex(terms, "F", wrtKind);
  if (kronC !== undefined) {
    steps.push({
      rule: "vec, row-major",
      latex: `${frac(vecF, vecX)} = ${kronC}`,
      text: `∂vec(${name})/∂vec(${wrt}) = ${kronText(terms, "C", wrtKind)}`,
    });
  }
  if (kronF !== undefined) {
    steps.push({
      rule: "vec, column-major",
      latex: `${frac(vecF, vecX)} = ${kronF}`,
      text: `∂vec(${name})/∂vec(${wrt}) = ${kronText(terms, "F", wrtKind)}`,
    });
  }
  const index = indexLatex(terms, outKind, wrtKind, F, X);
  if (index !== undefined) steps.push({ rule: "index notation", latex: index, text: index });
  const latex = kronC !== undefined ? `${frac(vecF, vecX)} = ${kronC}` : linearMap;
  const text = kronSource(terms, wrtKind) ?? `d${wrt} -> ${toSource(dF)}`;
  return new Derivation({ ...base, terms, steps, latex, text, kronC, kronF, index });
}

function kronText(terms: readonly LinearTerm[], order: "C" | "F", wrtKind: Kind): string {
  return terms.map((x, i) => {
    const s = toSource(kronExpr(x, order, wrtKind)!);
    return i === 0 ? s : s.startsWith("-") ? ` - ${s.slice(1)}` : ` + ${s}`;
  }).join("");
}

function wrapT(G: Expr): string {
  const s = toLatex(simplify(t(G)));
  return G.op === "add" ? `\\left(${toLatex(G)}\\right)^\\top` : s;
}

function wrapJ(J: Expr): string {
  const s = toLatex(J);
  return J.op === "add" ? `\\left(${s}\\right)` : s;
}
