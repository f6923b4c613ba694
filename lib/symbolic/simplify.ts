/**
 * @internal Rewrites an expression into the form the Matrix Cookbook prints: numbers folded,
 * scalars in front of products, transposes pushed to the leaves ((AXB)' = B'X'A'), identities
 * dropped, like terms collected, and a factor shared by all terms pulled out
 * (Ax + A'x = (A + A')x). Rules only, no expansion: every rewrite keeps the value.
 *
 * @module
 */
import {
  add,
  call,
  div,
  epow,
  type Expr,
  EYE,
  had,
  isNum,
  type Kind,
  kindOf,
  mpow,
  mul,
  neg,
  num,
  ones,
  productKind,
  t,
  transposeKind,
} from "./expr.ts";
import { FUNCTIONS } from "./functions.ts";
import { toSource } from "./print_string.ts";

// Nodes are immutable, so each one's text is computed once.
const keys = new WeakMap<Expr, string>();
function key(e: Expr): string {
  let k = keys.get(e);
  if (k === undefined) keys.set(e, k = toSource(e));
  return k;
}
const ZERO = num(0);
const isZero = (e: Expr) => isNum(e, 0);
const isScalar = (e: Expr) => kindOf(e) === "scalar";

/** Simplifies to a fixed point (a few passes at most). */
export function simplify(e: Expr): Expr {
  let cur = e, k = key(e);
  for (let pass = 0; pass < 12; pass++) {
    const next = step(cur);
    const nk = key(next);
    if (nk === k) return next;
    cur = next;
    k = nk;
  }
  return cur;
}

// One bottom-up pass.
function step(e: Expr): Expr {
  switch (e.op) {
    case "var":
    case "d":
    case "num":
    case "eye":
    case "ones":
      return e;
    case "neg":
      return simplifyNeg(step(e.a));
    case "t":
      return simplifyT(step(e.a));
    case "add":
      return simplifyAdd(e.terms.map(step));
    case "mul":
      return simplifyMul(e.factors.map(step));
    case "hadamard":
      return simplifyHadamard(step(e.a), step(e.b));
    case "div":
      return simplifyDiv(step(e.a), step(e.b));
    case "epow":
      return simplifyEpow(step(e.a), step(e.b));
    case "mpow": {
      const a = step(e.a);
      if (e.k === 1) return a;
      if (e.k === 0) return isScalar(a) ? num(1) : EYE;
      if (isScalar(a)) return epow(a, num(e.k));
      return mpow(a, e.k);
    }
    case "call":
      return simplifyCall(e.fn, e.args.map(step));
  }
}

function simplifyNeg(a: Expr): Expr {
  if (a.op === "num") return num(-a.value);
  if (a.op === "neg") return a.a;
  if (a.op === "mul" && a.factors[0].op === "num") {
    return simplifyMul([num(-a.factors[0].value), ...a.factors.slice(1)]);
  }
  return neg(a);
}

function simplifyT(a: Expr): Expr {
  if (isScalar(a)) return a;
  switch (a.op) {
    case "t":
      return a.a;
    case "eye":
      return a;
    case "ones":
      return ones(transposeKind(a.kind));
    case "mul":
      return simplifyMul([...a.factors].reverse().map(simplifyT));
    case "add":
      return simplifyAdd(a.terms.map(simplifyT));
    case "neg":
      return simplifyNeg(simplifyT(a.a));
    case "hadamard":
      return simplifyHadamard(simplifyT(a.a), simplifyT(a.b));
    case "div":
      return simplifyDiv(simplifyT(a.a), simplifyT(a.b));
    case "epow":
      return epow(simplifyT(a.a), a.b);
    case "mpow":
      return mpow(simplifyT(a.a), a.k);
    case "call":
      if (FUNCTIONS[a.fn].elementwise) return call(a.fn, simplifyT(a.args[0]));
      if (a.fn === "kron") return call("kron", simplifyT(a.args[0]), simplifyT(a.args[1]));
      return t(a);
    default:
      return t(a);
  }
}

/** A term as `coefficient · factors` (no factors: a number). */
function split(e: Expr): { c: number; fs: Expr[] } {
  if (e.op === "num") return { c: e.value, fs: [] };
  if (e.op === "neg") {
    const s = split(e.a);
    return { c: -s.c, fs: s.fs };
  }
  if (e.op === "mul") {
    let c = 1;
    const fs: Expr[] = [];
    for (const f of e.factors) {
      if (f.op === "num") c *= f.value;
      else fs.push(f);
    }
    return { c, fs };
  }
  return { c: 1, fs: [e] };
}

function build(c: number, fs: readonly Expr[]): Expr {
  if (c === 0) return ZERO;
  if (fs.length === 0) return num(c);
  const body = fs.length === 1 ? fs[0] : mul(...fs);
  if (c === 1) return body;
  if (c === -1) return neg(body);
  return mul(num(c), ...fs);
}

function simplifyAdd(raw: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const x of raw) {
    if (x.op === "add") flat.push(...x.terms);
    else if (!isZero(x)) flat.push(x);
  }
  // Collect like terms, keeping first-appearance order.
  const groups = new Map<string, { c: number; fs: Expr[] }>();
  for (const x of flat) {
    const s = split(x);
    const k = s.fs.map(key).join("*");
    const g = groups.get(k);
    if (g) g.c += s.c;
    else groups.set(k, { c: s.c, fs: s.fs });
  }
  const terms = [...groups.values()].filter((g) => g.c !== 0);
  if (terms.length === 0) return ZERO;
  if (terms.length === 1) return build(terms[0].c, terms[0].fs);
  return factorOut(terms) ?? add(...terms.map((g) => build(g.c, g.fs)));
}

// Pulls a factor shared by two or more terms out of them, the last factor first, then the first:
// Ax + A'x + e = (A + A')x + e.
function factorOut(terms: { c: number; fs: Expr[] }[]): Expr | undefined {
  for (const side of ["last", "first"] as const) {
    const pick = (fs: Expr[]) => (side === "last" ? fs[fs.length - 1] : fs[0]);
    const groups = new Map<string, number[]>();
    terms.forEach((g, i) => {
      if (g.fs.length === 0) return;
      const f = pick(g.fs);
      if (isScalar(f) || f.op === "eye") return;
      const k = key(f);
      groups.set(k, [...(groups.get(k) ?? []), i]);
    });
    for (const idx of groups.values()) {
      if (idx.length < 2 || idx.every((i) => terms[i].fs.length === 1)) continue;
      const f0 = pick(terms[idx[0]].fs);
      const rests = idx.map((i) => {
        const g = terms[i];
        const rest = side === "last" ? g.fs.slice(0, -1) : g.fs.slice(1);
        return build(g.c, rest.length === 0 ? [EYE] : rest);
      });
      // A scalar next to matrices in the sum means a multiple of the identity, not a broadcast:
      // a*x + 2*x = (a*eye + 2*eye)*x, never (a + 2*eye)*x.
      const mixed = rests.some(isScalar) && !rests.every(isScalar);
      const inner = simplifyAdd(
        mixed ? rests.map((r) => (isScalar(r) ? simplifyMul([r, EYE]) : r)) : rests,
      );
      const shared = side === "last" ? simplifyMul([inner, f0]) : simplifyMul([f0, inner]);
      const others = terms.filter((_, i) => !idx.includes(i)).map((g) => build(g.c, g.fs));
      return others.length === 0 ? shared : add(...[shared, ...others]);
    }
  }
  return undefined;
}

function simplifyMul(raw: Expr[]): Expr {
  let c = 1;
  const scalars: Expr[] = [];
  let fs: Expr[] = [];
  const push = (x: Expr) => {
    if (x.op === "mul") x.factors.forEach(push);
    else if (x.op === "num") c *= x.value;
    else if (x.op === "neg") {
      c = -c;
      push(x.a);
    } else if (isScalar(x)) scalars.push(x);
    else fs.push(x);
  };
  raw.forEach(push);
  if (c === 0) return ZERO;
  groupScalarRuns(fs, scalars);
  // X⁻¹X = XX⁻¹ = I, then identities drop out of any product that keeps a matrix factor.
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i + 1 < fs.length; i++) {
      const a = fs[i], b = fs[i + 1];
      if (
        (a.op === "call" && a.fn === "inv" && key(a.args[0]) === key(b)) ||
        (b.op === "call" && b.fn === "inv" && key(b.args[0]) === key(a))
      ) {
        fs.splice(i, 2, EYE);
        changed = true;
        break;
      }
    }
  }
  // X*X = X^2, X^2*X = X^3: the Cookbook's powers.
  const merged: Expr[] = [];
  for (const f of fs) {
    const [b, k] = f.op === "mpow" && f.k > 0 ? [f.a, f.k] : [f, 1];
    const last = merged[merged.length - 1];
    if (last !== undefined && kindOf(b) === "matrix") {
      const [lb, lk] = last.op === "mpow" && last.k > 0 ? [last.a, last.k] : [last, 1];
      if (key(lb) === key(b) && b.op !== "eye") {
        merged[merged.length - 1] = mpow(b, lk + k);
        continue;
      }
    }
    merged.push(f);
  }
  fs = merged;
  const noEye = fs.filter((f) => f.op !== "eye");
  fs = noEye.length > 0 ? noEye : fs.slice(0, 1);
  // A factor divided by a scalar divides the whole product: (1/s)*x reads x/s, as the Cookbook
  // writes x/‖x‖, and X*(eye/s) reads X/s.
  const all = [...scalars, ...fs];
  const q = all.findIndex((x) => x.op === "div" && isScalar(x.b) && all.length > 1);
  if (q >= 0) {
    const r = all[q] as Extract<Expr, { op: "div" }>;
    const rest = all.map((x, i) => (i === q ? r.a : x));
    return simplifyDiv(simplifyMul([num(c), ...rest]), r.b);
  }
  return build(c, all);
}

// Flattening can leave a run such as x'*y inside a longer product (x'*y*z): a scalar that only
// scales. Such a run becomes one scalar factor, so that every slice of the product is a valid
// matrix product (the Kronecker terms and the adjoint slice products).
function groupScalarRuns(fs: Expr[], scalars: Expr[]): void {
  for (let len = 2; len < fs.length; len++) {
    for (let i = 0; i + len <= fs.length; i++) {
      let k: Kind | string = kindOf(fs[i]);
      for (let j = i + 1; j < i + len; j++) {
        if (k === "scalar" || !KINDS.includes(k)) break;
        k = productKind(k as Kind, kindOf(fs[j]));
        if (k === "scalar" && j < i + len - 1) k = "too short";
      }
      if (k === "scalar") {
        scalars.push(mul(...fs.slice(i, i + len)));
        fs.splice(i, len);
        groupScalarRuns(fs, scalars);
        return;
      }
    }
  }
}

const KINDS: string[] = ["vector", "row", "matrix"];

function simplifyHadamard(a: Expr, b: Expr): Expr {
  if (isZero(a) || isZero(b)) return ZERO;
  if (a.op === "ones") return b;
  if (b.op === "ones") return a;
  if (isScalar(a) || isScalar(b)) return simplifyMul([a, b]);
  if (b.op === "div" && b.a.op === "ones") return simplifyDiv(a, b.b);
  if (a.op === "div" && a.a.op === "ones") return simplifyDiv(b, a.b);
  // Numbers come out of an elementwise product: (2*u) .* (0.5*v) = u .* v.
  const sa = split(a), sb = split(b);
  if ((sa.c !== 1 || sb.c !== 1) && (sa.fs.length > 0 && sb.fs.length > 0)) {
    const inner = simplifyHadamard(build(1, sa.fs), build(1, sb.fs));
    return simplifyMul([num(sa.c * sb.c), inner]);
  }
  if (a.op === "neg") return simplifyNeg(simplifyHadamard(a.a, b));
  if (b.op === "neg") return simplifyNeg(simplifyHadamard(a, b.a));
  return had(a, b);
}

function simplifyDiv(a: Expr, b: Expr): Expr {
  if (isZero(a)) return ZERO;
  if (b.op === "num") return simplifyMul([num(1 / b.value), a]);
  if (a.op === "neg") return simplifyNeg(simplifyDiv(a.a, b));
  // Scalar coefficients of the numerator move in front: (2*x)/c reads 2*x/c either way.
  return div(a, b);
}

function simplifyEpow(a: Expr, b: Expr): Expr {
  if (isNum(b, 1)) return a;
  if (isNum(b, 0)) return isScalar(a) ? num(1) : ones(kindOf(a));
  if (a.op === "num" && b.op === "num") return num(a.value ** b.value);
  return epow(a, b);
}

function simplifyCall(fn: Extract<Expr, { op: "call" }>["fn"], args: Expr[]): Expr {
  const [a, b] = args;
  const scalarArg = isScalar(a);
  switch (fn) {
    case "tr":
    case "sum": {
      if (scalarArg) return a;
      // Linear: numbers, signs, scalar factors and sums come out.
      if (a.op === "neg") return simplifyNeg(simplifyCall(fn, [a.a]));
      if (a.op === "add") return simplifyAdd(a.terms.map((x) => simplifyCall(fn, [x])));
      if (a.op === "mul") {
        const s = split(a);
        const scal = s.fs.filter(isScalar), rest = s.fs.filter((x) => !isScalar(x));
        if (s.c !== 1 || scal.length > 0) {
          return simplifyMul([num(s.c), ...scal, simplifyCall(fn, [build(1, rest)])]);
        }
        // tr(x y') = y'x: a trace of an outer product is an inner product.
        if (fn === "tr" && rest.length === 2 && kindOf(rest[0]) === "vector") {
          return simplifyMul([rest[1], rest[0]]);
        }
      }
      if (fn === "tr" && a.op === "t") return simplifyCall("tr", [a.a]);
      return call(fn, a);
    }
    case "det":
      return scalarArg ? a : call(fn, a);
    case "logdet":
      return scalarArg ? call("log", a) : call(fn, a);
    case "inv":
      if (scalarArg) return simplifyDiv(num(1), a);
      if (a.op === "call" && a.fn === "inv") return a.args[0];
      if (a.op === "eye") return a;
      return call(fn, a);
    case "exp":
      return isNum(a, 0) ? num(1) : call(fn, a);
    case "log":
      return isNum(a, 1) ? ZERO : call(fn, a);
    case "kron":
      if (isScalar(a) || isScalar(b)) return simplifyMul([a, b]);
      if (b.op === "div" && b.a.op === "ones") return simplifyDiv(a, b.b);
      if (a.op === "div" && a.a.op === "ones") return simplifyDiv(b, a.b);
      if (kindOf(a) === "vector" && kindOf(b) === "row") return simplifyMul([a, b]);
      if (kindOf(a) === "row" && kindOf(b) === "vector") return simplifyMul([b, a]);
      return call(fn, a, b);
    case "vec":
      return kindOf(a) === "vector" || scalarArg ? a : call(fn, a);
    default:
      if (a.op === "num" && FUNCTIONS[fn].elementwise) {
        const f: Record<string, (x: number) => number> = {
          sin: Math.sin,
          cos: Math.cos,
          tanh: Math.tanh,
          sqrt: Math.sqrt,
          abs: Math.abs,
          sign: Math.sign,
        };
        if (f[fn] && Number.isInteger(f[fn](a.value))) return num(f[fn](a.value));
      }
      return call(fn, ...args);
  }
}
