// Dense Jacobians by one batched reverse sweep (all one-hot cotangents stacked) agree with the
// row-by-row sweep, forward mode and finite differences, and fall back where a rule is unknown.
import { assert, assertEquals } from "@std/assert";
import {
  add,
  arctan,
  broadcastTo,
  cos,
  cosh,
  div,
  exp,
  expm1,
  jacfwd,
  jacobian,
  jacrev,
  log1p,
  matmul,
  mul,
  neg,
  numericalJacobian,
  relu,
  reshape,
  sigmoid,
  sign,
  sin,
  sinh,
  softplus,
  sub,
  sum,
  tan,
  tanh,
  type Tensor,
  transpose,
} from "../../lib/mod.ts";
import { tensorStream } from "./helpers.ts";
import { trace } from "../../lib/ad/engine.ts";
import { batchable } from "../../lib/ad/batched.ts";
import { matmulT } from "../../lib/ops/matmul.ts";
import {
  arctan2,
  clip,
  concat,
  crossEntropy,
  cumsum,
  logSoftmax,
  max,
  maximum,
  min,
  minimum,
  pow,
  slice,
  tensor,
  where,
} from "../../lib/mod.ts";
import { pad } from "../../lib/ops/slice.ts";

const rand = tensorStream(11);
function close(a: Tensor, b: Tensor, tol: number, what: string) {
  assertEquals(a.shape, b.shape, what);
  a.data.forEach((v, i) =>
    assert(Math.abs(v - b.data[i]) <= tol, `${what}[${i}]: ${v} vs ${b.data[i]}`)
  );
}

const x = rand([4]), X = rand([5, 3]);
const CASES: [string, (...a: Tensor[]) => Tensor, Tensor[]][] = [
  ["W ↦ W x", (W) => matmul(W, x), [rand([3, 4])]],
  ["(W, b) ↦ tanh(W x + b)", (W, b) => tanh(add(matmul(W, x), b)), [rand([3, 4]), rand([3])]],
  ["W ↦ relu(X W) (batch × weights)", (W) => relu(matmul(X, W)), [rand([3, 2])]],
  ["A ↦ Aᵀ A", (A) => matmul(transpose(A), A), [rand([4, 3])]],
  ["transposed operands", (A, B) => matmulT(A, B, true, true), [rand([3, 2]), rand([4, 3])]],
  ["A ↦ op(A) B, Aᵀ", (A) => matmulT(A, X, true, false), [rand([5, 2])]],
  ["B ↦ A op(B), Bᵀ", (B) => matmulT(X, B, false, true), [rand([2, 3])]],
  [
    "sums, broadcasts, quotients",
    (a, b) => div(sum(mul(exp(a), b), [1]), add(sum(mul(a, a), [1]), 1)),
    [rand([3, 4]), rand([4])],
  ],
  [
    "reshape, broadcastTo, sub, neg, sigmoid, sign",
    (a) => reshape(sub(sigmoid(broadcastTo(a, [4, 6])), neg(mul(sign(a), a))), [2, 12]),
    [rand([6])],
  ],
  ["a vector times a matrix", (v, A) => matmul(v, A), [rand([5]), rand([5, 3])]],
  [
    "trigonometric, hyperbolic, log1p, expm1, softplus",
    (a) =>
      add(
        mul(sin(a), cos(a)),
        add(tan(mul(0.3, a)), add(arctan(a), add(sinh(a), add(cosh(a), softplus(a))))),
      ),
    [rand([2, 3])],
  ],
  ["log1p and expm1", (a) => mul(log1p(mul(a, a)), expm1(a)), [rand([4])]],
  [
    "where, pow, clip, maximum, minimum, arctan2",
    (a, b) =>
      add(
        where(tensor([[1, 0, 1], [0, 1, 0]]), pow(a, 3), clip(b, -0.5, 0.5)),
        add(maximum(a, b), add(minimum(a, 0.1), arctan2(a, add(b, 2)))),
      ),
    [rand([2, 3]), rand([3])],
  ],
  [
    "slice, pad, concat",
    (a, b) =>
      concat([slice(a, [1, 0], [3, 4]), mul(b, b), slice(pad(a, [1, 2], [5, 8]), [0, 2], [5, 6])]),
    [rand([3, 4]), rand([2, 4])],
  ],
  [
    "max and min over axes, ties shared",
    (a) => add(max(a, [1]), mul(min(a, 0), sum(a))),
    [tensor([[1, 3, 3], [2, -1, 2], [0.5, 0.25, -2]])],
  ],
  ["stacked matmul", (A, B) => matmul(A, B), [rand([2, 3, 4]), rand([2, 4, 2])]],
  [
    "stacked matmul, a broadcast matrix and a vector",
    (A, B, v) => tanh(matmul(matmul(A, B), v)),
    [rand([3, 4]), rand([2, 4, 2]), rand([2])],
  ],
  ["logSoftmax", (z) => logSoftmax(matmul(X, z), 0), [rand([3])]],
  [
    "crossEntropy inside a vector-valued function",
    (Z, T) => mul(crossEntropy(Z, T), tensor([1, -2, 3])),
    [rand([4, 3]), tensor([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.2, 0.3, 0.5]])],
  ],
  ["logSoftmax of a matrix, per row", (Z) => mul(logSoftmax(Z, 1), Z), [rand([3, 4])]],
];

Deno.test("batched reverse sweeps: the same Jacobians as forward mode and finite differences", () => {
  for (const [name, f, args] of CASES) {
    assert(batchable(trace("test", f, args)), `${name} is swept batched`);
    const rev = jacrev(f, args), fwd = jacfwd(f, args), num = numericalJacobian(f, args);
    rev.forEach((J, a) => {
      close(J, fwd[a], 1e-12, `${name} rev vs fwd, input ${a}`);
      close(J, num[a], 1e-6, `${name} rev vs finite differences, input ${a}`);
    });
  }
});

Deno.test("batched reverse sweeps: W ↦ W x in closed form, δᵢⱼ x[k]", () => {
  const m = 6, n = 5, v = rand([n]), J = jacobian((W: Tensor) => matmul(W, v), rand([m, n]));
  assertEquals(J.shape, [m, m, n]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < n; k++) {
        assertEquals(J.data[(i * m + j) * n + k], i === j ? v.data[k] : 0);
      }
    }
  }
});

Deno.test("a trace with a primitive without a batched rule is swept row by row", () => {
  const f = (z: Tensor) => cumsum(matmul(X, z));
  const z = rand([3]);
  assert(!batchable(trace("test", f, [z])));
  close(jacrev(f, z), jacfwd(f, z), 1e-12, "cumsum");
});
