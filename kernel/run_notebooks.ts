/**
 * The notebook runner (`deno task notebooks`): executes notebooks through the real Deno Jupyter
 * kernel, writes the executed notebooks and their HTML pages into one folder, prints a summary,
 * and fails on the first failing cell with the notebook, the cell index and the error.
 *
 * ```sh
 * deno task notebooks                     # every notebooks/*.ipynb → out/notebooks/
 * deno task notebooks --inplace           # also save outputs back into notebooks/
 * deno task notebooks --rerun             # run each twice in one kernel, as "Run All" twice
 * deno task notebooks path/to/a.ipynb --out /tmp/nb --cell-timeout 120 --timeout 900
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, resolve } from "node:path";
import { ensureKernels, REPO_ROOT } from "./install.ts";

/** One notebook's outcome. */
export interface NotebookResult {
  /** The notebook's path as given. */
  notebook: string;
  /** Number of code cells. */
  cells: number;
  /** Wall-clock seconds, including kernel start. */
  seconds: number;
  /** `ok`, `error` or `timeout`. */
  status: string;
  /** Index (in `cells`, 0-based) of the failing cell. */
  cell?: number;
  /** First line of the failing cell's source. */
  source?: string;
  /** The error, e.g. `AssertionError: …`. */
  error?: string;
  /** The executed notebook. */
  executed: string;
  /** The HTML page, if written. */
  html?: string;
}

/** Options for {@linkcode runNotebooks}. */
export interface RunOptions {
  /** Output folder for executed notebooks and HTML (default `out/notebooks` in the repo). */
  out?: string;
  /** Also write executed notebooks back over their sources (only when they succeed). */
  inplace?: boolean;
  /** Seconds one cell may run (default 300). */
  cellTimeout?: number;
  /** Seconds the whole run may take (default 1800); the current kernel is then stopped. */
  timeout?: number;
  /** Kernel name (default `deno`). */
  kernel?: string;
  /** Write HTML pages (default true). */
  html?: boolean;
  /** Print progress and the summary (default true). */
  verbose?: boolean;
  /** Run every notebook twice in the same kernel, as "Run All" twice would (default false). */
  rerun?: boolean;
}

function python(): string {
  const env = Deno.env.get("MATCALC_PYTHON");
  if (env) return env;
  // Debian's Jupyter lives in the system interpreter; a pyenv `python3` on PATH would lack it.
  try {
    Deno.statSync("/usr/bin/python3");
    return "/usr/bin/python3";
  } catch {
    return "python3";
  }
}

async function execute(
  src: string,
  dst: string,
  kernel: string,
  cellTimeout: number,
  deadline: number,
  html: string | undefined,
  rerun = false,
): Promise<Omit<NotebookResult, "notebook" | "executed">> {
  const script = join(REPO_ROOT, "kernel", "execute_notebook.py");
  const child = new Deno.Command(python(), {
    args: [
      script,
      src,
      dst,
      "--kernel",
      kernel,
      "--cell-timeout",
      String(Math.ceil(cellTimeout)),
      "--deadline",
      String(deadline),
      "--cwd",
      dirname(src),
      ...(html ? ["--html", html] : []),
      ...(rerun ? ["--rerun"] : []),
    ],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  // nbclient enforces the deadline itself; this is the backstop for a hung client.
  const grace = 30_000;
  let killed = false;
  const term = setTimeout(() => {
    killed = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 5000);
  }, deadline * 1000 + grace);
  const out = await child.output();
  clearTimeout(term);
  const stdout = new TextDecoder().decode(out.stdout);
  const line = stdout.split("\n").find((l) => l.startsWith("MATCALC_RESULT "));
  if (!line) {
    const stderr = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-5).join("\n");
    return {
      cells: 0,
      seconds: 0,
      status: killed ? "timeout" : "error",
      error: killed ? `killed after ${deadline} s` : `runner crashed: ${stderr}`,
    };
  }
  return JSON.parse(line.slice("MATCALC_RESULT ".length));
}

/** The notebooks to run by default: `notebooks/*.ipynb` in the repository, sorted. */
export function defaultNotebooks(): string[] {
  const dir = join(REPO_ROOT, "notebooks");
  try {
    return [...Deno.readDirSync(dir)]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** Executes `paths` in order and returns one result each; stops at the first failure. */
export async function runNotebooks(
  paths: string[],
  options: RunOptions = {},
): Promise<NotebookResult[]> {
  const out = resolve(options.out ?? join(REPO_ROOT, "out", "notebooks"));
  const verbose = options.verbose ?? true;
  const total = options.timeout ?? 1800;
  const started = performance.now();
  Deno.mkdirSync(out, { recursive: true });
  const kernels = await ensureKernels();
  if (verbose) { for (const l of kernels.log) console.log(l); }
  const results: NotebookResult[] = [];
  for (const path of paths) {
    const src = resolve(path);
    const executed = join(out, basename(src));
    const left = total - (performance.now() - started) / 1000;
    if (verbose) console.log(`running ${path} …`);
    const r: NotebookResult = left <= 0
      ? {
        notebook: path,
        cells: 0,
        seconds: 0,
        status: "timeout",
        error: `overall timeout of ${total} s reached`,
        executed,
      }
      : {
        notebook: path,
        executed,
        ...(await execute(
          src,
          executed,
          options.kernel ?? "deno",
          options.cellTimeout ?? 300,
          left,
          options.html ?? true ? executed.replace(/\.ipynb$/, ".html") : undefined,
          options.rerun,
        )),
      };
    const htmlError = (r as { html_error?: string }).html_error;
    if (htmlError && verbose) console.error(`HTML export failed for ${path}: ${htmlError}`);
    if (r.status === "ok" && options.inplace) Deno.copyFileSync(executed, src);
    results.push(r);
    if (r.status !== "ok") break;
  }
  return results;
}

/** The summary table printed after a run. */
export function summary(results: NotebookResult[]): string {
  const rows = results.map((r) => [r.notebook, String(r.cells), r.seconds.toFixed(1), r.status]);
  const head = ["notebook", "cells", "seconds", "status"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 1 || i === 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join("  ");
  return [fmt(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(fmt)].join("\n");
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      inplace: { type: "boolean" },
      "cell-timeout": { type: "string" },
      timeout: { type: "string" },
      kernel: { type: "string" },
      "no-html": { type: "boolean" },
      rerun: { type: "boolean" },
    },
  });
  const paths = positionals.length ? positionals : defaultNotebooks();
  if (paths.length === 0) {
    console.log("no notebooks to run: notebooks/ has no .ipynb files");
    Deno.exit(0);
  }
  let results: NotebookResult[];
  try {
    results = await runNotebooks(paths, {
      out: values.out,
      inplace: values.inplace,
      cellTimeout: values["cell-timeout"] ? Number(values["cell-timeout"]) : undefined,
      timeout: values.timeout ? Number(values.timeout) : undefined,
      kernel: values.kernel,
      html: !values["no-html"],
      rerun: values.rerun,
    });
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
  console.log("\n" + summary(results));
  const failed = results.find((r) => r.status !== "ok");
  const skipped = paths.length - results.length;
  if (failed) {
    console.error(
      `\n${failed.notebook}: cell ${failed.cell ?? "?"} failed (${failed.status})` +
        (failed.source ? `\n  cell starts: ${failed.source}` : "") +
        `\n  ${failed.error}\n  executed notebook: ${failed.executed}` +
        (skipped ? `\n  ${skipped} notebook(s) after it were not run` : ""),
    );
    Deno.exit(1);
  }
  console.log(`\n${results.length} notebooks passed; outputs in ${dirname(results[0].executed)}`);
}
