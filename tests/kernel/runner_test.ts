/**
 * Through the real Deno kernel: the runner executes fixture notebooks with Jupyter and the
 * saved outputs are checked. Needs Debian's jupyter-nbconvert, python3-nbclient and
 * jupyter-client (see kernel/install.ts); takes about half a minute.
 */
import { assert, assertEquals, assertMatch, assertNotMatch, assertStrictEquals } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { markPaths, parseXml, vertexCount } from "./xml.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIXTURES = join(ROOT, "tests", "kernel", "fixtures");

interface Output {
  output_type: string;
  data?: Record<string, string | string[] | Record<string, unknown>>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
}

const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v));

async function runner(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "kernel", "run_notebooks.ts"), ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

function cells(path: string): Cell[] {
  return (JSON.parse(Deno.readTextFileSync(path)) as { cells: Cell[] }).cells;
}

Deno.test("run_notebooks.ts", async (t) => {
  const out = Deno.makeTempDirSync({ prefix: "matcalc-nb-" });
  try {
    await t.step("executes the display fixture and saves every kind of output", async () => {
      const r = await runner("--out", out, join(FIXTURES, "display.ipynb"));
      assertStrictEquals(r.code, 0, r.out + r.err);
      assertMatch(r.out, /notebook +cells +seconds +status/);
      assertMatch(r.out, /display\.ipynb +6 +\d+\.\d +ok/);
      // matcalc's own displays (tensors, charts, the live curve) never arrive under a later
      // cell's request, which an interactive frontend would show under the wrong cell.
      assertNotMatch(r.out, /[1-9]\d* of them sent under the next cell's request/);
      const nb = cells(join(out, "display.ipynb"));

      // Imports resolved through /work/main/deno.json, found by walking up from fixtures/.
      assertEquals(nb[1].outputs, []);
      // A matrix: LaTeX bmatrix and an HTML table.
      const matrix = nb[2].outputs![0].data!;
      assertEquals(
        joined(matrix["text/latex"]),
        "$$\\begin{bmatrix} 1 & 2 \\\\ 3 & 0.5 \\end{bmatrix}$$",
      );
      assertMatch(joined(matrix["text/html"]), /<table class="matcalc-tensor"/);
      // A rank-3 tensor: labelled slices.
      assertMatch(joined(nb[3].outputs![0].data!["text/latex"]), /J\[0,:,:\].*J\[1,:,:\]/);
      // A chart: all four representations, the SVG with both series.
      const chart = nb[4].outputs![0].data!;
      assertEquals(Object.keys(chart).sort(), [
        "application/vnd.plotly.v1+json",
        "application/vnd.vegalite.v5+json",
        "image/svg+xml",
        "text/markdown",
        "text/plain",
      ]);
      const lines = markPaths(parseXml(joined(chart["image/svg+xml"])), "line");
      assertEquals(lines.map((p) => vertexCount(p.attrs.d)), [4, 4]);
    });

    await t.step("the live curve's saved output is its final state", () => {
      const live = cells(join(out, "display.ipynb"))[5].outputs!;
      // update_display_data replaced the outputs in place: one chart, one progress line, the log.
      assertEquals(live.map((o) => o.output_type), ["display_data", "display_data", "stream"]);
      const fig = live[0].data!["application/vnd.plotly.v1+json"] as {
        data: { name: string; x: number[] }[];
      };
      assertEquals(fig.data.map((d) => [d.name, d.x.length, d.x[d.x.length - 1]]), [
        ["train", 120, 120],
        ["test", 120, 120],
      ]);
      const svg = parseXml(joined(live[0].data!["image/svg+xml"]));
      assertEquals(markPaths(svg, "line").map((p) => vertexCount(p.attrs.d)), [120, 120]);
      assertEquals(markPaths(svg, "rule").length, 1);
      assertMatch(
        joined(live[1].data!["text/plain"]),
        /^step 120\/120 \(100%\) · train 0\.008333 · test 0\.0125 · .* · done · stopped at step 100: marked at 100$/,
      );
      // More than the first and the final frame were sent while the loop ran.
      const renders = Number(/renders: (\d+)/.exec(joined(live[2].text))![1]);
      assert(renders >= 3, `only ${renders} renders`);
    });

    await t.step("the HTML page shows the charts as inline SVG without scripts", () => {
      const html = Deno.readTextFileSync(join(out, "display.html"));
      const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0])
        .filter((s) => s.includes("marks"));
      assertEquals(svgs.length, 2);
      for (const s of svgs) {
        assertEquals(markPaths(parseXml(s), "line").length, 2);
        assertNotMatch(s, /<script|onerror|onload/i);
      }
      assertMatch(html, /<table class="matcalc-tensor"/);
    });

    await t.step(
      "a failing cell fails the run, naming the notebook, the cell and the error",
      async () => {
        const r = await runner("--out", out, join(FIXTURES, "failing.ipynb"));
        assertEquals(r.code, 1);
        assertMatch(r.out, /failing\.ipynb +3 +\d+\.\d +error/);
        assertMatch(r.err, /failing\.ipynb: cell 2 failed \(error\)/);
        assertMatch(r.err, /cell starts: \/\/ Fails on purpose/);
        assertMatch(r.err, /Error: fixture failure: expected/);
        const nb = cells(join(out, "failing.ipynb"));
        assertEquals(nb[2].outputs![0].output_type, "error");
        assertEquals(nb[3].outputs, []);
      },
    );

    await t.step(
      "--rerun runs every cell twice in one kernel and fails a cell that can't",
      async () => {
        const path = join(FIXTURES, "not_rerunnable.ipynb");
        const once = await runner("--out", out, "--no-html", path);
        assertStrictEquals(once.code, 0, once.out + once.err);
        const twice = await runner("--out", out, "--no-html", "--rerun", path);
        assertEquals(twice.code, 1);
        assertMatch(twice.err, /not_rerunnable\.ipynb: cell 1 failed \(error\)/);
        assertMatch(twice.err, /\(on the second run in the same kernel\)/);
        assertMatch(twice.err, /fixture failure: this cell cannot run twice/);
      },
    );

    await t.step("a hung cell is stopped by the per-cell timeout", async () => {
      const t0 = performance.now();
      const r = await runner("--out", out, "--cell-timeout", "3", join(FIXTURES, "hang.ipynb"));
      assertEquals(r.code, 1);
      assertMatch(r.err, /hang\.ipynb: cell 0 failed \(timeout\)/);
      assert(performance.now() - t0 < 60_000);
    });

    await t.step("the matcalc kernel runs a notebook from any folder", async () => {
      const elsewhere = Deno.makeTempDirSync({ prefix: "matcalc-elsewhere-" });
      try {
        const nbPath = join(elsewhere, "outside.ipynb");
        Deno.copyFileSync(join(FIXTURES, "outside.ipynb"), nbPath);
        const r = await runner("--out", out, "--kernel", "matcalc", "--no-html", nbPath);
        assertStrictEquals(r.code, 0, r.out + r.err);
        const [cell] = cells(join(out, "outside.ipynb"));
        // The kernel started in the repository for its import map, then went back to the notebook.
        assertEquals(joined(cell.outputs![0].text), `${Deno.realPathSync(elsewhere)}\n`);
        assertEquals(
          joined(cell.outputs![1].data!["text/latex"]),
          "$$\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}$$",
        );
      } finally {
        Deno.removeSync(elsewhere, { recursive: true });
      }
    });
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
