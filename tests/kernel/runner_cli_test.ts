/**
 * The notebook runner's command line and robustness, through the real Deno kernel: usage and
 * errors, SIGTERM/SIGINT ending every process of the run, a full disk leaving no partial file,
 * outputs kept under the cell that made them (1,000 display calls in a cell, also under load),
 * the notebook's own kernelspec, the matcalc kernel in the notebook's folder, and user-wide
 * kernel registrations left alone. Needs Debian's Jupyter packages (see kernel/install.ts).
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIXTURES = join(ROOT, "tests", "kernel", "fixtures");
const RUNNER = join(ROOT, "kernel", "run_notebooks.ts");

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
  name?: string;
}
interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
}

const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v));
const dec = new TextDecoder();

function runnerCommand(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", RUNNER, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  });
}

async function runner(args: string[], env: Record<string, string> = {}) {
  const r = await runnerCommand(args, env).output();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

function cells(path: string): Cell[] {
  return (JSON.parse(Deno.readTextFileSync(path)) as { cells: Cell[] }).cells;
}

function notebook(kernel: "deno" | "matcalc", sources: string[]): string {
  return JSON.stringify({
    cells: sources.map((s, i) => ({
      cell_type: "code",
      execution_count: null,
      id: `cell-${i}`,
      metadata: {},
      outputs: [],
      source: s,
    })),
    metadata: {
      kernelspec: {
        display_name: kernel === "deno" ? "Deno" : "matcalc (Deno)",
        language: "typescript",
        name: kernel,
      },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** pid → parent pid for every process now. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      // The command name may hold spaces and parentheses: fields follow the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") table.set(Number(e.name), Number(fields[1]));
    } catch { /* gone meanwhile */ }
  }
  return table;
}

function descendants(pid: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    for (const [child, parent] of table) {
      if (parent === p) {
        out.push(child);
        todo.push(child);
      }
    }
  }
  return out;
}

function alive(pid: number): boolean {
  return processTable().has(pid);
}

function commandLine(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("runner command line: --help and clear one-line errors", async (t) => {
  await t.step("--help prints the usage and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const r = await runner([flag]);
      assertEquals(r.code, 0, r.err);
      assertMatch(r.out, /^Usage: deno task notebooks \[options\] \[notebook\.ipynb \.\.\.\]/);
      assertMatch(r.out, /--cell-timeout SEC/);
      assertEquals(r.err, "");
    }
  });
  await t.step("an unknown option is one line naming it, exit 2", async () => {
    const r = await runner(["--bogus"]);
    assertEquals(r.code, 2);
    assertEquals(r.out, "");
    assertMatch(r.err.trim(), /^notebooks: Unknown option '--bogus'.*\(see --help\)$/);
    assertEquals(r.err.trim().split("\n").length, 1);
  });
  await t.step("a bad number is named", async () => {
    const r = await runner(["--cell-timeout", "soon", join(FIXTURES, "hang.ipynb")]);
    assertEquals(r.code, 2);
    assertEquals(
      r.err.trim(),
      'notebooks: --cell-timeout must be a positive number of seconds, got "soon" (see --help)',
    );
  });
  await t.step(
    "a missing notebook is one line, no traceback, no executed notebook named",
    async () => {
      const out = Deno.makeTempDirSync({ prefix: "matcalc-cli-" });
      try {
        const r = await runner(["--out", out, "/nonexistent/missing.ipynb"]);
        assertEquals(r.code, 2);
        assertEquals(r.err.trim(), "notebooks: no such notebook: /nonexistent/missing.ipynb");
        assertNotMatch(r.out + r.err, /Traceback|executed notebook|at file:/);
        assertEquals([...Deno.readDirSync(out)], []);
      } finally {
        Deno.removeSync(out, { recursive: true });
      }
    },
  );
});

Deno.test("runner: a file that is not a notebook is one line, nothing written", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "matcalc-cli-" });
  try {
    const bad = join(dir, "bad.ipynb");
    Deno.writeTextFileSync(bad, "{ not json");
    const r = await runner(["--out", join(dir, "out"), bad]);
    assertEquals(r.code, 1);
    assertMatch(
      r.err,
      /bad\.ipynb: failed \(error\)\n {2}cannot read .*bad\.ipynb as a notebook: /,
    );
    assertNotMatch(r.out + r.err, /Traceback|executed notebook/);
    assertEquals([...Deno.readDirSync(join(dir, "out"))], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runner: SIGTERM and SIGINT end the executor and the kernel, exit non-zero", async (t) => {
  const cases = [
    ["SIGTERM", 143, "while a cell runs"],
    ["SIGINT", 130, "while a cell runs"],
    ["SIGTERM", 143, "while the kernel starts"],
  ] as const;
  for (const [signal, code, when] of cases) {
    await t.step(`${signal} ${when}`, async () => {
      const out = Deno.makeTempDirSync({ prefix: "matcalc-sig-" });
      const mark = join(out, "mark");
      try {
        const child = runnerCommand(["--out", out, join(FIXTURES, "long_cell.ipynb")], {
          MATCALC_TEST_MARK: mark,
        }).spawn();
        const isKernel = (p: number) => / jupyter --kernel /.test(commandLine(p));
        let procs: number[] = [];
        const t0 = Date.now();
        while (Date.now() - t0 < 60_000) {
          procs = descendants(child.pid);
          const ready = when === "while a cell runs" ? exists(mark) : procs.some(isKernel);
          if (ready) break;
          await sleep(50);
        }
        procs = descendants(child.pid);
        assert(procs.some(isKernel), `no kernel under the runner: ${procs.map(commandLine)}`);
        assert(procs.some((p) => /execute_notebook\.py/.test(commandLine(p))), "no executor");
        const started = Date.now();
        child.kill(signal);
        const r = await child.output();
        assertEquals(r.code, code, dec.decode(r.stderr));
        assertMatch(dec.decode(r.stderr), new RegExp(`stopped by ${signal}`));
        // Well before the cell timeout (300 s).
        assert(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
        for (const p of procs) assert(!alive(p), `${p} (${commandLine(p)}) still runs`);
      } finally {
        Deno.removeSync(out, { recursive: true });
      }
    });
  }
});

Deno.test("runner: a full disk fails the run and leaves no partial file", async (t) => {
  const mnt = Deno.makeTempDirSync({ prefix: "matcalc-full-" });
  // A 64 KiB tmpfs: root can mount one; the executed notebooks and pages below do not fit.
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt],
    stdout: "null",
    stderr: "piped",
  }).output();
  const mounted = mount.success;
  try {
    await t.step({
      name: "the HTML page does not fit: exit 1, no page, no temporary file",
      ignore: !mounted,
      fn: async () => {
        const src = Deno.makeTempDirSync({ prefix: "matcalc-small-" });
        try {
          const nb = join(src, "small.ipynb");
          Deno.writeTextFileSync(nb, notebook("matcalc", ['import "matcalc/kernel";\n1 + 1;']));
          const r = await runner(["--out", mnt, nb]);
          assertEquals(r.code, 1, r.out + r.err);
          assertMatch(r.out, /small\.ipynb +1 +\d+\.\d +error/);
          assertMatch(r.err, /cannot write the HTML page .*small\.html: No space left on device/);
          // The (small) executed notebook is complete; nothing else is there.
          assertEquals([...Deno.readDirSync(mnt)].map((e) => e.name), ["small.ipynb"]);
          assertEquals(
            joined(cells(join(mnt, "small.ipynb"))[0].outputs![0].data!["text/plain"]),
            "2",
          );
        } finally {
          Deno.removeSync(src, { recursive: true });
          for (const e of Deno.readDirSync(mnt)) Deno.removeSync(join(mnt, e.name));
        }
      },
    });
    await t.step({
      name: "the executed notebook does not fit: exit 1, no notebook, no temporary file",
      ignore: !mounted,
      fn: async () => {
        const r = await runner(["--out", mnt, join(FIXTURES, "many_displays.ipynb")]);
        assertEquals(r.code, 1, r.out + r.err);
        assertMatch(r.err, /cannot write .*many_displays\.ipynb: No space left on device/);
        assertNotMatch(r.err, /executed notebook:/);
        assertEquals([...Deno.readDirSync(mnt)], []);
      },
    });
    if (!mounted) console.log(`  tmpfs not mountable here: ${dec.decode(mount.stderr).trim()}`);
  } finally {
    if (mounted) await new Deno.Command("umount", { args: [mnt] }).output();
    Deno.removeSync(mnt, { recursive: true });
  }
});

/** Checks the executed many_displays fixture: every output under the cell that made it. */
function checkManyDisplays(path: string): void {
  const nb = cells(path);
  assertEquals(nb.map((c) => c.execution_count), [1, 2, 3, 4, 5, 6]);
  const result = (c: Cell) => {
    const r = c.outputs!.filter((o) => o.output_type === "execute_result");
    assertEquals(r.length, 1, `results: ${JSON.stringify(r)}`);
    return joined(r[0].data!["text/plain"]);
  };
  assertEquals(nb[0].outputs, []);
  // 1,000 raw bundles, in order, then the cell's value (no ANSI colour codes in it).
  const raw = nb[1].outputs!.filter((o) => o.output_type === "display_data");
  assertEquals(
    raw.map((o) => joined(o.data!["text/plain"])),
    [...Array(1000)].map((_, i) => `a${i}`),
  );
  assertEquals(result(nb[1]), '"result 1"');
  assertEquals(nb[1].outputs!.length, 1001);
  // 1,000 tensors through matcalc's display.
  const tensors = nb[2].outputs!.filter((o) => o.output_type === "display_data");
  assertEquals(tensors.length, 1000);
  assertMatch(joined(tensors[999].data!["text/latex"]), /999/);
  assertEquals(result(nb[2]), '"result 2"');
  assertEquals(nb[3].outputs!.map((o) => o.output_type), ["execute_result"]);
  assertEquals(result(nb[3]), '"result 3"');
  // 1,000 console.log lines, then the value.
  const text = nb[4].outputs!.filter((o) => o.output_type === "stream").map((o) => joined(o.text))
    .join("");
  assertEquals(text, [...Array(1000)].map((_, i) => `c${i}\n`).join(""));
  assertEquals(result(nb[4]), '"result 4"');
  assertEquals(nb[5].outputs!.map((o) => o.output_type), ["execute_result"]);
  assertEquals(result(nb[5]), '"result 5"');
  const file = Deno.readTextFileSync(path);
  assertNotMatch(file, /matcalc-barrier|\\u001b\[/);
}

Deno.test("runner: 1,000 display calls in a cell stay under that cell", async (t) => {
  const out = Deno.makeTempDirSync({ prefix: "matcalc-many-" });
  try {
    await t.step("idle machine", async () => {
      const r = await runner(["--out", out, join(FIXTURES, "many_displays.ipynb")]);
      assertEquals(r.code, 0, r.out + r.err);
      checkManyDisplays(join(out, "many_displays.ipynb"));
      // The kernel did send outputs late (so the barrier was needed), and all were kept.
      const late = Number(
        /\((\d+) late output\(s\), \d+ of them sent under the next cell's request/.exec(r.out)?.[1],
      );
      assert(late > 100, r.out);
      const html = Deno.readTextFileSync(join(out, "many_displays.html"));
      assertNotMatch(html, /matcalc-barrier|MATCALCFRAGMENT/);
      // The page keeps the order (the last match is the output, the first the cell's source).
      const last = html.lastIndexOf("c999");
      const r4 = html.lastIndexOf("result 4"), r5 = html.lastIndexOf("result 5");
      assert(last > html.indexOf("result 4") && last < r4 && r4 < r5, `${last} ${r4} ${r5}`);
    });
    await t.step("under load: two busy processes compete for the cores", async () => {
      const hogs = [0, 1].map(() =>
        new Deno.Command(Deno.execPath(), {
          args: ["eval", "while (true) {}"],
          stdout: "null",
          stderr: "null",
        }).spawn()
      );
      try {
        const r = await runner(["--out", out, "--no-html", join(FIXTURES, "many_displays.ipynb")]);
        assertEquals(r.code, 0, r.out + r.err);
        checkManyDisplays(join(out, "many_displays.ipynb"));
      } finally {
        for (const h of hogs) {
          h.kill("SIGKILL");
          await h.status;
        }
      }
    });
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("runner: kernels", async (t) => {
  const home = Deno.makeTempDirSync({ prefix: "matcalc-home-" });
  const elsewhere = Deno.makeTempDirSync({ prefix: "matcalc-elsewhere-" });
  const out = join(home, "out");
  // A user data dir of its own: the run must not register anything in it.
  const env = { JUPYTER_DATA_DIR: join(home, "jupyter") };
  try {
    await t.step(
      "a repository notebook copied out of it runs (Deno kernelspec → matcalc)",
      async () => {
        const nb = join(elsewhere, "copied.ipynb");
        Deno.writeTextFileSync(
          nb,
          notebook("deno", [
            'import { tensor, mul } from "matcalc";\nimport "matcalc/kernel";\nmul(tensor([1, 2]), 3).toArray();',
          ]),
        );
        const r = await runner(["--out", out, "--no-html", nb], env);
        assertEquals(r.code, 0, r.out + r.err);
        assertMatch(
          r.out,
          /kernel "deno" has no deno\.json here; running it with "matcalc \(Deno\)"/,
        );
        const [cell] = cells(join(out, "copied.ipynb"));
        assertEquals(joined(cell.outputs![0].data!["text/plain"]), "[ 3, 6 ]");
      },
    );
    await t.step("a notebook declaring matcalc runs with it, without --kernel", async () => {
      Deno.copyFileSync(join(FIXTURES, "outside.ipynb"), join(elsewhere, "outside.ipynb"));
      const r = await runner(["--out", out, "--no-html", join(elsewhere, "outside.ipynb")], env);
      assertEquals(r.code, 0, r.out + r.err);
      assertMatch(r.out, /outside\.ipynb \(kernel matcalc\)/);
    });
    await t.step(
      "the matcalc kernel runs in the notebook's folder: relative imports work",
      async () => {
        Deno.mkdirSync(join(elsewhere, "lib"));
        Deno.writeTextFileSync(
          join(elsewhere, "lib", "helper.ts"),
          'import { mul, type Tensor } from "matcalc";\n' +
            "export const twice = (x: Tensor) => mul(x, 2);\n",
        );
        Deno.writeTextFileSync(join(elsewhere, "data.txt"), "from the notebook's folder");
        const nb = join(elsewhere, "relative.ipynb");
        Deno.writeTextFileSync(
          nb,
          notebook("matcalc", [
            'import { tensor } from "matcalc";\nimport "matcalc/kernel";\n' +
            'import { twice } from "./lib/helper.ts";\ntwice(tensor([1, 2])).toArray();',
            'Deno.readTextFileSync("data.txt");',
          ]),
        );
        const r = await runner(["--out", out, "--no-html", nb], env);
        assertEquals(r.code, 0, r.out + r.err);
        const [a, b] = cells(join(out, "relative.ipynb"));
        assertEquals(joined(a.outputs![0].data!["text/plain"]), "[ 2, 4 ]");
        assertEquals(joined(b.outputs![0].data!["text/plain"]), `"from the notebook's folder"`);
      },
    );
    await t.step("the runs registered no kernel for the user", () => {
      assertEquals(
        (() => {
          try {
            return [...Deno.readDirSync(join(home, "jupyter", "kernels"))].map((e) => e.name);
          } catch {
            return [];
          }
        })(),
        [],
      );
    });
  } finally {
    Deno.removeSync(home, { recursive: true });
    Deno.removeSync(elsewhere, { recursive: true });
  }
});
