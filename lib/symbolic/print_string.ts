/**
 * @internal Prints an expression in the input syntax (MatrixCalculus.org's), so that the printed
 * derivative parses again with `derive`.
 *
 * @module
 */
import { type Expr, kindOf } from "./expr.ts";

// Binding strength of each form: a child weaker than its slot needs parentheses.
const ADD = 1, PRODUCT = 2, UNARY = 3, POWER = 4, POSTFIX = 5, ATOM = 6;

function prec(e: Expr): number {
  switch (e.op) {
    case "add":
      return ADD;
    case "mul":
    case "hadamard":
    case "div":
      return PRODUCT;
    case "neg":
      return UNARY;
    case "num":
      return e.value < 0 ? UNARY : ATOM;
    case "mpow":
    case "epow":
      return POWER;
    case "t":
      return POSTFIX;
    case "ones":
      return e.kind === "row" ? POSTFIX : ATOM;
    default:
      return ATOM;
  }
}

function wrap(e: Expr, min: number): string {
  const s = toSource(e);
  return prec(e) < min ? `(${s})` : s;
}

/** `e` in the input syntax. */
export function toSource(e: Expr): string {
  switch (e.op) {
    case "var":
      return e.name;
    case "d":
      return `d${e.name}`;
    case "num":
      return numberSource(e.value);
    case "eye":
      return "eye";
    case "ones":
      return e.kind === "scalar"
        ? "1"
        : e.kind === "matrix"
        ? "matrix(1)"
        : e.kind === "vector"
        ? "vector(1)"
        : "vector(1)'";
    case "add":
      return e.terms.map((term, i) => {
        if (i === 0) return wrap(term, ADD + 1);
        if (term.op === "neg") return ` - ${wrap(term.a, PRODUCT)}`;
        if (term.op === "num" && term.value < 0) return ` - ${numberSource(-term.value)}`;
        return ` + ${wrap(term, ADD + 1)}`;
      }).join("");
    case "neg":
      return `-${wrap(e.a, PRODUCT)}`;
    case "mul":
      return e.factors.map((f) => wrap(f, POWER)).join("*");
    case "hadamard":
      return `${wrap(e.a, PRODUCT)} .* ${wrap(e.b, POWER)}`;
    case "div":
      return `${wrap(e.a, PRODUCT)}${kindOf(e.b) === "scalar" ? "/" : " ./ "}${wrap(e.b, POWER)}`;
    case "epow":
      return `${wrap(e.a, POSTFIX)}.^${wrap(e.b, POSTFIX)}`;
    case "mpow":
      return `${wrap(e.a, POSTFIX)}^${e.k < 0 ? `(${e.k})` : e.k}`;
    case "t":
      return `${wrap(e.a, POSTFIX)}'`;
    case "call":
      return `${e.fn}(${e.args.map(toSource).join(", ")})`;
  }
}

function numberSource(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  // Shortest text that reads back as the same double.
  return String(x);
}
