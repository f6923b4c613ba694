import { assertEquals, assertThrows } from "@std/assert";
import {
  add,
  assertAllClose,
  grad,
  hessian,
  matmul,
  mul,
  numericalJacobian,
  randn,
  ShapeError,
  sin,
  square,
  sub,
  sum,
  tanh,
  type Tensor,
  transpose,
  ValueError,
} from "matcalc";

const x = randn([3], { seed: 1 }), y = randn([2], { seed: 2 });
const W = randn([2, 3], { seed: 3 }), b = randn([2], { seed: 4 });
const mlp = (W: Tensor, b: Tensor) => sum(square(sub(tanh(add(matmul(W, x), b)), y)));

/** H[a…, b…] ↦ H[b…, a…]: the first `k` axes moved to the end. */
function swapHalves(H: Tensor, k: number): Tensor {
  const r = H.rank;
  return transpose(H, [...Array(r - k).keys()].map((i) => i + k).concat([...Array(k).keys()]));
}

Deno.test("hessian(f, [W, b])", async (t) => {
  await t.step("block shapes [...xs[i].shape, ...xs[j].shape]", () => {
    const H = hessian(mlp, [W, b]);
    assertEquals(H.length, 2);
    assertEquals(H.map((row) => row.map((h) => h.shape)), [
      [[2, 3, 2, 3], [2, 3, 2]],
      [[2, 2, 3], [2, 2]],
    ]);
  });
  await t.step("each block against finite differences of the gradient", () => {
    const H = hessian(mlp, [W, b]);
    const tol = { rtol: 1e-6, atol: 1e-7 };
    for (let i = 0; i < 2; i++) {
      const gi = (W: Tensor, b: Tensor) => grad(mlp, [W, b])[i];
      const [N0, N1] = numericalJacobian(gi, [W, b]);
      assertAllClose(H[i][0], N0, tol);
      assertAllClose(H[i][1], N1, tol);
    }
  });
  await t.step("symmetry: H[1][0] is H[0][1] with its halves swapped", () => {
    const H = hessian(mlp, [W, b]);
    assertAllClose(H[1][0], swapHalves(H[0][1], 2), { atol: 1e-14 });
    assertAllClose(H[0][0], swapHalves(H[0][0], 2), { atol: 1e-14 });
  });
  await t.step("the diagonal blocks equal single-input Hessians", () => {
    const H = hessian(mlp, [W, b]);
    assertAllClose(H[0][0], hessian((W) => mlp(W, b), W), { atol: 1e-14 });
    assertAllClose(H[1][1], hessian((b) => mlp(W, b), b), { atol: 1e-14 });
  });
  await t.step("an input the function ignores gives zero blocks", () => {
    const H = hessian((u: Tensor, _v: Tensor) => sum(sin(u)), [x, y]);
    assertEquals(H[0][1].toArray(), [[0, 0], [0, 0], [0, 0]]);
    assertEquals(H[1][1].toArray(), [[0, 0], [0, 0]]);
    assertAllClose(H[0][0], [[-Math.sin(x.at(0)), 0, 0], [0, -Math.sin(x.at(1)), 0], [
      0,
      0,
      -Math.sin(x.at(2)),
    ]]);
  });
  await t.step("a bilinear term: ∂²(uᵀ v)/∂u∂v = I", () => {
    const H = hessian((u: Tensor, v: Tensor) => sum(mul(u, v)), [x, x]);
    assertEquals(H[0][1].toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assertEquals(H[0][0].toArray(), [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });
  await t.step("errors", () => {
    assertThrows(() => hessian(mlp, []), ValueError, "hessian: x must be a Tensor or a non-empty");
    assertThrows(
      () => hessian((u: Tensor, v: Tensor) => mul(u, v), [x, x]),
      ShapeError,
      "hessian: f must return a scalar",
    );
  });
});
