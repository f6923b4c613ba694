/**
 * `deno run -A tests/bench/compare_revision.ts /path/to/other/checkout [--only=MLP,MNIST]`: times this tree's
 * WebAssembly backend against another checkout of matcalc (an older commit, say, in a git
 * worktree) in one process, rounds interleaved, one thread each: matmul, outer, kron and the
 * gradient rows of `bench:compare`. Prints medians of 9 rounds and the ratio this ÷ other.
 *
 * @module
 */
import * as here from "matcalc";
import type { Tensor } from "matcalc";
import { loadMnist } from "./mnist_epoch.ts";

const other = Deno.args.find((a) => !a.startsWith("--"));
/** `--only=MLP,MNIST`: just the rows whose names contain one of these. */
const ONLY = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? [];
if (!other) throw new Error("usage: compare_revision.ts /path/to/other/checkout");
type Mc = typeof here;
const there = (await import(new URL(`file://${other}/lib/mod.ts`).href)) as Mc;
here.setBackend("wasm");
for (const mc of [here, there]) mc.setThreads(1);

/** The rows, written once against either module. */
function rows(mc: Mc): [string, () => unknown][] {
  const r = (s: number[], seed: number) => mc.randn(s, { seed });
  const out: [string, () => unknown][] = [];
  for (const n of [64, 256, 512, 1024]) {
    const A = r([n, n], 1), B = r([n, n], 2);
    out.push([`matmul ${n}`, () => mc.matmul(A, B)]);
  }
  const g = r([4096], 5), x = r([4096], 6);
  out.push(["outer 4096", () => mc.outer(g, x)]);
  const K1 = r([48, 48], 3), K2 = r([48, 48], 4);
  out.push(["kron 48² ⊗ 48²", () => mc.kron(K1, K2)]);
  const W = r([1024, 1024], 9), v = r([1024], 10), t = r([1024], 11);
  out.push([
    "grad ½‖Wx − t‖² 1024²",
    () => mc.valueAndGrad((w) => mc.mul(0.5, mc.sum(mc.square(mc.sub(mc.matmul(w, v), t)))), W),
  ]);
  const X = r([100, 784], 12), W1 = mc.mul(0.05, r([784, 128], 13));
  const W2 = mc.mul(0.05, r([128, 10], 14)), Y = r([100, 10], 15);
  out.push([
    "grad MLP 784→128→10",
    () =>
      mc.valueAndGrad(
        (w1, w2) =>
          mc.mul(0.005, mc.sum(mc.square(mc.sub(mc.matmul(mc.tanh(mc.matmul(X, w1)), w2), Y)))),
        [W1, W2],
      ),
  ]);
  const Wj = r([64, 64], 8), xj = r([64], 7);
  out.push(["jacobian ∂(W x)/∂W 64³", () => mc.jacobian((w) => mc.matmul(w, xj), Wj)]);
  out.push(["MNIST softmax-regression epoch", () => epoch(mc)]);
  return out;
}

/** `mnist_epoch.ts`'s epoch, written against either module. */
function epoch(mc: Mc) {
  const { n, X, labels } = digits;
  let W = mc.zeros([784, 10]), b = mc.zeros([10]);
  let xb = mc.zeros([0]), yb = mc.zeros([0]);
  const loss = (w: Tensor, bias: Tensor) => mc.crossEntropy(mc.add(mc.matmul(xb, w), bias), yb);
  for (let s = 0; s < n; s += 100) {
    const e = Math.min(n, s + 100);
    xb = new mc.Tensor(X.subarray(s * 784, e * 784), [e - s, 784]);
    yb = new mc.Tensor(Float64Array.from(labels.subarray(s, e)), [e - s]);
    const [, [gW, gb]] = mc.valueAndGrad(loss, [W, b]);
    W = mc.sub(W, mc.mul(0.5, gW));
    b = mc.sub(b, mc.mul(0.5, gb));
  }
  return W;
}

const digits = loadMnist();
const A = rows(here), B = rows(there);
const sample = (f: () => unknown) => {
  let iters = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 50) (f(), iters++);
  return (performance.now() - t0) / iters;
};
console.log(`| row | this tree | ${other} | this ÷ other |`);
console.log("|---|---:|---:|---:|");
for (let i = 0; i < A.length; i++) {
  if (ONLY.length > 0 && !ONLY.some((o) => A[i][0].includes(o))) continue;
  const ta: number[] = [], tb: number[] = [];
  for (const f of [A[i][1], B[i][1]]) sample(f), sample(f);
  for (let round = 0; round < 9; round++) {
    ta.push(sample(A[i][1]));
    tb.push(sample(B[i][1]));
  }
  const med = (x: number[]) => x.sort((p, q) => p - q)[4];
  const fmt = (ms: number) => ms < 1 ? `${(ms * 1e3).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
  console.log(
    `| ${A[i][0]} | ${fmt(med(ta))} | ${fmt(med(tb))} | ${(med(ta) / med(tb)).toFixed(2)}× |`,
  );
}
