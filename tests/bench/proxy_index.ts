/**
 * What would `W[0]` through a Proxy cost? Builds a copy of lib/ in a temporary folder whose
 * Tensor constructor returns `new Proxy(this, handler)` (numeric keys → `get(i)`, everything
 * else forwarded to the tensor), then benches the same hot loops against both copies in one
 * `deno bench` run.
 *
 *     deno run -A tests/bench/proxy_index.ts
 */
const root = new URL("../../", import.meta.url).pathname;
const tmp = await Deno.makeTempDir({ prefix: "matcalc-proxy-" });
await new Deno.Command("cp", { args: ["-r", `${root}lib`, `${tmp}/lib`] }).output();

const file = `${tmp}/lib/tensor.ts`;
let src = await Deno.readTextFile(file);
const patch = (from: string, to: string) => {
  if (!src.includes(from)) throw new Error(`proxy_index: lib/tensor.ts changed: no ${from}`);
  src = src.replaceAll(from, to);
};
// Private fields cannot be read through a Proxy: every read unwraps to the target first.
patch("rawOf = (t) => t.#data;", "rawOf = (t) => ((t as any)[TARGET] ?? t).#data;");
patch("this.#data[", "rawOf(this)[");
patch("nest(this.#data,", "nest(rawOf(this),");
patch("formatTensor(this.#data,", "formatTensor(rawOf(this),");
patch("return this.#data;\n  }", "return rawOf(this);\n  }");
patch("    this.#data = data;\n", "    this.#data = data;\n    return new Proxy(this, handler);\n");
src += `
const TARGET = Symbol("target");
const handler: ProxyHandler<Tensor> = {
  get(t, p) {
    if (p === TARGET) return t;
    if (typeof p === "string") {
      const c = p.charCodeAt(0);
      if ((c >= 48 && c <= 57) || c === 45) return t.get(Number(p));
    }
    return Reflect.get(t, p, t);
  },
};
`;
await Deno.writeTextFile(file, src);

const bench = `${tmp}/proxy_bench.ts`;
await Deno.writeTextFile(
  bench,
  `
import * as plain from "${root}lib/mod.ts";
import * as proxied from "${tmp}/lib/mod.ts";
for (const [name, mc] of [["plain", plain], ["proxy", proxied]] as const) {
  const a = mc.randn([4], { seed: 1 }), b = mc.randn([4], { seed: 2 });
  const W = mc.randn([8, 8], { seed: 3 }), x = mc.randn([8], { seed: 4 });
  if (name === "proxy" && (W as any)[0].shape[0] !== 8) throw new Error("proxy not active");
  Deno.bench(\`add [4] x1000 (\${name})\`, { group: "add" , baseline: name === "plain" }, () => {
    let s = a;
    for (let i = 0; i < 1000; i++) s = mc.add(s, b);
  });
  Deno.bench(\`matmul [8,8]·[8] x1000 (\${name})\`, { group: "matmul", baseline: name === "plain" }, () => {
    for (let i = 0; i < 1000; i++) mc.matmul(W, x);
  });
  const loss = (W: plain.Tensor) => mc.sum(mc.tanh(mc.matmul(W, x)));
  Deno.bench(\`grad of sum(tanh(W x)) x100 (\${name})\`, { group: "grad", baseline: name === "plain" }, () => {
    for (let i = 0; i < 100; i++) mc.grad(loss as any, W);
  });
  Deno.bench(\`.shape/.size reads x1e5 (\${name})\`, { group: "props", baseline: name === "plain" }, () => {
    let n = 0;
    for (let i = 0; i < 1e5; i++) n += W.shape[0] + W.size;
    if (n === 0) throw new Error();
  });
}
`,
);
const out = await new Deno.Command("deno", {
  args: ["bench", "-A", "--no-check", "--config", `${root}deno.json`, bench],
  stdout: "inherit",
  stderr: "inherit",
}).output();
await Deno.remove(tmp, { recursive: true });
Deno.exit(out.code);
