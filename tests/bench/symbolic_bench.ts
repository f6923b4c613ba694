// Compiled symbolic derivatives against the hand-written closed form, same matcalc ops, n = 100:
//   deno bench -A tests/bench/symbolic_bench.ts
import { add, derive, eye, inv, matmul, randn, scale, transpose } from "matcalc";

const n = 100;
const A = randn([n, n], { seed: 1 }), B = randn([n, n], { seed: 2 });
const R = randn([n, n], { seed: 3 });
const X = add(matmul(R, transpose(R)), scale(eye(n), n));
const x = randn([n], { seed: 4 });

const trAXB = derive("tr(A*X*B)", "X").compile();
const quad = derive("x'*A*x", "x").compile();
const logdet = derive("logdet(X)", "X").compile();

Deno.bench("tr(AXB): compiled A'*B'", { group: "trAXB", baseline: false }, () => {
  trAXB({ A, X, B });
});
Deno.bench("tr(AXB): hand-written matmul(Aᵀ, Bᵀ)", { group: "trAXB", baseline: true }, () => {
  matmul(transpose(A), transpose(B));
});
Deno.bench("x'Ax: compiled (A + A')*x", { group: "quad" }, () => {
  quad({ x, A });
});
Deno.bench("x'Ax: hand-written matmul(A + Aᵀ, x)", { group: "quad", baseline: true }, () => {
  matmul(add(A, transpose(A)), x);
});
Deno.bench("logdet X: compiled inv(X)'", { group: "logdet" }, () => {
  logdet({ X });
});
Deno.bench("logdet X: hand-written transpose(inv(X))", { group: "logdet", baseline: true }, () => {
  transpose(inv(X));
});
