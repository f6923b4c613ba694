/**
 * @internal The rules of the differential, one per node type (Magnus & Neudecker; the Matrix
 * Cookbook, chapter 2): d(XY) = dX Y + X dY, d tr(X) = tr(dX), d det X = det(X) tr(X⁻¹dX),
 * d X⁻¹ = −X⁻¹ dX X⁻¹, d log det X = tr(X⁻¹dX), and the elementwise chain rule. Each application
 * to a node that depends on the variable is recorded as a step with the rule's name.
 *
 * @module
 */
import {
  add,
  call,
  div,
  dv,
  epow,
  type Expr,
  had,
  type Kind,
  kindOf,
  mentions,
  mpow,
  mul,
  neg,
  num,
  sub,
  t,
} from "./expr.ts";

/** One rule applied to one sub-expression: `d(node) = result`. */
export interface RuleApplication {
  readonly rule: string;
  /** The general form of the rule, as LaTeX. */
  readonly formula: string;
  readonly node: Expr;
  readonly result: Expr;
}

/** The rules by name, with their general form in LaTeX (the Cookbook's notation). */
export const RULES = {
  product: ["product rule", "\\mathrm{d}(XY) = \\mathrm{d}X\\,Y + X\\,\\mathrm{d}Y"],
  hadamard: [
    "product rule (elementwise)",
    "\\mathrm{d}(X \\odot Y) = \\mathrm{d}X \\odot Y + X \\odot \\mathrm{d}Y",
  ],
  quotient: [
    "quotient rule (elementwise)",
    "\\mathrm{d}(X \\oslash Y) = \\mathrm{d}X \\oslash Y - (X \\odot \\mathrm{d}Y) \\oslash (Y \\odot Y)",
  ],
  power: [
    "power rule",
    "\\mathrm{d}(X^k) = \\textstyle\\sum_{i=0}^{k-1} X^i\\,\\mathrm{d}X\\,X^{k-1-i}",
  ],
  epow: [
    "power rule (elementwise)",
    "\\mathrm{d}(X^{\\circ c}) = c\\,X^{\\circ (c-1)} \\odot \\mathrm{d}X",
  ],
  trace: ["trace", "\\mathrm{d}\\operatorname{tr}(X) = \\operatorname{tr}(\\mathrm{d}X)"],
  det: [
    "Jacobi's formula",
    "\\mathrm{d}\\det(X) = \\det(X)\\operatorname{tr}(X^{-1}\\mathrm{d}X)",
  ],
  logdet: [
    "log-determinant",
    "\\mathrm{d}\\log\\det(X) = \\operatorname{tr}(X^{-1}\\mathrm{d}X)",
  ],
  inv: ["inverse", "\\mathrm{d}X^{-1} = -X^{-1}\\,\\mathrm{d}X\\,X^{-1}"],
  elementwise: ["chain rule (elementwise)", "\\mathrm{d}f(X) = f'(X) \\odot \\mathrm{d}X"],
  sum: ["sum", "\\mathrm{d}\\operatorname{sum}(X) = \\operatorname{sum}(\\mathrm{d}X)"],
  norm2: [
    "Euclidean/Frobenius norm",
    "\\mathrm{d}\\lVert X \\rVert_2 = \\operatorname{tr}(X^\\top \\mathrm{d}X) / \\lVert X \\rVert_2",
  ],
  norm1: [
    "1-norm",
    "\\mathrm{d}\\lVert x \\rVert_1 = \\operatorname{sign}(x)^\\top \\mathrm{d}x",
  ],
  linear: ["linear map", "\\mathrm{d}\\,L(X) = L(\\mathrm{d}X)"],
} as const;

const ZERO = num(0);
const isZero = (e: Expr) => e.op === "num" && e.value === 0;

// Sums and products that drop zeros as they are built, so recorded steps stay readable.
function sum(...terms: Expr[]): Expr {
  const nz = terms.filter((x) => !isZero(x));
  return nz.length === 0 ? ZERO : add(...nz);
}

/** `⟨a, b⟩` written as the Cookbook does: `a'b` for vectors, `tr(A'B)` for matrices. */
export function inner(a: Expr, b: Expr): Expr {
  switch (kindOf(a)) {
    case "scalar":
      return mul(a, b);
    case "vector":
      return mul(t(a), b);
    case "row":
      return mul(a, t(b));
    case "matrix":
      return call("tr", mul(t(a), b));
  }
}

/**
 * The differential of `e` with respect to the variable `wrt`, as an expression linear in
 * `d<wrt>`. Every rule applied to a node that mentions `wrt` is appended to `steps`.
 */
export function differential(
  e: Expr,
  wrt: string,
  wrtKind: Kind,
  steps: RuleApplication[] = [],
): Expr {
  const d = (x: Expr): Expr => differential(x, wrt, wrtKind, steps);
  const record = (key: keyof typeof RULES, result: Expr): Expr => {
    steps.push({ rule: RULES[key][0], formula: RULES[key][1], node: e, result });
    return result;
  };
  if (!mentions(e, wrt)) return ZERO;
  switch (e.op) {
    case "var":
      return dv(wrt, wrtKind);
    case "d":
    case "num":
    case "eye":
    case "ones":
      return ZERO;
    case "add":
      return sum(...e.terms.map(d));
    case "neg": {
      const da = d(e.a);
      return isZero(da) ? ZERO : neg(da);
    }
    case "t": {
      const da = d(e.a);
      return isZero(da) ? ZERO : t(da);
    }
    case "mul": {
      const terms = e.factors.map((f, i) => {
        if (!mentions(f, wrt)) return ZERO;
        const df = d(f);
        if (isZero(df)) return ZERO;
        return mul(...e.factors.slice(0, i), df, ...e.factors.slice(i + 1));
      });
      return record("product", sum(...terms));
    }
    case "hadamard": {
      const da = d(e.a), db = d(e.b);
      return record(
        "hadamard",
        sum(isZero(da) ? ZERO : had(da, e.b), isZero(db) ? ZERO : had(e.a, db)),
      );
    }
    case "div": {
      const da = d(e.a), db = d(e.b);
      const first = isZero(da) ? ZERO : div(da, e.b);
      if (isZero(db)) return record("quotient", first);
      return record("quotient", sum(first, neg(div(had(e.a, db), had(e.b, e.b)))));
    }
    case "epow": {
      const da = d(e.a);
      if (!mentions(e.b, wrt)) {
        if (isZero(da)) return ZERO;
        const c = e.b;
        const lower = c.op === "num" ? num(c.value - 1) : sub(c, num(1));
        return record("epow", had(had(c, epow(e.a, lower)), da));
      }
      // General x.^y = exp(y .* log x): d = x.^y .* (dy .* log x + y .* dx ./ x).
      const db = d(e.b);
      const inner = sum(
        had(db, call("log", e.a)),
        isZero(da) ? ZERO : div(had(e.b, da), e.a),
      );
      return record("epow", had(e, inner));
    }
    case "mpow": {
      const k = e.k;
      if (k === 0) return ZERO;
      const base = k > 0 ? e.a : call("inv", e.a);
      const dBase = k > 0 ? d(e.a) : d(call("inv", e.a));
      if (isZero(dBase)) return ZERO;
      const n = Math.abs(k);
      const pw = (i: number): Expr[] => (i === 0 ? [] : i === 1 ? [base] : [mpow(base, i)]);
      const terms: Expr[] = [];
      for (let i = 0; i < n; i++) terms.push(mul(...pw(i), dBase, ...pw(n - 1 - i)));
      return record("power", sum(...terms));
    }
    case "call":
      return callDifferential(e, d, record);
  }
}

function callDifferential(
  e: Extract<Expr, { op: "call" }>,
  d: (x: Expr) => Expr,
  record: (key: keyof typeof RULES, result: Expr) => Expr,
): Expr {
  const [a, b] = e.args;
  if (e.fn === "kron") {
    const da = d(a), db = d(b);
    return record(
      "product",
      sum(isZero(da) ? ZERO : call("kron", da, b), isZero(db) ? ZERO : call("kron", a, db)),
    );
  }
  const da = d(a);
  if (isZero(da)) return ZERO;
  const scalarArg = kindOf(a) === "scalar";
  switch (e.fn) {
    case "tr":
      return record("trace", scalarArg ? da : call("tr", da));
    case "det":
      if (scalarArg) return record("det", da);
      return record("det", mul(e, call("tr", mul(call("inv", a), da))));
    case "logdet":
      if (scalarArg) return record("logdet", div(da, a));
      return record("logdet", call("tr", mul(call("inv", a), da)));
    case "inv":
      return record("inv", neg(mul(call("inv", a), da, call("inv", a))));
    case "log":
      return record("elementwise", div(da, a));
    case "exp":
      return record("elementwise", had(e, da));
    case "sin":
      return record("elementwise", had(call("cos", a), da));
    case "cos":
      return record("elementwise", neg(had(call("sin", a), da)));
    case "tanh":
      return record("elementwise", had(sub(num(1), epow(e, num(2))), da));
    case "sqrt":
      return record("elementwise", div(da, mul(num(2), e)));
    case "abs":
      return record("elementwise", had(call("sign", a), da));
    case "sign":
      return ZERO;
    case "sum":
      return record("sum", scalarArg ? da : call("sum", da));
    case "norm2":
      if (scalarArg) return record("norm2", mul(call("sign", a), da));
      return record("norm2", div(inner(a, da), e));
    case "norm1":
      return record("norm1", inner(call("sign", a), da));
    case "diag":
    case "vec":
      return record("linear", call(e.fn, da));
    default:
      throw new Error(`differential: no rule for ${e.fn}`);
  }
}
