import { assertEquals } from "@std/assert";
import { eigh, qr, slogdet, svd, tensor } from "../../lib/mod.ts";

Deno.test("result records print labelled, rows aligned", async (t) => {
  const A = tensor([[2, 1], [1, 2]]);
  await t.step("eigh", () => {
    // A diagonal matrix: both kernels give exact eigenvalues (for [[2, 1], [1, 2]] the
    // TypeScript one gives 0.9999999999999998, which prints as 1.0).
    assertEquals(
      Deno.inspect(eigh(tensor([[5, 0], [0, 2]]))),
      [
        "EighResult {",
        "  eigenvalues: Tensor([2, 5], shape=[2]),",
        "  eigenvectors: Tensor([[0, 1],",
        "                        [1, 0]], shape=[2, 2])",
        "}",
      ].join("\n"),
    );
  });
  await t.step("nested in an object", () => {
    assertEquals(
      Deno.inspect({ r: slogdet(A) }),
      "{\n  r: SlogdetResult {\n    sign: Tensor(1, shape=[]),\n    logabsdet: Tensor(1.0986, shape=[])\n  }\n}",
    );
  });
  await t.step("svd and qr name their fields; destructuring sees only the tensors", () => {
    assertEquals(Object.keys(svd(A)), ["U", "S", "Vh"]);
    assertEquals(Object.keys(qr(A)), ["Q", "R"]);
    assertEquals(Deno.inspect(svd(A)).split("\n")[0], "SvdResult {");
    assertEquals(Deno.inspect(qr(A)).split("\n").length, 6);
  });
});
