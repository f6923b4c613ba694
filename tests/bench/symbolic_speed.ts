// Compiled symbolic derivatives vs the hand-written closed form, side by side, medians of 25
// interleaved rounds (n = 10 and 100): deno run -A tests/bench/symbolic_speed.ts
import { add, derive, eye, inv, matmul, randn, scale, transpose } from "matcalc";
for (const n of [10, 100]) {
  const A = randn([n, n], { seed: 1 }), B = randn([n, n], { seed: 2 });
  const R = randn([n, n], { seed: 3 });
  const X = add(matmul(R, transpose(R)), scale(eye(n), n));
  const x = randn([n], { seed: 4 });
  const pairs: [string, () => unknown, () => unknown][] = [
    [
      "tr(AXB)",
      ((f) => () => f({ A, X, B }))(derive("tr(A*X*B)", "X").compile()),
      () => matmul(transpose(A), transpose(B)),
    ],
    [
      "x'Ax",
      ((f) => () => f({ x, A }))(derive("x'*A*x", "x").compile()),
      () => matmul(add(A, transpose(A)), x),
    ],
    [
      "logdet",
      ((f) => () => f({ X }))(derive("logdet(X)", "X").compile()),
      () => transpose(inv(X)),
    ],
  ];
  for (const [name, c, h] of pairs) {
    const reps = n === 10 ? 2000 : 100;
    const tc: number[] = [], th: number[] = [];
    for (let i = 0; i < 50; i++) {
      c();
      h();
    }
    for (let r = 0; r < 25; r++) {
      let t0 = performance.now();
      for (let i = 0; i < reps; i++) c();
      tc.push((performance.now() - t0) / reps);
      t0 = performance.now();
      for (let i = 0; i < reps; i++) h();
      th.push((performance.now() - t0) / reps);
    }
    const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
    console.log(
      `n=${n} ${name}: compiled ${(med(tc) * 1000).toFixed(1)} µs, hand-written ${
        (med(th) * 1000).toFixed(1)
      } µs, ratio ${(med(tc) / med(th)).toFixed(2)}`,
    );
  }
}
