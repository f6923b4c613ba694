import { assertEquals } from "@std/assert";
import { eigh, qr, slogdet, svd, tensor } from "../../lib/mod.ts";

Deno.test("result records print labelled, rows aligned", async (t) => {
  const A = tensor([[2, 1], [1, 2]]);
  await t.step("eigh", () => {
    assertEquals(
      Deno.inspect(eigh(A)),
      [
        "EighResult {",
        "  eigenvalues: Tensor([1, 3], shape=[2]),",
        "  eigenvectors: Tensor([[ 0.7071,  0.7071],",
        "                        [-0.7071,  0.7071]], shape=[2, 2])",
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
