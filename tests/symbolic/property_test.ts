/**
 * Property test: random expression trees drawn from the grammar (fast-check, fixed seed), each
 * derivative evaluated at random inputs and compared with matcalc's autodiff and central
 * differences. Also: the printed derivative parses again to the same text.
 */
import { assert, assertEquals } from "@std/assert";
import fc from "fast-check";
import { add, derive, eye, matmul, randn, scale, transpose } from "matcalc";
import { parse } from "../../lib/symbolic/parser.ts";
import { toSource } from "../../lib/symbolic/print_string.ts";

type K = "scalar" | "vector" | "matrix";

const LEAVES: Record<K, string[]> = {
  scalar: ["a", "b", "2", "0.5"],
  vector: ["x", "y"],
  matrix: ["X", "A", "B"],
};

// Well-typed expressions of a kind, to a depth. Functions that need a well-conditioned matrix
// (det, logdet, inv) take the positive definite S only, so every draw is defined.
function exprOf(kind: K, depth: number): fc.Arbitrary<string> {
  const leaf = fc.constantFrom(...LEAVES[kind]);
  if (depth === 0) return leaf;
  const s = () => exprOf("scalar", depth - 1);
  const v = () => exprOf("vector", depth - 1);
  const m = () => exprOf("matrix", depth - 1);
  const map2 = (
    a: fc.Arbitrary<string>,
    b: fc.Arbitrary<string>,
    f: (p: string, q: string) => string,
  ) => fc.tuple(a, b).map(([p, q]) => f(p, q));
  const options: Record<K, fc.Arbitrary<string>[]> = {
    scalar: [
      m().map((p) => `tr(${p})`),
      map2(v(), v(), (p, q) => `(${p})'*(${q})`),
      v().map((p) => `sum(${p})`),
      map2(s(), s(), (p, q) => `(${p})*(${q})`),
      map2(s(), s(), (p, q) => `(${p}) - (${q})`),
      s().map((p) => `tanh(${p})`),
      v().map((p) => `norm2(${p})`),
      m().map((p) => `logdet(S + (${p})'*(${p}))`),
      m().map((p) => `det(S + 0.1*(${p}))`),
      v().map((p) => `norm1(${p})`),
      map2(s(), s(), (p, q) => `(${p})/(2 + (${q})*(${q}))`),
      m().map((p) => `norm2(${p})`),
    ],
    vector: [
      map2(m(), v(), (p, q) => `(${p})*(${q})`),
      map2(v(), v(), (p, q) => `(${p}) + (${q})`),
      map2(v(), v(), (p, q) => `(${p}) .* (${q})`),
      map2(s(), v(), (p, q) => `(${p})*(${q})`),
      v().map((p) => `sin(${p})`),
      v().map((p) => `exp(0.1*(${p}))`),
      map2(m(), v(), (p, q) => `(${p})'*(${q})`),
      map2(v(), v(), (p, q) => `(${p}) ./ (2 + (${q}) .* (${q}))`),
      v().map((p) => `(${p}).^3`),
      v().map((p) => `log(2 + (${p}) .* (${p}))`),
    ],
    matrix: [
      map2(m(), m(), (p, q) => `(${p})*(${q})`),
      map2(m(), m(), (p, q) => `(${p}) - (${q})`),
      m().map((p) => `(${p})'`),
      map2(m(), m(), (p, q) => `(${p}) .* (${q})`),
      map2(s(), m(), (p, q) => `(${p})*(${q})`),
      map2(v(), v(), (p, q) => `(${p})*(${q})'`),
      m().map((p) => `inv(S + 0.1*(${p}))`),
      m().map((p) => `(${p})^2`),
      m().map((p) => `cos(${p})`),
      map2(m(), m(), (p, q) => `(${p}) ./ (2 + (${q}) .* (${q}))`),
    ],
  };
  return fc.oneof({ depthSize: "small" }, leaf, ...options[kind]);
}

const R = randn([3, 3], { seed: 21 });
const values = {
  a: 0.7,
  b: -0.4,
  x: randn([3], { seed: 22 }),
  y: randn([3], { seed: 23 }),
  X: scale(randn([3, 3], { seed: 24 }), 0.5),
  A: scale(randn([3, 3], { seed: 25 }), 0.5),
  B: scale(randn([3, 3], { seed: 26 }), 0.5),
  S: add(matmul(R, transpose(R)), scale(eye(3), 3)),
};

const arb = fc.tuple(
  fc.constantFrom<K>("scalar", "vector", "matrix"),
  fc.constantFrom("x", "X", "a"),
).chain(([kind, wrt]) => fc.tuple(exprOf(kind, 3), fc.constant(wrt)));

Deno.test("derive() agrees with autodiff and finite differences on random expressions", () => {
  let derived = 0;
  fc.assert(
    fc.property(arb, ([expr, wrt]) => {
      const d = derive(expr, wrt);
      const report = d.check(values);
      assert(report.ok, `${expr} by ${wrt} = ${d}: ${report}`);
      derived++;
    }),
    { seed: 20261206, numRuns: 200 },
  );
  assertEquals(derived, 200);
});

Deno.test("derive() prints a derivative that parses back to the same text", () => {
  fc.assert(
    fc.property(arb, ([expr, wrt]) => {
      const d = derive(expr, wrt);
      if (d.order > 2) return;
      const text = d.toString();
      assertEquals(toSource(parse(text)), text);
    }),
    { seed: 7, numRuns: 100 },
  );
});
