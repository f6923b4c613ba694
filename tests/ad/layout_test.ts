import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  fromLayout,
  grad,
  jacobian,
  jacobianOfMatmul,
  type Layout,
  matmul,
  mul,
  randn,
  reshape,
  ShapeError,
  square,
  sub,
  sum,
  tensor,
  toLayout,
  toVecMatrix,
  transpose,
  ValueError,
  vec,
  zeros,
} from "matcalc";

Deno.test("toLayout()", async (t) => {
  const m = 3, n = 4;
  const W = randn([m, n], { seed: 1 }),
    x = randn([n], { seed: 2 }),
    target = randn([m], { seed: 3 });
  const loss = (W: typeof x) => mul(0.5, sum(square(sub(matmul(W, x), target))));
  const g = grad(loss, W);

  await t.step("all layouts hold the same numbers ∂L/∂W_ij", () => {
    const num = toLayout(g, "numerator"), den = toLayout(g, "denominator");
    const v = toLayout(g, "vec");
    assertEquals(num.shape, [n, m]);
    assertEquals(den.shape, [m, n]);
    assertEquals(v.shape, [1, m * n]);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        assertStrictEquals(num.at(j, i), g.at(i, j)); // numerator: entry (j, i) = ∂L/∂W_ij
        assertStrictEquals(den.at(i, j), g.at(i, j));
        assertStrictEquals(v.at(0, j * m + i), g.at(i, j)); // vec stacks columns
      }
    }
  });

  await t.step("the vec row is ∂L/∂y times the vec-form Jacobian xᵀ ⊗ I", () => {
    const dLdy = sub(matmul(W, x), target);
    const viaChain = matmul(reshape(dLdy, [1, m]), jacobianOfMatmul(W, x).toVecMatrix());
    assertAllClose(viaChain, toLayout(g, "vec"), { rtol: 1e-12, atol: 1e-12 });
    const dense = jacobian((W) => matmul(W, x), W);
    assertAllClose(matmul(reshape(dLdy, [1, m]), toVecMatrix(dense, 1)), viaChain, {
      rtol: 1e-12,
      atol: 1e-12,
    });
  });

  await t.step("round trips for every layout and rank ≤ 2", () => {
    const layouts: Layout[] = ["gradient", "numerator", "denominator", "vec"];
    for (const shape of [[], [3], [2, 3]]) {
      const a = randn(shape, { seed: 4 });
      for (const layout of layouts) {
        assertEquals(fromLayout(toLayout(a, layout), layout, shape).toArray(), a.toArray());
      }
    }
    assertEquals(toLayout(tensor([1, 2]), "numerator").shape, [1, 2]);
    assertEquals(toLayout(tensor([1, 2]), "denominator").shape, [2, 1]);
    assertEquals(toLayout(g, "numerator").toArray(), transpose(g).toArray());
    assertEquals(toLayout(g, "vec").toArray(), [vec(g).toArray()]);
  });

  await t.step("rank 3 works in vec layout only", () => {
    const a = randn([2, 2, 2], { seed: 5 });
    assertEquals(fromLayout(toLayout(a, "vec"), "vec", [2, 2, 2]).toArray(), a.toArray());
    assertEquals(
      assertThrows(() => toLayout(a, "numerator"), ShapeError).message,
      "toLayout: the numerator layout is defined for scalars, vectors and matrices, got shape " +
        '[2, 2, 2]; use "gradient" or "vec" for higher ranks',
    );
  });

  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => toLayout(g, "row" as Layout), ValueError).message,
      'toLayout: unknown layout "row"; use one of "gradient", "numerator", "denominator", "vec"',
    );
    assertEquals(
      assertThrows(() => fromLayout(zeros([1, 5]), "vec", [2, 3]), ShapeError).message,
      "fromLayout: cannot read [1, 5] in vec layout as a gradient of shape [2, 3]: they hold " +
        "5 and 6 numbers",
    );
  });
});

Deno.test("toVecMatrix()", async (t) => {
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => toVecMatrix(zeros([2, 3]), 3), ShapeError).message,
      "toVecMatrix: outRank must be an integer in [0, 2] for a Jacobian of shape [2, 3], " +
        "got 3; it is the rank of f(x)",
    );
  });
  await t.step("scalar output gives a row", () => {
    assertEquals(toVecMatrix(tensor([[1, 2], [3, 4]]), 0).toArray(), [[1, 3, 2, 4]]);
  });
});
