/**
 * Cost of the Jacobian of y = W x (W: [m, n]) with respect to W: dense (jacrev: m backward
 * sweeps; jacfwd: m·n forward sweeps; both fill an m·m·n tensor) vs structured (I_m ⊗ xᵀ, built
 * in O(1), materialized in O(m·n) writes into the zeroed m·m·n buffer), and the chain rule
 * ∂L/∂W = Σᵢ gᵢ ∂yᵢ/∂W via the structured contract (outer(g, x)) vs a vjp pullback.
 *
 * Run: deno bench -A tests/bench/jacobian_bench.ts
 */
import { jacfwd, jacobianOfMatmul, jacrev, matmul, randn, vjp } from "matcalc";

for (const m of [8, 32, 128]) {
  const n = m;
  const W = randn([m, n], { seed: 1 }), x = randn([n], { seed: 2 });
  const f = (W: typeof x) => matmul(W, x);
  const heavy = m >= 128 ? { n: 3, warmup: 1 } : {};
  Deno.bench({
    name: `jacrev dense m=n=${m}`,
    group: `jacobian m=n=${m}`,
    baseline: true,
    ...heavy,
    fn: () => void jacrev(f, W),
  });
  Deno.bench({
    name: `jacfwd dense m=n=${m}`,
    group: `jacobian m=n=${m}`,
    ...heavy,
    fn: () => void jacfwd(f, W),
  });
  Deno.bench({
    name: `structured materialize m=n=${m}`,
    group: `jacobian m=n=${m}`,
    fn: () => void jacobianOfMatmul(W, x).materialize(),
  });
  Deno.bench({
    name: `structured build m=n=${m}`,
    group: `jacobian m=n=${m}`,
    fn: () => void jacobianOfMatmul(W, x),
  });
}

for (const m of [1024, 4096]) {
  const n = m;
  const W = randn([m, n], { seed: 3 }), x = randn([n], { seed: 4 }), g = randn([m], { seed: 5 });
  const J = jacobianOfMatmul(W, x);
  const [, pullback] = vjp((W) => matmul(W, x), W);
  Deno.bench({
    name: `structured contract m=n=${m}`,
    group: `chain rule m=n=${m}`,
    baseline: true,
    fn: () => void J.contract(g),
  });
  Deno.bench({
    name: `vjp pullback m=n=${m}`,
    group: `chain rule m=n=${m}`,
    fn: () => void pullback(g),
  });
}
