import {
  matmul,
  mul,
  outer,
  randn,
  setThreads,
  square,
  sub,
  sum,
  type Tensor,
  valueAndGrad,
} from "matcalc";
import { matmulReference } from "../../lib/backend/matmul_reference.ts";

for (const n of [16, 32, 128, 512]) {
  const A = randn([n, n], { seed: 1 }), B = randn([n, n], { seed: 2 });
  const a = A.data, b = B.data;
  Deno.bench(
    `matmul ${n}×${n} (wasm SIMD, 1 thread)`,
    { group: `matmul ${n}`, baseline: true },
    () => {
      matmul(A, B);
    },
  );
  if (n >= 128) {
    Deno.bench(`matmul ${n}×${n} (wasm SIMD, 2 threads)`, { group: `matmul ${n}` }, () => {
      setThreads(2);
      matmul(A, B);
      setThreads(1);
    });
  }
  Deno.bench(`matmul ${n}×${n} (plain TS reference)`, { group: `matmul ${n}` }, () => {
    matmulReference(a, b, n, n, n);
  });
}

{
  const n = 1024, g = randn([n], { seed: 3 }), x = randn([n], { seed: 4 });
  Deno.bench(`outer ${n}×${n}`, () => {
    outer(g, x);
  });
  const W = randn([n, n], { seed: 5 }), t = randn([n], { seed: 6 });
  const loss = (w: Tensor) => mul(0.5, sum(square(sub(matmul(w, x), t))));
  Deno.bench(`grad ½‖Wx − t‖² ${n}×${n} (autodiff)`, { group: "grad", baseline: true }, () => {
    valueAndGrad(loss, W);
  });
  Deno.bench(`grad ½‖Wx − t‖² ${n}×${n} (closed form)`, { group: "grad" }, () => {
    const r = sub(matmul(W, x), t);
    mul(0.5, sum(square(r)));
    outer(r, x);
  });
}
