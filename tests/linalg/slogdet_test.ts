import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  assertAllClose,
  det,
  grad,
  inv,
  logdet,
  matmul,
  randn,
  slogdet,
  tensor,
  transpose,
  ValueError,
} from "../../lib/mod.ts";
import { checkRules, forEachKernel } from "./helpers.ts";

forEachKernel("slogdet()", async (t) => {
  await t.step("closed forms, singular, and no overflow", () => {
    const r = slogdet(tensor([[1, 2], [3, 4]]));
    assertEquals(r.sign.item(), -1);
    assertAlmostEquals(r.logabsdet.item(), Math.log(2), 1e-15);
    const s = slogdet(tensor([[1, 2], [2, 4]]));
    assertEquals([s.sign.item(), s.logabsdet.item()], [0, -Infinity]);
    // det(1e3·I₂₀₀) = 1e600 overflows; its log does not.
    const big = tensor(
      Array.from(
        { length: 200 },
        (_, i) => Array.from({ length: 200 }, (_, j) => (i === j ? 1e3 : 0)),
      ),
    );
    assertEquals(det(big).item(), Infinity);
    assertAlmostEquals(slogdet(big).logabsdet.item(), 600 * Math.log(10), 1e-10);
    assertEquals(slogdet(randn([3, 2, 2], { seed: 1 })).logabsdet.shape, [3]);
  });
  await t.step("prints labelled", () => {
    assertEquals(Deno.inspect(slogdet(tensor([[2]]))).startsWith("SlogdetResult {"), true);
  });
  await t.step("gradient A⁻ᵀ, rules against differences (both modes, order 2)", () => {
    const A = randn([3, 3], { seed: 2 });
    assertAllClose(grad((A) => slogdet(A).logabsdet, A), transpose(inv(A)));
    checkRules("slogdet", (A) => slogdet(A).logabsdet, A);
  });
});

forEachKernel("logdet()", async (t) => {
  await t.step("value and gradient X⁻ᵀ of an SPD matrix", () => {
    const B = randn([3, 3], { seed: 3 });
    const X = matmul(B, transpose(B));
    assertAlmostEquals(logdet(X).item(), Math.log(det(X).item()), 1e-12);
    assertAllClose(grad(logdet, X), transpose(inv(X)));
    checkRules("logdet", logdet, X);
  });
  await t.step("det ≤ 0 is refused with its value", () => {
    assertThrows(
      () => logdet(tensor([[0, 1], [1, 0]])),
      ValueError,
      "logdet: the determinant of the [2, 2] input is not positive (det A = -1)",
    );
    assertThrows(() => logdet(tensor([[1, 2], [2, 4]])), ValueError, "(det A = 0)");
    assertThrows(
      () => logdet(tensor([[[1, 0], [0, 1]], [[-2, 0], [0, 1]]])),
      ValueError,
      "matrix at index [1] of the [2, 2, 2] input",
    );
  });
  await t.step("derivative at a singular matrix: the singular error, not NaN", () => {
    assertThrows(
      () => grad((A) => slogdet(A).logabsdet, tensor([[1, 2], [2, 4]])),
      ValueError,
      "slogdet: cannot invert",
    );
  });
});
