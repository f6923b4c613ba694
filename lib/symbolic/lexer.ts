/**
 * @internal Splits a MatrixCalculus.org-style expression into tokens, each with its position so
 * that parse errors can point at it.
 *
 * @module
 */
import { ValueError } from "../errors.ts";

/** A token: a number, a name, or an operator/punctuation symbol. */
export interface Token {
  readonly type: "num" | "name" | "op" | "end";
  readonly text: string;
  /** 0-based offset of the token's first character in the source. */
  readonly pos: number;
}

// Longest match first: ".*" before "*", ".^" before "^".
const OPERATORS = [".*", "./", ".^", "+", "-", "*", "/", "^", "'", "(", ")", ","];

/** The expression, then a caret under `pos`: how every parse error shows where it is. */
export function pointAt(src: string, pos: number): string {
  return `\n  ${src}\n  ${" ".repeat(pos)}^`;
}

/** Tokenizes `src`; throws a `ValueError` naming the position of a character it cannot read. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const numMatch = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    // "2.*x" is 2 .* x, not 2. * x: a trailing dot followed by an operator belongs to the operator.
    if (numMatch) {
      let text = numMatch[0];
      if (text.endsWith(".") && /^[*/^]/.test(src.slice(i + text.length))) text = text.slice(0, -1);
      out.push({ type: "num", text, pos: i });
      i += text.length;
      continue;
    }
    const nameMatch = /^[A-Za-z][A-Za-z0-9_]*/.exec(src.slice(i));
    if (nameMatch) {
      out.push({ type: "name", text: nameMatch[0], pos: i });
      i += nameMatch[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op === undefined) {
      throw new ValueError(
        `derive: unexpected character ${JSON.stringify(c)} at position ${i}:${pointAt(src, i)}\n` +
          `the syntax is MatrixCalculus.org's: names, numbers, + - * / .* ./ .^ ^ ' ( ) and ` +
          `function calls`,
      );
    }
    out.push({ type: "op", text: op, pos: i });
    i += op.length;
  }
  out.push({ type: "end", text: "end of input", pos: src.length });
  return out;
}
