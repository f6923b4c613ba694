/**
 * @internal Prints an expression as LaTeX in the notation of the Matrix Cookbook: `A^\top`,
 * `X^{-1}`, `\det(X)`, `\operatorname{tr}(X)`, `\odot` for the elementwise product, `\mathrm{d}X`
 * for a differential.
 *
 * @module
 */
import { type Expr, kindOf } from "./expr.ts";

const ADD = 1, PRODUCT = 2, UNARY = 3, POWER = 4, POSTFIX = 5, ATOM = 6;

function prec(e: Expr): number {
  switch (e.op) {
    case "add":
      return ADD;
    case "mul":
    case "hadamard":
      return PRODUCT;
    case "div":
      return kindOf(e.b) === "scalar" ? ATOM : PRODUCT;
    case "call":
      return e.fn === "kron" ? PRODUCT : ATOM;
    case "neg":
      return UNARY;
    case "num":
      return e.value < 0 ? UNARY : ATOM;
    case "mpow":
    case "epow":
    case "t":
      return POSTFIX;
    default:
      return ATOM;
  }
}

function wrap(e: Expr, min: number): string {
  const s = toLatex(e);
  return prec(e) < min ? `\\left(${s}\\right)` : s;
}

/** LaTeX for a variable name: `x`, `x_{1}`, `\mathrm{loss}`, `\alpha`. */
export function latexName(name: string): string {
  const greek = /^(alpha|beta|gamma|delta|epsilon|theta|lambda|mu|sigma|tau|phi|omega)$/i;
  if (greek.test(name)) {
    return name[0] === name[0].toUpperCase()
      ? `\\${name[0].toUpperCase()}${name.slice(1).toLowerCase()}`
      : `\\${name}`;
  }
  const m = /^([A-Za-z])(\d+)$/.exec(name);
  if (m) return `${m[1]}_{${m[2]}}`;
  if (/^[A-Za-z]$/.test(name)) return name;
  const under = /^([A-Za-z]+)_(\w+)$/.exec(name);
  if (under) return `${latexName(under[1])}_{\\mathrm{${under[2]}}}`;
  return `\\mathrm{${name}}`;
}

const NAMED: Record<string, string> = {
  log: "\\log",
  exp: "\\exp",
  sin: "\\sin",
  cos: "\\cos",
  tanh: "\\tanh",
  det: "\\det",
  tr: "\\operatorname{tr}",
  sum: "\\operatorname{sum}",
  sign: "\\operatorname{sign}",
  diag: "\\operatorname{diag}",
  vec: "\\operatorname{vec}",
};

/** `e` as LaTeX math (no surrounding `$`). */
export function toLatex(e: Expr): string {
  switch (e.op) {
    case "var":
      return latexName(e.name);
    case "d":
      return `\\mathrm{d}${latexName(e.name)}`;
    case "num":
      return Number.isInteger(e.value) ? String(e.value) : String(+e.value.toPrecision(6));
    case "eye":
      return "I";
    case "ones":
      return e.kind === "row" ? "\\mathbf{1}^\\top" : e.kind === "scalar" ? "1" : "\\mathbf{1}";
    case "add":
      return e.terms.map((term, i) => {
        if (i === 0) return wrap(term, ADD + 1);
        if (term.op === "neg") return ` - ${wrap(term.a, PRODUCT)}`;
        if (term.op === "num" && term.value < 0) return ` - ${-term.value}`;
        return ` + ${wrap(term, ADD + 1)}`;
      }).join("");
    case "neg":
      return `-${wrap(e.a, PRODUCT)}`;
    case "mul": {
      let out = "";
      e.factors.forEach((f, i) => {
        const s = wrap(f, POWER);
        // Two numbers side by side would read as one: 2 \cdot 3.
        if (i > 0) out += f.op === "num" || e.factors[i - 1].op === "num" ? " \\cdot " : " ";
        out += s;
      });
      return out;
    }
    case "hadamard":
      return `${wrap(e.a, PRODUCT)} \\odot ${wrap(e.b, POWER)}`;
    case "div":
      return kindOf(e.b) === "scalar"
        ? `\\frac{${toLatex(e.a)}}{${toLatex(e.b)}}`
        : `${wrap(e.a, PRODUCT)} \\oslash ${wrap(e.b, POWER)}`;
    case "epow":
      return `${wrap(e.a, ATOM)}^{\\circ ${toLatex(e.b)}}`;
    case "mpow":
      return `${wrap(e.a, ATOM)}^{${e.k}}`;
    case "t":
      if (e.a.op === "call" && e.a.fn === "inv") return `${wrap(e.a.args[0], ATOM)}^{-\\top}`;
      return `${wrap(e.a, ATOM)}^\\top`;
    case "call": {
      const [a, b] = e.args;
      switch (e.fn) {
        case "inv":
          return `${wrap(a, ATOM)}^{-1}`;
        case "logdet":
          return `\\log\\det\\left(${toLatex(a)}\\right)`;
        case "norm1":
          return `\\lVert ${toLatex(a)} \\rVert_1`;
        case "norm2":
          return `\\lVert ${toLatex(a)} \\rVert_2`;
        case "abs":
          return `\\left|${toLatex(a)}\\right|`;
        case "sqrt":
          return `\\sqrt{${toLatex(a)}}`;
        case "kron":
          return `${wrap(a, POWER)} \\otimes ${wrap(b, POWER)}`;
        default:
          return `${NAMED[e.fn]}\\left(${toLatex(a)}\\right)`;
      }
    }
  }
}
