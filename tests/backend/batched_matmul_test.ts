// matmul on stacks of matrices, as numpy.matmul: values against a plain loop, the broadcast of
// batch axes, vectors on either side, and derivatives three ways.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertGrad,
  grad,
  jacfwd,
  jacrev,
  matmul,
  numericalJacobian,
  reshape,
  ShapeError,
  sum,
  tanh,
  type Tensor,
} from "../../lib/mod.ts";
import { tensorStream } from "./helpers.ts";

const rand = tensorStream(3);

/** numpy.matmul by the definition, with broadcast batch axes, for rank ≥ 2 operands. */
function naive(a: Tensor, b: Tensor): { data: number[]; shape: number[] } {
  const ra = a.rank, rb = b.rank, m = a.shape[ra - 2], k = a.shape[ra - 1], n = b.shape[rb - 1];
  const ba = a.shape.slice(0, -2), bb = b.shape.slice(0, -2), r = Math.max(ba.length, bb.length);
  const pa = [...Array(r - ba.length).fill(1), ...ba],
    pb = [...Array(r - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => (d === 1 ? pb[i] : d));
  const count = batch.reduce((p, d) => p * d, 1), data: number[] = [];
  for (let c = 0; c < count; c++) {
    let ia = 0, ib = 0, rest = c;
    const idx = batch.map(() => 0);
    for (let i = r - 1; i >= 0; i--) {
      idx[i] = rest % batch[i];
      rest = Math.floor(rest / batch[i]);
    }
    for (let i = 0; i < r; i++) {
      ia = ia * pa[i] + (pa[i] === 1 ? 0 : idx[i]);
      ib = ib * pb[i] + (pb[i] === 1 ? 0 : idx[i]);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += a.data[ia * m * k + i * k + p] * b.data[ib * k * n + p * n + j];
        }
        data.push(s);
      }
    }
  }
  return { data, shape: [...batch, m, n] };
}

function close(got: Tensor, want: { data: number[]; shape: number[] }) {
  assertEquals(got.shape, want.shape);
  got.data.forEach((v, i) => assert(Math.abs(v - want.data[i]) < 1e-12, `[${i}] ${v}`));
}

Deno.test("matmul of stacks: values and broadcast batch axes", () => {
  const cases: [number[], number[]][] = [
    [[3, 4, 5], [3, 5, 2]],
    [[3, 4, 5], [5, 2]],
    [[4, 5], [3, 5, 2]],
    [[2, 1, 4, 5], [3, 5, 6]],
    [[1, 4, 5], [3, 5, 2]],
    [[2, 3, 40, 30], [2, 3, 30, 50]],
    [[0, 4, 5], [5, 2]],
    [[2, 4, 0], [2, 0, 3]],
  ];
  for (const [sa, sb] of cases) {
    const a = rand(sa), b = rand(sb);
    close(matmul(a, b), naive(a, b));
  }
});

Deno.test("matmul of stacks with a vector on either side drops its axis", () => {
  const a = rand([3, 4, 5]), v = rand([5]), w = rand([4]);
  const av = matmul(a, v);
  assertEquals(av.shape, [3, 4]);
  close(av, { ...naive(a, reshape(v, [5, 1])), shape: [3, 4] });
  const wa = matmul(w, a);
  assertEquals(wa.shape, [3, 5]);
  close(wa, { ...naive(reshape(w, [1, 4]), a), shape: [3, 5] });
});

Deno.test("matmul of stacks: batch axes that do not broadcast are refused", () => {
  assertThrows(
    () => matmul(rand([2, 3, 4]), rand([3, 4, 5])),
    ShapeError,
    "batch axes [2] and [3]",
  );
  assertThrows(
    () => matmul(rand([2, 3, 4]), rand([2, 5, 5])),
    ShapeError,
    "inner dimensions 4 and 5",
  );
});

Deno.test("matmul of stacks: derivatives by reverse, forward and finite differences", () => {
  const pairs: [number[], number[]][] = [
    [[2, 3, 4], [2, 4, 2]],
    [[2, 3, 4], [4, 2]],
    [[3, 4], [2, 4, 2]],
    [[2, 1, 3, 4], [3, 4, 2]],
  ];
  for (const [sa, sb] of pairs) {
    const a = rand(sa), b = rand(sb);
    const f = (x: Tensor, y: Tensor) => tanh(matmul(x, y));
    assertGrad(f, [a, b], { atol: 1e-7 });
    const [ja, jb] = jacrev(f, [a, b]), [fa, fb] = jacfwd(f, [a, b]);
    const [na, nb] = numericalJacobian(f, [a, b]);
    for (const [x, y] of [[ja, na], [jb, nb], [fa, na], [fb, nb]]) {
      assertEquals(x.shape, y.shape);
      x.data.forEach((v, i) => assert(Math.abs(v - y.data[i]) < 1e-7));
    }
  }
  // Closed form: ∂ sum(A B) / ∂A = 1 Bᵀ for each stacked product; B broadcast over the batch
  // sums its cotangents over it.
  const a = rand([3, 2, 4]), b = rand([4, 5]);
  const [ga, gb] = grad((x: Tensor, y: Tensor) => sum(add(matmul(x, y), 0)), [a, b]);
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < 2; i++) {
      for (let p = 0; p < 4; p++) {
        let want = 0;
        for (let j = 0; j < 5; j++) want += b.data[p * 5 + j];
        assert(Math.abs(ga.data[s * 8 + i * 4 + p] - want) < 1e-12);
      }
    }
  }
  for (let p = 0; p < 4; p++) {
    let rowSum = 0;
    for (let s = 0; s < 3; s++) for (let i = 0; i < 2; i++) rowSum += a.data[s * 8 + i * 4 + p];
    for (let j = 0; j < 5; j++) assert(Math.abs(gb.data[p * 5 + j] - rowSum) < 1e-12);
  }
});
