/**
 * @internal Turns an expression into a closure over matcalc ops. Inside, scalars are rank-0
 * tensors, vectors `[n, 1]`, rows `[1, n]`, matrices `[m, n]`; `eye` and `vector(1)` are built
 * once, at the size `shapes.ts` fixed. Because every step is a matcalc op, the closure also runs
 * under `grad`/`jacobian`, which is how `Derivation.check` gets its autodiff reference.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import { eye, full } from "../creation.ts";
import { add } from "../ops/add.ts";
import { sub } from "../ops/sub.ts";
import { mul } from "../ops/mul.ts";
import { div } from "../ops/div.ts";
import { neg } from "../ops/neg.ts";
import { abs, exp, log, sign, sqrt, square, tanh } from "../ops/unary.ts";
import { pow } from "../ops/pow.ts";
import { sum } from "../ops/sum.ts";
import { matmul } from "../ops/matmul.ts";
import { transpose } from "../ops/transpose.ts";
import { reshape } from "../ops/reshape.ts";
import { trace } from "../ops/trace.ts";
import { kron } from "../ops/kron.ts";
import { vec } from "../ops/vec.ts";
import { tensor } from "../creation.ts";
import { det } from "../linalg/det.ts";
import { inv } from "../linalg/inv.ts";
import { logdet } from "../linalg/slogdet.ts";
import { cos, sin } from "../ops/trig.ts";
import { type Expr, type FnName, kindOf } from "./expr.ts";
import type { ShapeMap } from "./shapes.ts";

/** A compiled node: reads the inputs (2-D convention) and returns the node's value. */
export type Compiled = (env: ReadonlyMap<string, Tensor>) => Tensor;

type Unary = (a: Tensor) => Tensor;

/**
 * The matcalc op behind each function of the grammar (2-D convention): the one place that says
 * which op evaluates tr, det, logdet, inv, … (det, inv, logdet from lib/linalg).
 */
export const FN_TABLE: Record<Exclude<FnName, "kron" | "diag" | "vec">, Unary> = {
  tr: (a) => (a.rank === 0 ? a : trace(a)),
  det,
  logdet,
  inv,
  log,
  exp,
  sin,
  cos,
  tanh,
  sqrt,
  abs,
  sign,
  sum: (a) => sum(a),
  norm1: (a) => sum(abs(a)),
  norm2: (a) => sqrt(sum(square(a))),
};

const scalarOf = (x: Tensor) => (x.rank === 0 ? x : reshape(x, []));

/** Compiles `e` (whose node shapes are in `shapes`) into a closure over matcalc ops. */
export function compileExpr(e: Expr, shapes: ShapeMap): Compiled {
  const c = (x: Expr) => compileExpr(x, shapes);
  const shape = () => shapes.get(e)!;
  switch (e.op) {
    case "var":
    case "d": {
      const name = e.op === "var" ? e.name : `d${e.name}`;
      return (env) => env.get(name)!;
    }
    case "num": {
      const k = tensor(e.value);
      return () => k;
    }
    case "eye": {
      const I = eye(shape()[0]);
      return () => I;
    }
    case "ones": {
      const [r, cc] = shape();
      const O = e.kind === "scalar" ? tensor(1) : full([r, cc], 1);
      return () => O;
    }
    case "neg": {
      const a = c(e.a);
      return (env) => neg(a(env));
    }
    case "t": {
      const a = c(e.a);
      return kindOf(e.a) === "scalar" ? a : (env) => transpose(a(env));
    }
    case "add": {
      const parts = e.terms.map((x) =>
        x.op === "neg" ? { f: c(x.a), minus: true } : { f: c(x), minus: false }
      );
      return (env) => {
        let acc = parts[0].minus ? neg(parts[0].f(env)) : parts[0].f(env);
        for (let i = 1; i < parts.length; i++) {
          acc = parts[i].minus ? sub(acc, parts[i].f(env)) : add(acc, parts[i].f(env));
        }
        return acc;
      };
    }
    case "mul": {
      const fs = e.factors.map(c);
      const scalarOut = kindOf(e) === "scalar";
      const isScal = e.factors.map((f) => kindOf(f) === "scalar");
      return (env) => {
        let acc = fs[0](env);
        let accScalar = isScal[0];
        for (let i = 1; i < fs.length; i++) {
          const x = fs[i](env);
          if (accScalar || isScal[i]) acc = mul(acc, x);
          else acc = matmul(acc, x);
          accScalar = accScalar && isScal[i];
        }
        return scalarOut ? scalarOf(acc) : acc;
      };
    }
    case "hadamard": {
      const a = c(e.a), b = c(e.b);
      return (env) => mul(a(env), b(env));
    }
    case "div": {
      const a = c(e.a), b = c(e.b);
      return (env) => div(a(env), b(env));
    }
    case "epow": {
      const a = c(e.a);
      if (e.b.op === "num") {
        const p = e.b.value;
        return p === 2 ? (env) => square(a(env)) : (env) => pow(a(env), p);
      }
      const b = c(e.b);
      return (env) => exp(mul(b(env), log(a(env))));
    }
    case "mpow": {
      const a = c(e.a);
      const k = Math.abs(e.k);
      const base: Compiled = e.k < 0 ? (env) => FN_TABLE.inv(a(env)) : a;
      const I = eye(shape()[0]);
      return (env) => {
        const b = base(env);
        let acc = k === 0 ? I : b;
        for (let i = 1; i < k; i++) acc = matmul(acc, b);
        return acc;
      };
    }
    case "call": {
      const args = e.args.map(c);
      const [a] = args;
      switch (e.fn) {
        case "kron": {
          const b = args[1];
          return (env) => kron(a(env), b(env));
        }
        case "vec": {
          const n = shape()[0];
          return (env) => reshape(vec(a(env)), [n, 1]);
        }
        case "diag": {
          const [n] = shape();
          const I = eye(n);
          if (kindOf(e.args[0]) === "vector") {
            return (env) => mul(I, reshape(a(env), [1, n]));
          }
          return (env) => sum(mul(a(env), I), 1, { keepdims: true });
        }
        default: {
          const f = FN_TABLE[e.fn];
          const scalarArg = kindOf(e.args[0]) === "scalar";
          // det, inv and logdet of a scalar are the scalar, its reciprocal and its log.
          if (scalarArg && e.fn === "det") return a;
          if (scalarArg && e.fn === "inv") return (env) => div(1, a(env));
          if (scalarArg && e.fn === "logdet") return (env) => log(a(env));
          return (env) => f(a(env));
        }
      }
    }
  }
}

/** A deep copy in which every node is its own object, so that each `eye` gets its own size. */
export function unshare(e: Expr): Expr {
  switch (e.op) {
    case "var":
    case "d":
    case "num":
    case "eye":
    case "ones":
      return { ...e };
    case "add":
      return { op: "add", terms: e.terms.map(unshare) };
    case "mul":
      return { op: "mul", factors: e.factors.map(unshare) };
    case "call":
      return { op: "call", fn: e.fn, args: e.args.map(unshare) };
    case "neg":
    case "t":
      return { ...e, a: unshare(e.a) };
    case "mpow":
      return { ...e, a: unshare(e.a) };
    default:
      return { ...e, a: unshare(e.a), b: unshare(e.b) };
  }
}
