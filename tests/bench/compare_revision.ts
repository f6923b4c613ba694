/**
 * `deno run -A tests/bench/compare_revision.ts /path/to/other/checkout [--only=MLP,MNIST]`: times
 * this tree's WebAssembly backend against another checkout of matcalc (an older commit, say, in a
 * git worktree), one thread each: matmul, outer, kron and the gradient rows of `bench:compare`.
 * Each tree runs in a Deno process of its own (two copies of matcalc in one process disturbed
 * each other's JIT: the same MNIST row came out at 0.98× and 1.40× in runs a minute apart), and
 * the parent interleaves their samples. Prints medians of 9 rounds and the ratio this ÷ other.
 *
 * @module
 */
import type * as Matcalc from "matcalc";
import type { Tensor } from "matcalc";
import { loadMnist } from "./mnist_epoch.ts";
import { Child } from "./child.ts";

type Mc = typeof Matcalc;

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

let digits: ReturnType<typeof loadMnist>;

/** A child: loads one tree, answers `row index` lines with the milliseconds of a 50 ms sample. */
async function child(modPath: string) {
  const mc = (await import(new URL(`file://${modPath}`).href)) as Mc;
  (mc as { setBackend?: (b: string) => void }).setBackend?.("wasm");
  mc.setThreads(1);
  digits = loadMnist();
  const table = rows(mc);
  const enc = new TextEncoder();
  let buf = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const line of lines) {
      if (line === '"names"') {
        await Deno.stdout.write(enc.encode(`${JSON.stringify(table.map(([n]) => n))}\n`));
        continue;
      }
      const f = table[Number(line)][1];
      let iters = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 50) (f(), iters++);
      await Deno.stdout.write(enc.encode(`${(performance.now() - t0) / iters}\n`));
    }
  }
}

/** One tree's child process. */
function tree(modPath: string): Child {
  return new Child(
    Deno.execPath(),
    ["run", "-A", import.meta.filename!, "--child", modPath],
    Deno.env.toObject(),
  );
}

if (Deno.args[0] === "--child") {
  await child(Deno.args[1]);
} else {
  const other = Deno.args.find((a) => !a.startsWith("--"));
  /** `--only=MLP,MNIST`: just the rows whose names contain one of these. */
  const ONLY = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? [];
  if (!other) throw new Error("usage: compare_revision.ts /path/to/other/checkout");
  const here = tree(new URL("../../lib/mod.ts", import.meta.url).pathname);
  const there = tree(`${other}/lib/mod.ts`);
  const names = (await here.ask("names")) as string[];
  const sample = async (t: Child, row: number) => (await t.ask(row)) as number;
  console.log(`| row | this tree | ${other} | this ÷ other |`);
  console.log("|---|---:|---:|---:|");
  for (let i = 0; i < names.length; i++) {
    if (ONLY.length > 0 && !ONLY.some((o) => names[i].includes(o))) continue;
    const ta: number[] = [], tb: number[] = [];
    for (let w = 0; w < 2; w++) await sample(here, i), await sample(there, i);
    for (let round = 0; round < 9; round++) {
      ta.push(await sample(here, i));
      tb.push(await sample(there, i));
    }
    const med = (x: number[]) => x.sort((p, q) => p - q)[4];
    const fmt = (ms: number) => ms < 1 ? `${(ms * 1e3).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
    console.log(
      `| ${names[i]} | ${fmt(med(ta))} | ${fmt(med(tb))} | ${(med(ta) / med(tb)).toFixed(2)}× |`,
    );
  }
  await here.close();
  await there.close();
}
