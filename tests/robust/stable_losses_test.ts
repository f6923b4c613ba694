/**
 * Issue 16.2: crossEntropy, logsumexp, logSoftmax and softmax are exact (never NaN) for every
 * finite logit, also when the logits span more than the float range, where `x − max` overflows
 * to −∞; the loss is Infinity only when its exact value is past the largest float64. Gradients
 * (reverse and forward) stay finite too.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import {
  crossEntropy,
  grad,
  jacfwd,
  logSoftmax,
  logsumexp,
  softmax,
  sum,
  type Tensor,
  tensor,
} from "matcalc";

const MAX = Number.MAX_VALUE;

/** Rows of logits that span more than the float range, or sit at its edges. */
const ROWS: number[][] = [
  [1e308, -1e308, 0],
  [-1e308, 1e308],
  [MAX, -MAX, 0],
  [1e308, 1e308, -1e308],
  [-1e308, -1e308],
  [5e-324, -1e308, 1],
  [1e308, 0],
  [-MAX, 0, MAX, 3],
  [1e300, -1e300, 1e-300, -5],
];

/**
 * The loss of one row for class y, from the max shift alone: log Σ exp(z − m) − (z_y − m). The
 * subtraction z_y − m is the only place the exact value can pass the float range (then the loss
 * is +Infinity, which is the correctly rounded answer).
 */
function reference(z: number[], y: number): number {
  const m = Math.max(...z);
  const S = z.reduce((s, v) => s + Math.exp(v - m), 0);
  return Math.log(S) - (z[y] - m);
}

function oneHot(y: number, C: number): number[] {
  return Array.from({ length: C }, (_, c) => (c === y ? 1 : 0));
}

Deno.test("crossEntropy of extreme logits matches the shifted reference, never NaN", async (t) => {
  for (const z of ROWS) {
    for (let y = 0; y < z.length; y++) {
      await t.step(`[${z}] label ${y}`, () => {
        const want = reference(z, y);
        const byIndex = crossEntropy(tensor([z]), [y]).item();
        const byOneHot = crossEntropy(tensor([z]), tensor([oneHot(y, z.length)])).item();
        assert(!Number.isNaN(byIndex) && !Number.isNaN(byOneHot));
        assertEquals(byIndex, byOneHot);
        if (Number.isFinite(want)) assertAlmostEquals(byIndex, want, 1e-12 * Math.max(1, want));
        else assertEquals(byIndex, Infinity);
        // (softmax − onehot) is in [−1, 1]: both modes agree and stay finite.
        const f = (l: Tensor) => crossEntropy(l, [y]);
        const g = grad(f, tensor([z]));
        const J = jacfwd(f, tensor([z]));
        const G = Array.from(g.data), JF = Array.from(J.data);
        assert(G.every((v) => Number.isFinite(v) && Math.abs(v) <= 1), `grad ${G}`);
        G.forEach((v, i) => assertAlmostEquals(JF[i], v, 1e-12));
        const p = Array.from(softmax(tensor(z)).data);
        G.forEach((v, i) => assertAlmostEquals(v, p[i] - (i === y ? 1 : 0), 1e-12));
      });
    }
  }
  await t.step("the issue's case: [[1e308, −1e308, 0]] with label 0 is 0", () => {
    assertEquals(crossEntropy(tensor([[1e308, -1e308, 0]]), [0]).item(), 0);
    assertEquals(crossEntropy(tensor([[1e308, -1e308, 0]]), tensor([[1, 0, 0]])).item(), 0);
  });
  await t.step("soft labels and a batch of extreme rows", () => {
    const z = tensor([[1e308, -1e308, 0], [0, 1e308, -1e308]]);
    const labels = tensor([[0.5, 0, 0.5], [0, 1, 0]]);
    // Row 0: ½ · 0 + ½ · 1e308; row 1: 0. Mean over the batch: 2.5e307.
    assertEquals(crossEntropy(z, labels).item(), 2.5e307);
    const g = grad((l: Tensor) => crossEntropy(l, labels), z);
    assertEquals(g.toArray(), [[0.25, 0, -0.25], [0, 0, 0]]);
  });
  await t.step("rank-3 logits", () => {
    const z = tensor([[[1e308, -1e308]], [[-1e308, 1e308]]]);
    assertEquals(crossEntropy(z, tensor([[0], [1]])).item(), 0);
  });
});

Deno.test("logsumexp, logSoftmax and softmax of extreme rows are never NaN", async (t) => {
  for (const z of ROWS) {
    await t.step(`[${z}]`, () => {
      const m = Math.max(...z);
      const lse = logsumexp(tensor(z)).item();
      assertAlmostEquals(
        lse,
        m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)),
        1e-12 * Math.abs(m) + 1e-12,
      );
      const ls = Array.from(logSoftmax(tensor(z)).data);
      const p = Array.from(softmax(tensor(z)).data);
      assert(ls.every((v) => !Number.isNaN(v) && v <= 0), `logSoftmax ${ls}`);
      assert(p.every((v) => v >= 0 && v <= 1), `softmax ${p}`);
      assertAlmostEquals(p.reduce((a, b) => a + b, 0), 1, 1e-12);
      const g = Array.from(grad((x: Tensor) => logsumexp(x), tensor(z)).data);
      g.forEach((v, i) => assertAlmostEquals(v, p[i], 1e-12));
      const gl = Array.from(grad((x: Tensor) => sum(logSoftmax(x)), tensor(z)).data);
      assert(gl.every(Number.isFinite), `grad of logSoftmax ${gl}`);
    });
  }
});
