/**
 * Plain Jupyter tools on a notebook the runner executed: `jupyter nbconvert --to html` (Debian's
 * 6.5, no matcalc code involved) must show matcalc's charts as drawn SVGs, which it does through
 * the `text/markdown` copy of each chart's SVG (nbconvert strips `image/svg+xml` to its text).
 */
import { assert, assertEquals } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { markPaths, parseXml, vertexCount } from "./xml.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

Deno.test("plain `jupyter nbconvert --to html` keeps matcalc's charts drawn", async () => {
  const out = Deno.makeTempDirSync({ prefix: "matcalc-nbconvert-" });
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(ROOT, "kernel", "run_notebooks.ts"),
        "--out",
        out,
        "--no-html",
        join(ROOT, "tests", "kernel", "fixtures", "display.ipynb"),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assert(run.success, dec.decode(run.stdout) + dec.decode(run.stderr));
    const convert = await new Deno.Command("jupyter", {
      args: ["nbconvert", "--to", "html", join(out, "display.ipynb")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(convert.success, dec.decode(convert.stderr));
    const html = Deno.readTextFileSync(join(out, "display.html"));
    const charts = [...html.matchAll(/<svg[^>]*class="marks"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    // The static chart and the live curve's final frame, each with both series drawn.
    assertEquals(charts.length, 2);
    const lines = charts.map((svg) =>
      markPaths(parseXml(svg), "line").map((p) => vertexCount(p.attrs.d))
    );
    assertEquals(lines, [[4, 4], [120, 120]]);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
