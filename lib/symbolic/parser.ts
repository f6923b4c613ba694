/**
 * @internal Parses MatrixCalculus.org's syntax into an expression tree. Types come from the first
 * letter of a name (a–g scalars, h–z vectors, A–Z matrices) unless `types` says otherwise.
 *
 * Grammar (lowest precedence first):
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | ".*" | "./" | "/") unary)*
 *   unary   := "-" unary | power
 *   power   := postfix (("^" | ".^") unary)?
 *   postfix := primary "'"*
 *   primary := number | name | name "(" sum ("," sum)* ")" | "(" sum ")"
 *
 * @module
 */
import { ValueError } from "../errors.ts";
import {
  add,
  call,
  div,
  epow,
  type Expr,
  EYE,
  had,
  type Kind,
  kindOf,
  mpow,
  mul,
  neg,
  num,
  ones,
  t,
  v,
} from "./expr.ts";
import { FUNCTIONS, isFunction, supportedNames } from "./functions.ts";
import { pointAt, type Token, tokenize } from "./lexer.ts";

/** What a name means when `types` does not say: MatrixCalculus.org's first-letter rule. */
export function defaultKind(name: string): Kind {
  const c = name[0];
  if (c >= "A" && c <= "Z") return "matrix";
  if (c >= "a" && c <= "g") return "scalar";
  return "vector";
}

/** The declared types of names, as `derive`'s `types` option takes them. */
export type Types = Readonly<Record<string, "scalar" | "vector" | "matrix">>;

/** Parses `src`; errors name the position and the token at fault. */
export function parse(src: string, types: Types = {}): Expr {
  if (typeof src !== "string") {
    throw new ValueError(`derive: the expression must be a string, got ${typeof src}`);
  }
  const p = new Parser(src, tokenize(src), types);
  const e = p.sum();
  p.expectEnd();
  try {
    kindOf(e);
  } catch (err) {
    throw new ValueError(`${(err as Error).message}, in ${JSON.stringify(src)}`);
  }
  return e;
}

class Parser {
  #i = 0;
  constructor(readonly src: string, readonly toks: Token[], readonly types: Types) {}

  get #tok(): Token {
    return this.toks[this.#i];
  }

  #isOp(...ops: string[]): boolean {
    return this.#tok.type === "op" && ops.includes(this.#tok.text);
  }

  #fail(expected: string, tok: Token = this.#tok): never {
    const what = tok.type === "end" ? "end of input" : `token ${JSON.stringify(tok.text)}`;
    throw new ValueError(
      `derive: unexpected ${what} at position ${tok.pos}: expected ${expected}` +
        pointAt(this.src, tok.pos),
    );
  }

  expectEnd(): void {
    if (this.#tok.type !== "end") this.#fail("an operator or the end of the expression");
  }

  sum(): Expr {
    // A leading minus negates the whole product (-A*B is -(A*B)), as the printer writes it.
    let first: Expr;
    if (this.#isOp("-")) {
      this.#i++;
      first = neg(this.product());
    } else first = this.product();
    const terms = [first];
    while (this.#isOp("+", "-")) {
      const op = this.toks[this.#i++].text;
      const rhs = this.product();
      terms.push(op === "+" ? rhs : neg(rhs));
    }
    return terms.length === 1 ? terms[0] : add(...terms);
  }

  product(): Expr {
    let lhs = this.unary();
    while (this.#isOp("*", ".*", "./", "/")) {
      const op = this.toks[this.#i++].text;
      const rhs = this.unary();
      if (op === "*") {
        // Keep chains flat: A*B*C is one product node, so the product rule reads factor by factor.
        lhs = lhs.op === "mul" && !this.#wrapped.has(lhs)
          ? mul(...lhs.factors, rhs)
          : mul(lhs, rhs);
      } else lhs = op === ".*" ? had(lhs, rhs) : div(lhs, rhs);
    }
    return lhs;
  }

  // Products written in parentheses stay one factor: (A*B)*C keeps the grouping the user chose.
  #wrapped = new WeakSet<Expr>();

  unary(): Expr {
    if (this.#isOp("-")) {
      this.#i++;
      return neg(this.unary());
    }
    if (this.#isOp("+")) {
      this.#i++;
      return this.unary();
    }
    return this.power();
  }

  power(): Expr {
    const base = this.postfix();
    if (!this.#isOp("^", ".^")) return base;
    const opTok = this.toks[this.#i++];
    const expTok = this.#tok;
    const exponent = this.unary();
    if (opTok.text === ".^") return epow(base, exponent);
    const k = exponent.op === "num"
      ? exponent.value
      : exponent.op === "neg" && exponent.a.op === "num"
      ? -exponent.a.value
      : NaN;
    if (Number.isInteger(k)) return mpow(base, k);
    if (kindOf(base) === "scalar") return epow(base, exponent);
    this.#fail("an integer exponent: ^ is the matrix power (use .^ for elementwise)", expTok);
  }

  postfix(): Expr {
    let e = this.primary();
    while (this.#isOp("'")) {
      this.#i++;
      e = t(e);
    }
    return e;
  }

  primary(): Expr {
    const tok = this.#tok;
    if (tok.type === "num") {
      this.#i++;
      return num(Number(tok.text));
    }
    if (this.#isOp("(")) {
      this.#i++;
      const e = this.sum();
      if (!this.#isOp(")")) this.#fail(`")" to close the "(" at position ${tok.pos}`);
      this.#i++;
      this.#wrapped.add(e);
      return e;
    }
    if (tok.type !== "name") this.#fail('a number, a name or "("');
    this.#i++;
    const name = tok.text;
    const declared = Object.hasOwn(this.types, name);
    if (!declared && name === "eye") return EYE;
    if (!declared && (name === "vector" || name === "matrix") && this.#isOp("(")) {
      return this.#ones(name, tok);
    }
    if (this.#isOp("(") && !declared) {
      if (!isFunction(name)) {
        throw new ValueError(
          `derive: unknown function ${JSON.stringify(name)} at position ${tok.pos}; supported: ` +
            supportedNames() + pointAt(this.src, tok.pos),
        );
      }
      this.#i++;
      const args = [this.sum()];
      while (this.#isOp(",")) {
        this.#i++;
        args.push(this.sum());
      }
      if (!this.#isOp(")")) this.#fail(`")" to close ${name}(`);
      this.#i++;
      const arity = FUNCTIONS[name].arity;
      if (args.length !== arity) {
        throw new ValueError(
          `derive: ${name} takes ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length} ` +
            `at position ${tok.pos}` + pointAt(this.src, tok.pos),
        );
      }
      return call(name, ...args);
    }
    const kind = declared ? this.types[name] : defaultKind(name);
    if (kind !== "scalar" && kind !== "vector" && kind !== "matrix") {
      throw new ValueError(
        `derive: types.${name} must be "scalar", "vector" or "matrix", got ${JSON.stringify(kind)}`,
      );
    }
    return v(name, kind);
  }

  // vector(1) and matrix(1): MatrixCalculus.org's all-ones vector and matrix.
  #ones(name: "vector" | "matrix", tok: Token): Expr {
    this.#i++;
    const c = this.sum();
    if (!this.#isOp(")")) this.#fail(`")" to close ${name}(`);
    this.#i++;
    if (c.op !== "num") this.#fail(`a number inside ${name}(...)`, tok);
    const o = ones(name);
    return c.value === 1 ? o : mul(c, o);
  }
}
