/**
 * @internal The expression tree of matcalc's symbolic matrix calculus. Every node is a plain
 * immutable object; a node's kind (scalar, column vector, row vector, matrix) follows from its
 * leaves, and dimensions are only fixed when values are given (see `shapes.ts`).
 *
 * @module
 */
import { ValueError } from "../errors.ts";

/** The four shape classes of matrix calculus: `1×1`, `n×1`, `1×n`, `m×n`. */
export type Kind = "scalar" | "vector" | "row" | "matrix";

/** A function name the grammar knows (see `functions.ts`). */
export type FnName =
  | "tr"
  | "det"
  | "logdet"
  | "inv"
  | "log"
  | "exp"
  | "sin"
  | "cos"
  | "tanh"
  | "sum"
  | "norm1"
  | "norm2"
  | "abs"
  | "sign"
  | "sqrt"
  | "diag"
  | "kron"
  | "vec";

/** A node of the expression tree. `d` is the differential of the variable `name`. */
export type Expr =
  | { readonly op: "var"; readonly name: string; readonly kind: Kind }
  | { readonly op: "d"; readonly name: string; readonly kind: Kind }
  | { readonly op: "num"; readonly value: number }
  | { readonly op: "eye" }
  | { readonly op: "ones"; readonly kind: Kind }
  | { readonly op: "add"; readonly terms: readonly Expr[] }
  | { readonly op: "neg"; readonly a: Expr }
  | { readonly op: "mul"; readonly factors: readonly Expr[] }
  | { readonly op: "hadamard"; readonly a: Expr; readonly b: Expr }
  | { readonly op: "div"; readonly a: Expr; readonly b: Expr }
  | { readonly op: "epow"; readonly a: Expr; readonly b: Expr }
  | { readonly op: "mpow"; readonly a: Expr; readonly k: number }
  | { readonly op: "t"; readonly a: Expr }
  | { readonly op: "call"; readonly fn: FnName; readonly args: readonly Expr[] };

// Constructors: no simplification here (that is `simplify.ts`), only flattening-free building.
export const v = (name: string, kind: Kind): Expr => ({ op: "var", name, kind });
export const dv = (name: string, kind: Kind): Expr => ({ op: "d", name, kind });
export const num = (value: number): Expr => ({ op: "num", value });
export const EYE: Expr = { op: "eye" };
export const ones = (kind: Kind): Expr => ({ op: "ones", kind });
export const add = (...terms: Expr[]): Expr => terms.length === 1 ? terms[0] : { op: "add", terms };
export const neg = (a: Expr): Expr => ({ op: "neg", a });
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
export const mul = (...factors: Expr[]): Expr =>
  factors.length === 1 ? factors[0] : { op: "mul", factors };
export const had = (a: Expr, b: Expr): Expr => ({ op: "hadamard", a, b });
export const div = (a: Expr, b: Expr): Expr => ({ op: "div", a, b });
export const epow = (a: Expr, b: Expr): Expr => ({ op: "epow", a, b });
export const mpow = (a: Expr, k: number): Expr => ({ op: "mpow", a, k });
export const t = (a: Expr): Expr => ({ op: "t", a });
export const call = (fn: FnName, ...args: Expr[]): Expr => ({ op: "call", fn, args });

/** Whether the node is the number `value`. */
export const isNum = (e: Expr, value?: number): boolean =>
  e.op === "num" && (value === undefined || e.value === value);

/** Rows-are-one and columns-are-one flags of a kind, the algebra every kind rule uses. */
function flags(k: Kind): [boolean, boolean] {
  return [k === "scalar" || k === "row", k === "scalar" || k === "vector"];
}

function fromFlags(r1: boolean, c1: boolean): Kind {
  return r1 ? (c1 ? "scalar" : "row") : (c1 ? "vector" : "matrix");
}

/** The kind of the transpose. */
export function transposeKind(k: Kind): Kind {
  return k === "vector" ? "row" : k === "row" ? "vector" : k;
}

/** The kind of `a * b` (a scalar factor scales), or a message when the product is undefined. */
export function productKind(a: Kind, b: Kind): Kind | string {
  if (a === "scalar") return b;
  if (b === "scalar") return a;
  const [ar, ac] = flags(a), [br, bc] = flags(b);
  // Inner dimensions: a's columns against b's rows; "one" must meet "one".
  if (ac !== br) {
    return `cannot multiply a ${a} by a ${b}: inner dimensions differ` +
      (a === "vector" && b === "vector" ? " (did you mean x'*y or x*y'?)" : "");
  }
  return fromFlags(ar, bc);
}

/** Kinds of elementwise operands: equal, or one of them a scalar (it broadcasts). */
export function elementwiseKind(a: Kind, b: Kind): Kind | string {
  if (a === b || b === "scalar") return a;
  if (a === "scalar") return b;
  return `elementwise operands must have the same kind, got a ${a} and a ${b}`;
}

const cache = new WeakMap<object, Kind>();

/** The kind of `e`; throws a `ValueError` naming the operation when `e` is ill-formed. */
export function kindOf(e: Expr): Kind {
  const hit = cache.get(e);
  if (hit !== undefined) return hit;
  const k = computeKind(e);
  cache.set(e, k);
  return k;
}

function check(k: Kind | string, what: string): Kind {
  if (k === "scalar" || k === "vector" || k === "row" || k === "matrix") return k;
  throw new ValueError(`derive: ${what}: ${k}`);
}

function computeKind(e: Expr): Kind {
  switch (e.op) {
    case "var":
    case "d":
    case "ones":
      return e.kind;
    case "num":
      return "scalar";
    case "eye":
      return "matrix";
    case "neg":
      return kindOf(e.a);
    case "t":
      return transposeKind(kindOf(e.a));
    case "add": {
      // A scalar term broadcasts only when it is a number (1 - tanh(x).^2); otherwise kinds agree.
      let k: Kind = "scalar";
      for (const term of e.terms) {
        const tk = kindOf(term);
        if (k === "scalar") k = tk;
        else if (tk !== k && !(tk === "scalar")) {
          throw new ValueError(`derive: cannot add a ${k} and a ${tk}`);
        }
      }
      return k;
    }
    case "mul":
      return e.factors.reduce<Kind>(
        (k, f, i) => i === 0 ? kindOf(f) : check(productKind(k, kindOf(f)), "in a product"),
        "scalar",
      );
    case "hadamard":
    case "div":
    case "epow":
      return check(elementwiseKind(kindOf(e.a), kindOf(e.b)), `in ${OPNAME[e.op]}`);
    case "mpow": {
      const k = kindOf(e.a);
      if (k === "vector" || k === "row") {
        throw new ValueError(
          `derive: ^ is the matrix power and needs a square matrix or a scalar, got a ${k}; ` +
            `use .^ for an elementwise power`,
        );
      }
      return k;
    }
    case "call":
      return callKind(e.fn, e.args.map(kindOf));
  }
}

const OPNAME = { hadamard: ".*", div: "./", epow: ".^" } as const;

function callKind(fn: FnName, ks: Kind[]): Kind {
  const [a, b] = ks;
  switch (fn) {
    case "tr":
    case "det":
    case "logdet":
    case "inv":
      if (a === "vector" || a === "row") {
        throw new ValueError(`derive: ${fn} needs a square matrix (or a scalar), got a ${a}`);
      }
      return fn === "inv" ? a : "scalar";
    case "sum":
    case "norm1":
    case "norm2":
      return "scalar";
    case "diag":
      if (a === "matrix") return "vector";
      if (a === "row") throw new ValueError(`derive: diag needs a vector or a matrix, got a row`);
      return a === "scalar" ? "scalar" : "matrix";
    case "vec":
      return a === "scalar" ? "scalar" : "vector";
    case "kron": {
      const [ar, ac] = flags(a), [br, bc] = flags(b);
      return fromFlags(ar && br, ac && bc);
    }
    default:
      return a;
  }
}

/** Whether `e` mentions the differential `d`. */
export function hasD(e: Expr): boolean {
  switch (e.op) {
    case "d":
      return true;
    case "var":
    case "num":
    case "eye":
    case "ones":
      return false;
    case "add":
      return e.terms.some(hasD);
    case "mul":
      return e.factors.some(hasD);
    case "call":
      return e.args.some(hasD);
    case "neg":
    case "t":
    case "mpow":
      return hasD(e.a);
    default:
      return hasD(e.a) || hasD(e.b);
  }
}

/** Whether `e` mentions the variable `name`. */
export function mentions(e: Expr, name: string): boolean {
  switch (e.op) {
    case "var":
      return e.name === name;
    case "d":
    case "num":
    case "eye":
    case "ones":
      return false;
    case "add":
      return e.terms.some((x) => mentions(x, name));
    case "mul":
      return e.factors.some((x) => mentions(x, name));
    case "call":
      return e.args.some((x) => mentions(x, name));
    case "neg":
    case "t":
    case "mpow":
      return mentions(e.a, name);
    default:
      return mentions(e.a, name) || mentions(e.b, name);
  }
}

/** Replaces every differential node by `f(node)`. */
export function mapD(e: Expr, f: (d: Expr) => Expr): Expr {
  switch (e.op) {
    case "d":
      return f(e);
    case "var":
    case "num":
    case "eye":
    case "ones":
      return e;
    case "add":
      return { op: "add", terms: e.terms.map((x) => mapD(x, f)) };
    case "mul":
      return { op: "mul", factors: e.factors.map((x) => mapD(x, f)) };
    case "call":
      return { op: "call", fn: e.fn, args: e.args.map((x) => mapD(x, f)) };
    case "neg":
    case "t":
      return { ...e, a: mapD(e.a, f) };
    case "mpow":
      return { ...e, a: mapD(e.a, f) };
    default:
      return { ...e, a: mapD(e.a, f), b: mapD(e.b, f) };
  }
}

/** The names of the variables in `e`, in order of first appearance. */
export function variables(e: Expr, out: Map<string, Kind> = new Map()): Map<string, Kind> {
  switch (e.op) {
    case "var":
      if (!out.has(e.name)) out.set(e.name, e.kind);
      break;
    case "d":
    case "num":
    case "eye":
    case "ones":
      break;
    case "add":
      e.terms.forEach((x) => variables(x, out));
      break;
    case "mul":
      e.factors.forEach((x) => variables(x, out));
      break;
    case "call":
      e.args.forEach((x) => variables(x, out));
      break;
    case "neg":
    case "t":
    case "mpow":
      variables(e.a, out);
      break;
    default:
      variables(e.a, out);
      variables(e.b, out);
  }
  return out;
}
