/**
 * A tiny finite-difference checker for the core tests: compares a function's reverse-mode
 * (`vjp`) and forward-mode (`jvp`) derivatives with central differences, for random directions.
 */
import { assertAllClose, jvp, randn, Tensor, vjp } from "matcalc";

// deno-lint-ignore no-explicit-any
type Fn = (...xs: any[]) => Tensor;

/** Central-difference Jacobian columns: cols[i][j] = ∂f/∂xs[i][j], flattened over f's output. */
function columns(f: Fn, xs: Tensor[], eps: number): Float64Array[][] {
  return xs.map((x, i) => {
    const out: Float64Array[] = [];
    for (let j = 0; j < x.size; j++) {
      const at = (h: number) => {
        const d = x.data.slice();
        d[j] += h;
        const args = xs.map((y, k) => (k === i ? new Tensor(d, x.shape) : y));
        return f(...args).data;
      };
      const p = at(eps), m = at(-eps);
      out.push(p.map((v, k) => (v - m[k]) / (2 * eps)));
    }
    return out;
  });
}

/**
 * Asserts that `vjp(f, xs)` and `jvp(f, xs, vs)` match central differences of `f` at `xs`, for a
 * random cotangent and random tangents drawn with `seed`.
 */
export function checkRules(
  f: Fn,
  xs: Tensor[],
  opts: { seed?: number; eps?: number; rtol?: number; atol?: number; msg?: string } = {},
): void {
  const seed = opts.seed ?? 0, eps = opts.eps ?? 1e-6;
  const tol = { rtol: opts.rtol ?? 1e-5, atol: opts.atol ?? 1e-6 };
  const cols = columns(f, xs, eps);
  const [y, pullback] = vjp(f, xs);
  const u = randn(y.shape, { seed: seed + 1 });
  const grads = pullback(u);
  xs.forEach((x, i) => {
    const expected = new Float64Array(x.size);
    for (let j = 0; j < x.size; j++) {
      let s = 0;
      cols[i][j].forEach((c, k) => (s += c * u.data[k]));
      expected[j] = s;
    }
    assertAllClose(grads[i], new Tensor(expected, x.shape), {
      ...tol,
      msg: `VJP, input ${i}${opts.msg ? `, ${opts.msg}` : ""}`,
    });
  });
  const vs = xs.map((x, i) => randn(x.shape, { seed: seed + 10 + i }));
  const [y2, tangent] = jvp(f, xs, vs);
  const expected = new Float64Array(y2.size);
  xs.forEach((_, i) => {
    cols[i].forEach((col, j) => col.forEach((c, k) => (expected[k] += c * vs[i].data[j])));
  });
  assertAllClose(tangent, new Tensor(expected, y2.shape), {
    ...tol,
    msg: `JVP${opts.msg ? `, ${opts.msg}` : ""}`,
  });
}
