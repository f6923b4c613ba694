import { assert, assertEquals, assertMatch, assertNotMatch, assertStrictEquals } from "@std/assert";
import { arange, jacobianOfMatmul, reshape, setPrintOptions, tensor, zeros } from "matcalc";
import { display, latex, md, mimeBundle, show, toHtml, toLatex } from "matcalc/kernel";

const EVIL = `<script>alert(1)</script><img src=x onerror=alert(1)>`;

Deno.test("mimeBundle() of a tensor", async (t) => {
  await t.step("a matrix has text, an HTML table and a bmatrix", () => {
    const b = mimeBundle(tensor([[1, 2], [3, 0.5]]));
    assertEquals(Object.keys(b).sort(), ["text/html", "text/latex", "text/plain"]);
    assertEquals(b["text/latex"], "$$\\begin{bmatrix} 1 & 2 \\\\ 3 & 0.5 \\end{bmatrix}$$");
    assertMatch(String(b["text/html"]), /<caption[^>]*>shape \[2, 2\]<\/caption>/);
    assertEquals(String(b["text/html"]).match(/<td/g)?.length, 4);
  });
  await t.step("a scalar is a number", () => {
    const b = mimeBundle(tensor(2.5));
    assertEquals(b["text/latex"], "$$2.5$$");
    assertMatch(String(b["text/html"]), /2\.5.*shape \[\]/);
  });
  await t.step("rank 4 has no LaTeX but escaped text", () => {
    const b = mimeBundle(zeros([1, 1, 1, 2]));
    assertEquals(b["text/latex"], undefined);
    assertMatch(String(b["text/html"]), /<pre>Tensor\(/);
  });
});

Deno.test("toLatex()", async (t) => {
  await t.step("vectors are columns", () => {
    assertEquals(toLatex(tensor([1, -2])), "\\begin{bmatrix} 1 \\\\ -2 \\end{bmatrix}");
  });
  await t.step("long axes are elided like NumPy", () => {
    const tex = toLatex(reshape(arange(144), [12, 12]))!;
    assertEquals(tex.split("\\\\").length, 9); // 4 rows, ⋮, 4 rows
    assertMatch(tex, /^\\begin\{bmatrix\} 0 & 1 & 2 & 3 & \\cdots & 8 & 9 & 10 & 11 \\\\/);
    assertMatch(tex, /\\vdots & \\vdots & \\vdots & \\vdots & \\ddots/);
    assertMatch(tex, /140 & 141 & 142 & 143 \\end\{bmatrix\}$/);
  });
  await t.step("rank 3 shows labelled slices side by side", () => {
    const J = tensor([[[1, 0], [0, 0]], [[0, 0], [1, 0]]]);
    assertStrictEquals(
      toLatex(J, { name: "J" }),
      "\\begin{array}{cc} \\scriptstyle J[0,:,:] & \\scriptstyle J[1,:,:] \\\\ " +
        "\\begin{bmatrix} 1 & 0 \\\\ 0 & 0 \\end{bmatrix} & " +
        "\\begin{bmatrix} 0 & 0 \\\\ 1 & 0 \\end{bmatrix} \\end{array}",
    );
  });
  await t.step("names with underscores subscript everything after the first one", () => {
    const label = (name: string) =>
      /\\scriptstyle (.*?)\[0,:,:\]/.exec(toLatex(zeros([1, 1, 1]), { name })!)![1];
    assertEquals(label("W"), "W");
    assertEquals(label("W_12"), "W_{12}");
    assertEquals(label("a_b_c"), "a_{b\\_c}");
    assertEquals(label("∂y/∂W_1"), "\\text{∂y/∂W1}");
  });
  await t.step("special numbers", () => {
    assertEquals(
      toLatex(tensor([NaN, Infinity, 1e-7])),
      "\\begin{bmatrix} \\text{NaN} \\\\ \\infty \\\\ 1 \\times 10^{-7} \\end{bmatrix}",
    );
  });
});

Deno.test("toHtml()", async (t) => {
  await t.step("rank 3 shows one captioned table per slice", () => {
    const html = toHtml(zeros([3, 2, 2]), { name: "J" });
    assertEquals(html.match(/J\[\d, :, :\]/g), ["J[0, :, :]", "J[1, :, :]", "J[2, :, :]"]);
    assertEquals(html.match(/<table/g)?.length, 3);
  });
  await t.step("large matrices are elided with ⋮ ⋯ ⋱", () => {
    const html = toHtml(zeros([40, 40]));
    assertEquals(html.match(/<tr>/g)?.length, 15);
    assertMatch(html, /⋱/);
    assertMatch(html, /⋮/);
    assertMatch(html, /⋯/);
  });
  await t.step("names are escaped", () => {
    const html = toHtml(zeros([1, 1]), { name: EVIL });
    assert(!html.includes("<script") && !html.includes("<img"));
    assertMatch(
      html,
      /&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/,
    );
  });
  await t.step("show() escapes the rank-3 slice labels too", () => {
    const html = String(mimeBundle(show(zeros([2, 1, 1]), { name: EVIL }))["text/html"]);
    assert(!html.includes("<script") && !html.includes("<img"));
  });
});

Deno.test("mimeBundle() of a structured Jacobian", async (t) => {
  await t.step("shows the formula, the shape and a dense preview", () => {
    const J = jacobianOfMatmul(tensor([[1, 2], [3, 4], [5, 6]]), tensor([1, 2]));
    const b = mimeBundle(J);
    assertEquals(
      b["text/latex"],
      "$$I_{3} \\otimes x^{\\top} \\quad \\text{(dense shape [3, 3, 2])}$$",
    );
    assertMatch(String(b["text/html"]), /<b>I₃ ⊗ xᵀ<\/b>.*KronJacobian, dense shape \[3, 3, 2\]/);
    assertEquals(String(b["text/html"]).match(/dense\[\d, :, :\]/g)?.length, 3);
    assertMatch(String(b["text/plain"]), /^KronJacobian I₃ ⊗ xᵀ: dense shape \[3, 3, 2\]/);
  });
  await t.step("duck-typed objects with describe() work too", () => {
    const fake = { shape: [2, 2], materialize: () => zeros([2, 2]), describe: () => EVIL };
    const html = String(mimeBundle(fake)["text/html"]);
    assert(!html.includes("<script"));
  });
});

Deno.test("latex``", async (t) => {
  await t.step("substitutes tensors and numbers", () => {
    const b = mimeBundle(latex`L = ${0.5},\ g = ${tensor([[1, 2]])}`);
    assertEquals(b, {
      "text/latex": "$$L = 0.5,\\ g = \\begin{bmatrix} 1 & 2 \\end{bmatrix}$$",
      "text/plain": "L = 0.5,\\ g = \\begin{bmatrix} 1 & 2 \\end{bmatrix}",
    });
  });
  await t.step("show() names rank-3 slices", () => {
    assertMatch(latex`${show(zeros([2, 1, 1]), { name: "J" })}`.source, /J\[1,:,:\]/);
  });
});

Deno.test("md``", async (t) => {
  await t.step("numbers inline, tensors as display math", () => {
    const b = mimeBundle(md`loss ${1e-9}: ${tensor([1])}`);
    assertEquals(
      b["text/markdown"],
      "loss $1 \\times 10^{-9}$: \n$$\\begin{bmatrix} 1 \\end{bmatrix}$$\n",
    );
  });
  await t.step("the plain-text view shows numbers as numbers, not LaTeX", () => {
    const b = mimeBundle(md`train: **${8000}** images, loss ${tensor(0.25)}, lr ${1e-9}`);
    assertEquals(
      b["text/markdown"],
      "train: **$8000$** images, loss $0.25$, lr $1 \\times 10^{-9}$",
    );
    assertEquals(b["text/plain"], "train: **8000** images, loss 0.25, lr 1.0000e-9");
  });
});

Deno.test("numbers: one format per tensor, as its text form, never a nonzero as 0", async (t) => {
  const cells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  await t.step("HTML and LaTeX use the text form's format", () => {
    const v = tensor([0.000149, 0.3]);
    const b = mimeBundle(v);
    assertMatch(String(b["text/plain"]), /1\.4900e-4, 3\.0000e-1/);
    assertEquals(cells(String(b["text/html"])), ["1.4900e-4", "3.0000e-1"]);
    assertEquals(
      b["text/latex"],
      "$$\\begin{bmatrix} 1.49 \\times 10^{-4} \\\\ 3 \\times 10^{-1} \\end{bmatrix}$$",
    );
  });
  await t.step("a low precision switches to scientific rather than print 0", () => {
    const html = toHtml(tensor([1234.56789, 0.001234]), { precision: 2 });
    assertEquals(cells(html), ["1.23e+3", "1.23e-3"]);
    const fixed = cells(toHtml(tensor([1, 0.004]), { precision: 2 }));
    assert(fixed.every((c) => Number(c) !== 0), fixed.join(" "));
    assertNotMatch(toLatex(tensor([1, 0.004]), { precision: 2 })!, /(^|[ {])0(\.0*)? /);
  });
  await t.step("a lone number keeps its significant digits", () => {
    assertEquals(md`lr ${0.00015}`.source, "lr $1.5 \\times 10^{-4}$");
    assertEquals(
      latex`${0.0012346} ${1 / 3} ${1234.56789} ${-2.5e-7}`.source,
      "0.001235 0.3333 1234.5679 -2.5 \\times 10^{-7}",
    );
    assertMatch(String(mimeBundle(tensor(0.000149))["text/html"]), />1\.49e-4</);
    assertEquals(mimeBundle(tensor(0.000149))["text/latex"], "$$1.49 \\times 10^{-4}$$");
  });
});

Deno.test("md`` and latex`` polish", async (t) => {
  await t.step("$ in interpolated text is escaped; the plain text has no HTML entities", () => {
    const note = md`paid ${"$5 & <$6>"}`;
    assertEquals(note.source, "paid \\$5 &amp; &lt;\\$6&gt;");
    assertEquals(mimeBundle(note)["text/plain"], "paid $5 & <$6>");
  });
  await t.step("rank 4 and above is named by its shape", () => {
    const t4 = zeros([1, 2, 1, 2]);
    assertEquals(md`x ${t4}`.source, "x \n$$\\text{Tensor of shape [1, 2, 1, 2]}$$\n");
    assertEquals(latex`${t4}`.source, "\\text{Tensor of shape [1, 2, 1, 2]}");
  });
  await t.step(
    "structured Jacobians escape user names in LaTeX; the HTML does not contradict itself",
    () => {
      const J = jacobianOfMatmul(tensor([[1, 2], [3, 4]]), tensor([1, 2]), { name: "x & 50%" });
      const b = mimeBundle(J);
      assertMatch(String(b["text/latex"]), /x \\& 50\\%\^\{\\top\}/);
      assertNotMatch(String(b["text/latex"]), /[^\\][&%]/);
      const html = String(b["text/html"]);
      assertNotMatch(html, /never materialized/);
      assertMatch(html, /stored by its structure; the dense form below is built only for display/);
    },
  );
});

Deno.test("display()", async (t) => {
  await t.step("outside a kernel it returns false and does not throw", () => {
    const log = console.log;
    const lines: string[] = [];
    console.log = (s: string) => lines.push(s);
    try {
      assertEquals(display(tensor([1, 2])), false);
      assertEquals(display({ "text/plain": "hi" }, { displayId: "x", update: true }), false);
    } finally {
      console.log = log;
    }
    assertEquals(lines, ["Tensor([1, 2], shape=[2])"]);
  });
});

Deno.test("the rich forms follow setPrintOptions' precision, as the text form does", () => {
  const t = tensor([Math.PI, 1]);
  const old = setPrintOptions({ precision: 2 });
  try {
    assertEquals(toLatex(t), "\\begin{bmatrix} 3.14 \\\\ 1 \\end{bmatrix}");
    assertMatch(toHtml(t), />3\.14</);
    assertEquals(toLatex(t, { precision: 6 }), "\\begin{bmatrix} 3.141593 \\\\ 1 \\end{bmatrix}");
  } finally {
    setPrintOptions(old);
  }
  assertEquals(toLatex(t), "\\begin{bmatrix} 3.1416 \\\\ 1 \\end{bmatrix}");
});
