/**
 * The result of {@linkcode derive}: the derivative as an expression (in the input syntax and in
 * LaTeX), the steps that led to it, and its numbers (evaluate, compile, check, layouts).
 *
 * @module
 */
import { ShapeError, ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { tensor } from "../creation.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { grad } from "../ad/grad.ts";
import { jacobian } from "../ad/jacobian.ts";
import { numericalJacobian } from "../ad/numerical.ts";
import { type Layout, toLayout, toVecMatrix } from "../ad/layout.ts";
import { type Expr, type Kind, variables } from "./expr.ts";
import type { LinearTerm } from "./linear_terms.ts";
import type { Compiled } from "./evaluate.ts";
import { compileTerms, compileWithShape } from "./evaluate_terms.ts";
import { inferShapes } from "./shapes.ts";
import { unshare } from "./evaluate.ts";
import { SymbolicCheck } from "./check.ts";

/** One step of a derivation: the rule applied and the equation it gives, in LaTeX. */
export interface DerivationStep {
  /** The rule's name, e.g. `"product rule"`, `"identification"`. */
  readonly rule: string;
  /** The equation, LaTeX math without `$`. */
  readonly latex: string;
  /** The equation in the input syntax (`d(x'*A*x) = dx'*A*x + x'*A*dx`), for plain text. */
  readonly text: string;
}

/** The values of the variables: tensors (vectors rank 1, matrices rank 2) or numbers for scalars. */
export type SymbolicValues = Readonly<Record<string, Tensor | number>>;

/** @internal What `derive` hands to the constructor. */
export interface DerivationParts {
  readonly source: string;
  readonly expr: Expr;
  readonly wrt: string;
  readonly wrtKind: Kind;
  readonly outKind: Kind;
  readonly name: string;
  readonly differential: Expr;
  /** The derivative as one expression (gradient, d/da, or Jacobian matrix), when it is one. */
  readonly result?: Expr;
  readonly terms: readonly LinearTerm[];
  readonly steps: readonly DerivationStep[];
  readonly latex: string;
  readonly text: string;
  readonly linearMap: string;
  readonly kronC?: string;
  readonly kronF?: string;
  readonly index?: string;
}

const rankOf = (k: Kind) => (k === "scalar" ? 0 : k === "matrix" ? 2 : 1);

function shape2(k: Kind, s: readonly number[]): [number, number] {
  return k === "scalar"
    ? [1, 1]
    : k === "vector"
    ? [s[0], 1]
    : k === "row"
    ? [1, s[0]]
    : [s[0], s[1]];
}

function mcShape(k: Kind, [r, c]: readonly [number, number]): number[] {
  return k === "scalar" ? [] : k === "vector" ? [r] : k === "row" ? [c] : [r, c];
}

/** `x` in the 2-D convention of the evaluator: scalars rank 0, vectors `[n, 1]`. */
function to2d(x: Tensor, kind: Kind): Tensor {
  if (kind === "scalar") return x.rank === 0 ? x : reshape(x, []);
  return kind === "vector" ? reshape(x, [x.size, 1]) : x;
}

/**
 * A symbolic derivative with its derivation. Build it with {@linkcode derive}.
 *
 * The shape convention is matcalc's (see `jacobian`): the output's shape, then the variable's;
 * the gradient of a scalar has the variable's shape.
 */
export class Derivation {
  /** The expression that was differentiated, as given. */
  readonly expression: string;
  /** The variable. */
  readonly wrt: string;
  /** Its kind. */
  readonly wrtKind: Kind;
  /** The kind of the expression. */
  readonly outputKind: Kind;
  /** The order of the derivative as a tensor: rank of the output plus rank of the variable. */
  readonly order: number;
  /** The derivation by differentials, one step per rule. */
  readonly steps: readonly DerivationStep[];
  /** The result in LaTeX: `\frac{∂f}{∂X} = …` (order ≤ 2) or the row-major Kronecker form. */
  readonly latex: string;
  /** The linear map `dX ↦ dF`, in LaTeX. */
  readonly linearMap: string;
  /** The vec-Jacobian in row-major vec order (`kron(A, Bᵀ)` for `A dX B`), when it has a closed form. */
  readonly kronC?: string;
  /** The vec-Jacobian in column-major vec order (`Bᵀ ⊗ A`), when it has a closed form. */
  readonly kronF?: string;
  /** `∂F_ij/∂X_kl` in index notation, when it has a closed form. */
  readonly index?: string;
  readonly #p: DerivationParts;
  readonly #cache = new Map<string, (env: Map<string, Tensor>) => Tensor>();

  /** @internal Use {@linkcode derive}. */
  constructor(parts: DerivationParts) {
    this.#p = parts;
    this.expression = parts.source;
    this.wrt = parts.wrt;
    this.wrtKind = parts.wrtKind;
    this.outputKind = parts.outKind;
    this.order = rankOf(parts.outKind) + rankOf(parts.wrtKind);
    this.steps = parts.steps;
    this.latex = parts.latex;
    this.linearMap = parts.linearMap;
    this.kronC = parts.kronC;
    this.kronF = parts.kronF;
    this.index = parts.index;
  }

  /** The derivative as an expression, when it is one (orders 0–2), else undefined. */
  get expr(): Expr | undefined {
    return this.#p.result;
  }

  /**
   * The derivative in the input syntax; for orders 0–2 `derive` parses it again (a Hessian is
   * `derive(derive(e, "x").toString(), "x")`). Order 3 and 4 give the row-major vec-Jacobian
   * (`kron(eye, x')` for `W*x`), or the linear map `dW -> …` when a term has no closed form.
   */
  toString(): string {
    return this.#p.text;
  }

  /** The REPL shows the derivative in the input syntax. */
  [Symbol.for("Deno.customInspect")](): string {
    return `∂(${this.expression})/∂${this.wrt} = ${this.#p.text}`;
  }

  /** Jupyter shows the steps as one aligned LaTeX block. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return {
      "text/latex": this.stepsLatex(),
      "text/plain": [
        `∂(${this.expression})/∂${this.wrt} = ${this.#p.text}`,
        ...this.steps.map((s) => `  ${s.rule}: ${s.text}`),
      ].join("\n"),
    };
  }

  /** The steps as one `aligned` block, each line with its rule on the right, in `$$…$$`. */
  stepsLatex(): string {
    const rows = this.steps.map((s) => `& ${s.latex} && \\text{${s.rule.replace(/[{}\\]/g, "")}}`);
    return `$$\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}$$`;
  }

  #shapes(values: SymbolicValues): Map<string, [number, number]> {
    const known = new Map<string, [number, number]>();
    for (const [name, kind] of this.#variables()) {
      known.set(name, shape2(kind, this.#input(values, name, kind).shape));
    }
    return known;
  }

  // The expression's variables and the variable of differentiation (absent from a constant).
  #variables(): Map<string, Kind> {
    const vars = variables(this.#p.expr);
    if (!vars.has(this.#p.wrt)) vars.set(this.#p.wrt, this.#p.wrtKind);
    return vars;
  }

  #input(values: SymbolicValues, name: string, kind: Kind): Tensor {
    if (values === null || typeof values !== "object" || !Object.hasOwn(values, name)) {
      throw new ValueError(
        `evaluate: no value for ${name} (a ${kind}) in ${JSON.stringify(this.expression)}; pass ` +
          `{ ${name}: ${kind === "scalar" ? "2" : "tensor(...)"} }`,
      );
    }
    const raw = values[name];
    const x = typeof raw === "number" ? tensor(raw) : raw;
    if (!(x instanceof Tensor)) {
      throw new ValueError(`evaluate: ${name} must be a Tensor or a number, got ${typeof raw}`);
    }
    const want = kind === "scalar" ? x.size === 1 : kind === "vector" ? x.rank === 1 : x.rank === 2;
    if (!want) {
      const hint = kind === "scalar"
        ? "a number"
        : kind === "vector"
        ? "shape [n]"
        : "shape [m, n]";
      throw new ShapeError(
        `evaluate: ${name} is a ${kind} in ${JSON.stringify(this.expression)}, got a tensor ` +
          `of shape [${x.shape.join(", ")}]; pass ${hint}`,
      );
    }
    return x;
  }

  #env(values: SymbolicValues): Map<string, Tensor> {
    const env = new Map<string, Tensor>();
    for (const [name, kind] of this.#variables()) {
      env.set(name, to2d(this.#input(values, name, kind), kind));
    }
    return env;
  }

  /** A closure evaluating the expression itself in the 2-D convention, and its 2-D shape. */
  #forward(known: Map<string, [number, number]>): { f: Compiled; shape: [number, number] } {
    const root = unshare(this.#p.expr);
    const shapes = inferShapes(root, known);
    return { f: compileWithShape(root, known), shape: shapes.get(root)! };
  }

  /**
   * A function of the variables' values that evaluates the derivative with matcalc ops. It is
   * built once per set of input shapes (the sizes of `eye` and `vector(1)` are fixed then).
   *
   * @example The gradient of x'Ax, compiled once and called twice
   * ```ts
   * import { derive, tensor } from "matcalc";
   * import { assertEquals } from "@std/assert";
   *
   * const g = derive("x'*A*x", "x").compile();
   * const A = tensor([[1, 2], [3, 4]]);
   * assertEquals(g({ x: tensor([1, 0]), A }).toArray(), [2, 5]); // (A + A')x
   * assertEquals(g({ x: tensor([0, 1]), A }).toArray(), [5, 8]);
   * ```
   */
  compile(): (values: SymbolicValues) => Tensor {
    const vars = [...this.#variables()];
    return (values) => {
      // One pass over the inputs: check each, put it in the 2-D convention, key the shapes.
      const env = new Map<string, Tensor>();
      let sig = "";
      for (const [name, kind] of vars) {
        const x = this.#input(values, name, kind);
        sig += x.shape.join("x") + ",";
        env.set(name, to2d(x, kind));
      }
      let run = this.#cache.get(sig);
      if (!run) {
        run = this.#build(this.#shapes(values));
        this.#cache.set(sig, run);
      }
      return run(env);
    };
  }

  #build(known: Map<string, [number, number]>): (env: Map<string, Tensor>) => Tensor {
    const p = this.#p;
    const wrt2 = known.get(p.wrt);
    if (!wrt2) {
      throw new ValueError(`evaluate: ${p.wrt} does not appear in ${JSON.stringify(p.source)}`);
    }
    const { shape: out2 } = this.#forward(known);
    const outShape = mcShape(p.outKind, out2), wrtShape = mcShape(p.wrtKind, wrt2);
    const finalShape = [...outShape, ...wrtShape];
    let f: Compiled;
    if (p.result && (p.wrtKind === "scalar" || p.outKind === "scalar")) {
      f = compileWithShape(p.result, known, p.outKind === "scalar" ? wrt2 : out2);
    } else if (p.result) {
      f = compileWithShape(p.result, known, [out2[0] * out2[1], wrt2[0] * wrt2[1]]);
    } else {
      f = compileTerms(p.terms, p.wrt, known, out2, wrt2);
    }
    const size = finalShape.reduce((a, b) => a * b, 1);
    return (env) => {
      const r = f(env);
      // A derivative that is zero or constant comes out as a number: spread it to the shape.
      if (r.size === 1 && size !== 1) {
        return reshape(tensor(new Array(size).fill(r.item())), finalShape);
      }
      return r.rank === finalShape.length && r.shape.every((d, i) => d === finalShape[i])
        ? r
        : reshape(r, finalShape);
    };
  }

  /**
   * The derivative at `values`, in matcalc's convention: shape `[...output, ...variable]`.
   *
   * @example ∂y/∂W for y = W x: δ_ik x_l
   * ```ts
   * import { derive, tensor, zeros } from "matcalc";
   * import { assertEquals } from "@std/assert";
   *
   * const J = derive("W*x", "W").evaluate({ W: zeros([2, 3]), x: tensor([1, 2, 3]) });
   * assertEquals(J.shape, [2, 2, 3]);
   * assertEquals(J.toArray(), [[[1, 2, 3], [0, 0, 0]], [[0, 0, 0], [1, 2, 3]]]);
   * ```
   */
  evaluate(values: SymbolicValues): Tensor {
    return this.compile()(values);
  }

  /**
   * The expression itself at `values` (matcalc shapes), as a function of the variable: what
   * `check` differentiates with autodiff.
   */
  valueFn(values: SymbolicValues): (w: Tensor) => Tensor {
    const known = this.#shapes(values);
    const { f, shape } = this.#forward(known);
    const env = this.#env(values);
    const outShape = mcShape(this.#p.outKind, shape);
    const wrtKind = this.#p.wrtKind, wrt = this.#p.wrt;
    return (w: Tensor) => {
      const e2 = new Map(env);
      e2.set(
        wrt,
        wrtKind === "scalar" ? reshape(w, []) : wrtKind === "vector" ? reshape(w, [w.size, 1]) : w,
      );
      return reshape(f(e2), outShape);
    };
  }

  /**
   * The derivative at `values` beside matcalc's autodiff (`grad` or `jacobian`) and central
   * differences (`numericalJacobian`), in one report.
   *
   * @example log det X
   * ```ts
   * import { derive, tensor } from "matcalc";
   * import { assert } from "@std/assert";
   *
   * const report = derive("tr(A*X*B)", "X").check({
   *   A: tensor([[1, 2], [0, 1]]), X: tensor([[1, 0], [2, 3]]), B: tensor([[2, 1], [1, 1]]),
   * });
   * assert(report.ok, report.toString());
   * ```
   */
  check(values: SymbolicValues): SymbolicCheck {
    const symbolic = this.evaluate(values);
    const f = this.valueFn(values);
    const x = this.#input(values, this.wrt, this.wrtKind);
    const w = this.wrtKind === "scalar" ? reshape(x, []) : x;
    const auto = this.outputKind === "scalar" && this.wrtKind !== "scalar"
      ? grad(f, w)
      : jacobian(f, w);
    const numeric = reshape(numericalJacobian(f, w), symbolic.shape);
    return new SymbolicCheck(
      symbolic,
      reshape(auto, symbolic.shape),
      numeric,
      `∂${this.#p.name}/∂${this.wrt}`,
    );
  }

  /**
   * The derivative at `values` in a named layout (see `toLayout`): for a scalar, the gradient
   * (`"gradient"`, shape of the variable), its transpose (`"numerator"`, n×m for W: m×n), a column
   * (`"denominator"`) or a vec row (`"vec"`); for a vector or matrix output, `"numerator"` and
   * `"vec"` are the column-major vec-Jacobian `[size(F), size(X)]` and `"denominator"` its
   * transpose.
   *
   * @example The seed's two layouts from one derivation
   * ```ts
   * import { derive, tensor } from "matcalc";
   * import { assertEquals } from "@std/assert";
   *
   * const d = derive("u'*W*x", "W");
   * const values = { u: tensor([1, 2]), W: tensor([[0, 0, 0], [0, 0, 0]]), x: tensor([1, 0, -1]) };
   * assertEquals(d.toLayout("gradient", values).shape, [2, 3]); // u x'
   * assertEquals(d.toLayout("numerator", values).toArray(), [[1, 2], [0, 0], [-1, -2]]);
   * ```
   */
  toLayout(layout: Layout, values: SymbolicValues): Tensor {
    const J = this.evaluate(values);
    if (this.outputKind === "scalar") return toLayout(J, layout);
    const outRank = rankOf(this.outputKind);
    if (layout === "gradient") return J;
    const M = toVecMatrix(J, outRank);
    if (layout === "numerator" || layout === "vec") return M;
    if (layout === "denominator") return transpose(M);
    return toLayout(J, layout); // rejects an unknown name with the list of layouts
  }
}
