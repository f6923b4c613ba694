import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { arange, grad, mul, ones, randn, reshape, sum, tensor, zeros } from "matcalc";
import { numberFormat } from "../../lib/format.ts";

Deno.test("Tensor.toString()", async (t) => {
  await t.step("integers print plainly, aligned", () => {
    assertEquals(
      tensor([[1, 2], [30, 4]]).toString(),
      "Tensor([[ 1,  2],\n        [30,  4]], shape=[2, 2])",
    );
    assertEquals(tensor([1, -2]).toString(), "Tensor([ 1, -2], shape=[2])");
  });
  await t.step("one precision per tensor so the decimal points line up", () => {
    assertEquals(
      tensor([[1, 0.5], [1 / 3, 2]]).toString(),
      "Tensor([[1.0000, 0.5000],\n        [0.3333, 2.0000]], shape=[2, 2])",
    );
    assertEquals(tensor([0.1 + 0.2, 2]).toString(), "Tensor([0.3, 2.0], shape=[2])");
    assertEquals(tensor([0.25, -1.5]).toString(), "Tensor([ 0.25, -1.50], shape=[2])");
  });
  await t.step("scientific notation for very large or very small magnitudes", () => {
    assertEquals(tensor([1e-7, 1]).toString(), "Tensor([1.0000e-7, 1.0000e+0], shape=[2])");
    assertEquals(tensor([1.5e9, 0.5]).toString(), "Tensor([1.5000e+9, 5.0000e-1], shape=[2])");
    assertEquals(tensor([1.5e9]).toString(), "Tensor([1500000000], shape=[1])");
  });
  await t.step("scientific notation when magnitudes are over 1000 apart (NumPy's rule)", () => {
    // Fixed notation would print 0.0001 here: a fifth off.
    assertEquals(tensor([0.00012345, 1]).toString(), "Tensor([1.2345e-4, 1.0000e+0], shape=[2])");
    assertEquals(tensor([0.002, 1.5]).toString(), "Tensor([0.002, 1.500], shape=[2])");
    assertEquals(tensor([0, 0.5, 2]).toString(), "Tensor([0.0, 0.5, 2.0], shape=[3])");
  });
  await t.step("a lone number keeps its significant digits; nonzeros never print as 0", () => {
    assertEquals(tensor(0.000149).toString(), "Tensor(0.000149, shape=[])");
    assertEquals(tensor(0.5).toString(), "Tensor(0.5, shape=[])");
    assertEquals(tensor(1234.5678).toString(), "Tensor(1234.5678, shape=[])");
    const f = numberFormat([0.004, 0.5], 2);
    assertEquals([f(0.004), f(0.5)], ["4.00e-3", "5.00e-1"]);
  });
  await t.step("rows stay aligned inside an array (console.log([W]))", () => {
    const W = tensor([[1, 2], [3, 4]]);
    assertEquals(Deno.inspect([W]), "[\n  Tensor([[1, 2],\n          [3, 4]], shape=[2, 2])\n]");
    assertStrictEquals(Deno.inspect(W), W.toString());
  });
  await t.step("scalars, empty tensors, non-finite values", () => {
    assertEquals(tensor(3.5).toString(), "Tensor(3.5, shape=[])");
    assertEquals(tensor(-0).toString(), "Tensor(0, shape=[])");
    assertEquals(zeros([0, 3]).toString(), "Tensor([], shape=[0, 3])");
    assertEquals(
      tensor([NaN, 1.5, -Infinity]).toString(),
      "Tensor([      NaN,       1.5, -Infinity], shape=[3])",
    );
  });
  await t.step("3-D tensors separate blocks with a blank line (no trailing spaces)", () => {
    assertEquals(
      reshape(arange(8), [2, 2, 2]).toString(),
      "Tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]], shape=[2, 2, 2])",
    );
  });
  await t.step("more than 1000 elements: the middle rows and columns become …", () => {
    const s = reshape(arange(40 * 40), [40, 40]).toString();
    const lines = s.split("\n");
    assertEquals(lines.length, 7);
    assertEquals(lines[0], "Tensor([[   0,    1,    2, …,   37,   38,   39],");
    assertEquals(lines[3], "        …,");
    assertEquals(lines[6], "        [1560, 1561, 1562, …, 1597, 1598, 1599]], shape=[40, 40])");
    assert(randn([3, 2000], { seed: 1 }).toString().endsWith("shape=[3, 2000])"));
    assertEquals(ones([1000]).toString().includes("…"), false);
  });
  await t.step("traced tensors say so", () => {
    let seen = "";
    grad((x) => {
      seen = x.toString();
      return sum(x);
    }, tensor([1, 2]));
    assertEquals(seen, "Tensor([1, 2], shape=[2], traced)");
  });
  await t.step("Deno.inspect (the REPL) prints the same", () => {
    assertEquals(Deno.inspect(tensor([1, 2])), "Tensor([1, 2], shape=[2])");
  });
});

Deno.test("Tensor.toString() prints negative zero as 0", () => {
  const t = mul(tensor([0, 0]), tensor([-1, 2]));
  assert(Object.is(t.data[0], -0));
  assertEquals(t.toString(), "Tensor([0, 0], shape=[2])");
});
