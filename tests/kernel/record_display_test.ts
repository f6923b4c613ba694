import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { eigh, qr, slogdet, svd, tensor } from "matcalc";
import { mimeBundle } from "matcalc/kernel";
import { isTensorRecord } from "../../kernel/record_display.ts";

class EighLike {
  constructor(
    readonly eigenvalues = tensor([1, 3]),
    readonly eigenvectors = tensor([[1, 0], [0, 1]]),
  ) {}
  [Symbol.for("Jupyter.display")]() {
    const hook = (globalThis as Record<symbol, unknown>)[Symbol.for("matcalc.display")];
    return (hook as (o: unknown) => Record<string, string>)(this);
  }
}

Deno.test("record of tensors in Jupyter (eigh, svd, qr, slogdet results)", async (t) => {
  await t.step("recognized only when every field is a tensor", () => {
    assertEquals(isTensorRecord(new EighLike()), true);
    assertEquals(isTensorRecord({ a: tensor(1), b: 2 }), false);
    assertEquals(isTensorRecord({}), false);
    assertEquals(isTensorRecord(tensor([1])), false);
  });
  await t.step("each field labelled, in text, HTML and LaTeX", () => {
    const b = mimeBundle(new EighLike());
    assertMatch(String(b["text/plain"]), /^EighLike \{\n {2}eigenvalues: /);
    assertStringIncludes(String(b["text/plain"]), "eigenvectors:");
    assertStringIncludes(String(b["text/html"]), "EighLike");
    assertStringIncludes(String(b["text/html"]), "eigenvalues");
    assertEquals(
      b["text/latex"],
      "$$\\text{eigenvalues} = \\begin{bmatrix} 1 \\\\ 3 \\end{bmatrix},\\quad " +
        "\\text{eigenvectors} = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}$$",
    );
  });
});

Deno.test("eigh and slogdet results display as labelled tensors", () => {
  const b = mimeBundle(eigh(tensor([[2, 0], [0, 1]])));
  assertMatch(String(b["text/plain"]), /^EighResult \{\n {2}eigenvalues: /);
  assertStringIncludes(String(b["text/latex"]), "\\text{eigenvalues} = \\begin{bmatrix} 1 \\\\ 2");
  assertStringIncludes(String(b["text/latex"]), "\\text{eigenvectors} = ");
  const s = mimeBundle(slogdet(tensor([[2, 0], [0, -1]])));
  assertStringIncludes(String(s["text/html"]), "SlogdetResult");
  assertStringIncludes(String(s["text/latex"]), "\\text{sign} = -1");
  // Destructuring still gives exactly the tensors.
  assertEquals(Object.keys(eigh(tensor([[1]]))), ["eigenvalues", "eigenvectors"]);
});

Deno.test("svd and qr results display as labelled tensors", () => {
  const b = mimeBundle(svd(tensor([[3, 0], [0, 2]])));
  assertStringIncludes(String(b["text/latex"]), "\\text{S} = \\begin{bmatrix} 3 \\\\ 2");
  assertMatch(String(b["text/plain"]), /^SvdResult \{\n {2}U: /);
  const q = mimeBundle(qr(tensor([[1, 0], [0, 1]])));
  assertStringIncludes(String(q["text/html"]), "QrResult");
  assertStringIncludes(String(q["text/latex"]), "\\text{R} = ");
});
