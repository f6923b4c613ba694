/**
 * @internal Fixes the dimensions of every node of an expression from the shapes of the given
 * values, by unification: `eye` and `vector(1)` take their size from where they stand
 * (`A + eye`, `A'*vector(1)`), and mismatched operands are reported with both shapes.
 *
 * @module
 */
import { ShapeError } from "../errors.ts";
import { type Expr, kindOf } from "./expr.ts";
import { toSource } from "./print_string.ts";

/** The 2-D shape of every node: scalars `[1, 1]`, vectors `[n, 1]`, rows `[1, n]`. */
export type ShapeMap = Map<Expr, [number, number]>;

/** Infers the 2-D shape of every node of `root`; `known` gives each variable's 2-D shape. */
export function inferShapes(
  root: Expr,
  known: ReadonlyMap<string, readonly [number, number]>,
  resultShape?: readonly [number, number],
): ShapeMap {
  // Dimensions are numbers (known) or negative ids of unknowns, merged by union-find.
  const parent = new Map<number, number>();
  let fresh = -1;
  const newDim = () => {
    const id = fresh--;
    parent.set(id, id);
    return id;
  };
  const find = (d: number): number => {
    if (d >= 0) return d;
    const p = parent.get(d)!;
    if (p === d) return d;
    const r = find(p);
    parent.set(d, r);
    return r;
  };
  const unify = (a: number, b: number, fail: () => never): void => {
    const ra = find(a), rb = find(b);
    if (ra === rb) return;
    if (ra >= 0 && rb >= 0) fail();
    if (ra < 0) parent.set(ra, rb);
    else parent.set(rb, ra);
  };
  const dims = new Map<Expr, [number, number]>();
  const show = (e: Expr) => {
    const [r, c] = dims.get(e)!.map(find);
    const fmt = (d: number) => (d >= 0 ? String(d) : "?");
    return `${toSource(e)} [${fmt(r)}, ${fmt(c)}]`;
  };
  const mismatch = (what: string, a: Expr, b: Expr): never => {
    throw new ShapeError(`evaluate: cannot ${what} ${show(a)} and ${show(b)}: shapes differ`);
  };

  const visit = (e: Expr): [number, number] => {
    const s = shapeOf(e);
    dims.set(e, s);
    return s;
  };
  const shapeOf = (e: Expr): [number, number] => {
    switch (e.op) {
      case "var":
      case "d": {
        const s = known.get(e.name);
        if (!s) throw new ShapeError(`evaluate: no value for ${e.name}`);
        return [s[0], s[1]];
      }
      case "num":
        return [1, 1];
      case "eye": {
        const n = newDim();
        return [n, n];
      }
      case "ones": {
        const k = e.kind;
        return [
          k === "scalar" || k === "row" ? 1 : newDim(),
          k === "scalar" || k === "vector" ? 1 : newDim(),
        ];
      }
      case "neg":
        return visit(e.a);
      case "t": {
        const [r, c] = visit(e.a);
        return [c, r];
      }
      case "add": {
        const parts = e.terms.map((x) => [x, visit(x)] as const);
        const full = parts.filter(([x]) => kindOf(x) !== "scalar");
        if (full.length === 0) return [1, 1];
        const [x0, s0] = full[0];
        for (const [x, s] of full.slice(1)) {
          unify(s0[0], s[0], () => mismatch("add", x0, x));
          unify(s0[1], s[1], () => mismatch("add", x0, x));
        }
        return s0;
      }
      case "mul": {
        let acc: [number, number] = visit(e.factors[0]);
        let accExpr: Expr = e.factors[0];
        let accScalar = kindOf(accExpr) === "scalar";
        for (const f of e.factors.slice(1)) {
          const s = visit(f);
          if (kindOf(f) === "scalar") continue;
          if (accScalar) {
            acc = s;
            accScalar = false;
          } else {
            const left = accExpr;
            unify(acc[1], s[0], () => {
              throw new ShapeError(
                `evaluate: cannot multiply ${show(left)} by ${show(f)}: inner dimensions ` +
                  `${find(acc[1])} and ${find(s[0])} differ`,
              );
            });
            acc = [acc[0], s[1]];
          }
          accExpr = f;
        }
        return accScalar ? [1, 1] : acc;
      }
      case "hadamard":
      case "div":
      case "epow": {
        const sa = visit(e.a), sb = visit(e.b);
        if (kindOf(e.b) === "scalar") return sa;
        if (kindOf(e.a) === "scalar") return sb;
        const what = e.op === "hadamard"
          ? "multiply elementwise"
          : e.op === "div"
          ? "divide elementwise"
          : "raise elementwise";
        unify(sa[0], sb[0], () => mismatch(what, e.a, e.b));
        unify(sa[1], sb[1], () => mismatch(what, e.a, e.b));
        return sa;
      }
      case "mpow": {
        const s = visit(e.a);
        unify(s[0], s[1], () => {
          throw new ShapeError(`evaluate: ^ needs a square matrix, got ${show(e.a)}`);
        });
        return s;
      }
      case "call": {
        const ss = e.args.map(visit);
        const [s] = ss;
        const square = () =>
          unify(s[0], s[1], () => {
            throw new ShapeError(`evaluate: ${e.fn} needs a square matrix, got ${show(e.args[0])}`);
          });
        switch (e.fn) {
          case "tr":
          case "det":
          case "logdet":
            square();
            return [1, 1];
          case "inv":
            square();
            return s;
          case "sum":
          case "norm1":
          case "norm2":
            return [1, 1];
          case "diag":
            if (kindOf(e.args[0]) === "vector") return [s[0], s[0]];
            square();
            return [s[0], 1];
          case "vec": {
            const [r, c] = s.map(find);
            return [r >= 0 && c >= 0 ? r * c : newDim(), 1];
          }
          case "kron": {
            const [a, b] = ss.map((x) => x.map(find));
            const prod = (p: number, q: number) => (p >= 0 && q >= 0 ? p * q : newDim());
            return [prod(a[0], b[0]), prod(a[1], b[1])];
          }
          default:
            return s;
        }
      }
    }
  };
  const top = visit(root);
  if (resultShape) {
    const fail = (): never => {
      throw new ShapeError(
        `evaluate: ${show(root)} should have shape [${resultShape.join(", ")}]`,
      );
    };
    if (kindOf(root) !== "scalar") {
      unify(top[0], resultShape[0], fail);
      unify(top[1], resultShape[1], fail);
    }
  }
  const out: ShapeMap = new Map();
  for (const [e, [r, c]] of dims) {
    const fr = find(r), fc = find(c);
    if (fr < 0 || fc < 0) {
      throw new ShapeError(
        `evaluate: cannot tell the size of ${toSource(e)} in ${toSource(root)}; ` +
          `write it next to an operand of known shape (A + eye, A'*vector(1))`,
      );
    }
    out.set(e, [fr, fc]);
  }
  return out;
}
