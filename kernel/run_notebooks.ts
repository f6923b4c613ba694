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
import { REPO_ROOT, writeRunnerKernels } from "./install.ts";
import { type FragmentKind, sanitize } from "./sanitize.ts";

/** One notebook's outcome. */
export interface NotebookResult {
  /** The notebook's path as given. */
  notebook: string;
  /** Number of code cells. */
  cells: number;
  /** Wall-clock seconds, including kernel start. */
  seconds: number;
  /** `ok`, `error`, `timeout` or `terminated` (SIGTERM/SIGINT). */
  status: string;
  /** Index (in `cells`, 0-based) of the failing cell. */
  cell?: number;
  /** First line of the failing cell's source. */
  source?: string;
  /** The error, e.g. `AssertionError: …`. */
  error?: string;
  /** The executed notebook, if it was written. */
  executed?: string;
  /** The HTML page, if written. */
  html?: string;
  /** The kernel it ran with. */
  kernel?: string;
  /** Outputs that the kernel sent after their cell had finished (all kept under that cell). */
  late_outputs?: number;
  /** Per cell index: late outputs under the cell's own request, and under the next request. */
  late_by_cell?: Record<string, { after_idle: number; next_request: number }>;
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
  /** Kernel name (default: the notebook's own kernelspec, see {@linkcode kernelFor}). */
  kernel?: string;
  /** Write HTML pages (default true). */
  html?: boolean;
  /** Print progress and the summary (default true). */
  verbose?: boolean;
  /** Run every notebook twice in the same kernel, as "Run All" twice would (default false). */
  rerun?: boolean;
}

/** The usage text `--help` prints. */
export const USAGE = `Usage: deno task notebooks [options] [notebook.ipynb ...]

Executes notebooks through Deno's Jupyter kernel, cell by cell, and writes each executed
notebook and its HTML page into one folder. Without notebooks, runs notebooks/*.ipynb.
Stops at the first failing cell and names the notebook, the cell and the error.

Options:
  --out DIR            output folder (default out/notebooks in the repository)
  --inplace            also save the outputs back into the source notebooks (when they pass)
  --rerun              run every notebook twice in one kernel, as "Run All" twice would
  --kernel NAME        kernel to use (default: the notebook's kernelspec; "deno" outside
                       this repository's folder becomes "matcalc")
  --cell-timeout SEC   seconds one cell may run (default 300)
  --timeout SEC        seconds the whole run may take (default 1800)
  --no-html            do not write HTML pages
  -h, --help           print this help

The run uses kernelspecs of its own for this clone; it never changes the ones registered
for your user (that is \`deno task kernel:install\`).`;

function python(): string {
  const env = Deno.env.get("MATCALC_PYTHON");
  if (env) return env;
  // Debian's Jupyter lives in the system interpreter; a pyenv \`python3\` on PATH would lack it.
  try {
    Deno.statSync("/usr/bin/python3");
    return "/usr/bin/python3";
  } catch {
    return "python3";
  }
}

/** The signal a run was stopped by, once SIGTERM or SIGINT arrived. */
let stopSignal: Deno.Signal | undefined;
/** The running executor and its kernel's process group, for the signal handler. */
let running: { child: Deno.ChildProcess; pgidFile: string } | undefined;

function kernelGroup(pgidFile: string): number | undefined {
  try {
    const n = Number(Deno.readTextFileSync(pgidFile).trim());
    return n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

function killGroup(pgid: number | undefined, signal: Deno.Signal): void {
  if (pgid === undefined) return;
  try {
    Deno.kill(-pgid, signal);
  } catch { /* already gone */ }
}

/**
 * Forwards SIGTERM/SIGINT to the executor (which stops its cell and shuts its kernel down), then,
 * if it is not gone within 10 s, kills it and the kernel's process group. The run then exits
 * with 128 + the signal's number.
 */
function onStopSignal(signal: Deno.Signal): void {
  if (stopSignal) return;
  stopSignal = signal;
  const r = running;
  if (!r) return;
  try {
    r.child.kill(signal);
  } catch { /* already gone */ }
  const timer = setTimeout(() => {
    try {
      r.child.kill("SIGKILL");
    } catch { /* already gone */ }
    killGroup(kernelGroup(r.pgidFile), "SIGKILL");
  }, 10_000);
  r.child.status.finally(() => clearTimeout(timer));
}

/**
 * Exit code for a run stopped by `signal`, as a shell reports it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { signalExitCode } from "./run_notebooks.ts";
 *
 * assertEquals([signalExitCode("SIGINT"), signalExitCode("SIGTERM")], [130, 143]);
 * ```
 */
export function signalExitCode(signal: Deno.Signal): number {
  return signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1;
}

/**
 * Writes `text` to `path` through a temporary file in the same folder, then renames it: the file
 * is complete or absent, never truncated (a full disk throws and leaves nothing behind).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { writeAtomic } from "./run_notebooks.ts";
 *
 * const dir = Deno.makeTempDirSync();
 * writeAtomic(`${dir}/page.html`, "<p>ok</p>");
 * assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["page.html"]);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${Deno.pid}.tmp`);
  try {
    Deno.writeTextFileSync(tmp, text);
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* never written */ }
    throw e;
  }
}

/** What the executor hands over for the HTML page: the page with tokens, and the fragments. */
export interface HtmlParts {
  page: string;
  fragments: { token: string; kind: FragmentKind; markup: string }[];
}

/**
 * The exported page with every fragment sanitized (kernel/sanitize.ts) and put back.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { assemblePage } from "./run_notebooks.ts";
 *
 * const page = assemblePage({
 *   page: "<div>MATCALCFRAGMENTabX0END</div>",
 *   fragments: [{ token: "MATCALCFRAGMENTabX0END", kind: "html", markup: "<b onclick=x()>hi</b>" }],
 * });
 * assertEquals(page, "<div><b>hi</b></div>");
 * ```
 */
export function assemblePage(parts: HtmlParts): string {
  const byToken = new Map(parts.fragments.map((f) => [f.token, f]));
  const tokens = parts.fragments.map((f) => f.token.replace(/[^A-Za-z0-9]/g, ""));
  if (tokens.length === 0) return parts.page;
  const re = new RegExp(tokens.join("|"), "g");
  return parts.page.replace(re, (t) => {
    const f = byToken.get(t)!;
    return sanitize(f.markup, f.kind);
  });
}

async function execute(
  src: string,
  dst: string,
  kernel: string,
  cellTimeout: number,
  deadline: number,
  html: string | undefined,
  rerun: boolean,
  jupyterPath: string,
): Promise<Omit<NotebookResult, "notebook">> {
  const script = join(REPO_ROOT, "kernel", "execute_notebook.py");
  const scratch = Deno.makeTempDirSync({ prefix: "matcalc-run-" });
  const pgidFile = join(scratch, "kernel.pgid");
  const partsFile = join(scratch, "page.json");
  const env = Deno.env.get("JUPYTER_PATH");
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
      "--pgid-file",
      pgidFile,
      ...(html ? ["--html-parts", partsFile] : []),
      ...(rerun ? ["--rerun"] : []),
    ],
    env: { JUPYTER_PATH: env ? `${jupyterPath}:${env}` : jupyterPath },
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  running = { child, pgidFile };
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
      killGroup(kernelGroup(pgidFile), "SIGKILL");
    }, 5000);
  }, deadline * 1000 + grace);
  try {
    const output = child.output();
    await child.status;
    clearTimeout(term);
    // Whatever happened to the executor, nothing of its kernel may outlive it (the kernel also
    // holds the executor's stdout open, so reading it to the end waits for this).
    killGroup(kernelGroup(pgidFile), "SIGKILL");
    // A kernel we could not name would hold the pipe open forever: stop waiting after 10 s.
    let waited: ReturnType<typeof setTimeout> | undefined;
    const out = await Promise.race([
      output,
      new Promise<undefined>((r) => waited = setTimeout(() => r(undefined), 10_000)),
    ]);
    clearTimeout(waited);
    if (!out) {
      return {
        cells: 0,
        seconds: 0,
        kernel,
        status: stopSignal ? "terminated" : "error",
        error: "the executor exited but a process it started still holds its output open",
      };
    }
    const stdout = new TextDecoder().decode(out.stdout);
    const line = stdout.split("\n").find((l) => l.startsWith("MATCALC_RESULT "));
    if (!line) {
      const stderr = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-5).join("\n");
      return {
        cells: 0,
        seconds: 0,
        kernel,
        status: stopSignal ? "terminated" : killed ? "timeout" : "error",
        error: stopSignal
          ? `terminated by ${stopSignal}`
          : killed
          ? `killed after ${deadline} s`
          : `runner crashed: ${stderr}`,
      };
    }
    const r = JSON.parse(line.slice("MATCALC_RESULT ".length)) as
      & Omit<NotebookResult, "notebook">
      & {
        write_error?: string;
        html_error?: string;
      };
    r.kernel = kernel;
    if (r.write_error) {
      delete r.executed;
      if (r.status === "ok") r.status = "error";
      r.error = r.error ? `${r.error}; ${r.write_error}` : r.write_error;
    }
    if (html && r.status !== "terminated") {
      try {
        if (r.html_error) throw new Error(r.html_error);
        writeAtomic(html, assemblePage(JSON.parse(Deno.readTextFileSync(partsFile))));
        r.html = html;
      } catch (e) {
        const msg = `cannot write the HTML page ${html}: ${(e as Error).message}`;
        if (r.status === "ok") {
          r.status = "error";
          r.error = msg;
        } else r.error = `${r.error}; ${msg}`;
      }
    }
    return r;
  } finally {
    running = undefined;
    Deno.removeSync(scratch, { recursive: true });
  }
}

/** Whether `dir` or a folder above it has a deno.json / deno.jsonc (Deno's kernel reads it). */
function hasDenoConfig(dir: string): boolean {
  for (let d = resolve(dir);; d = dirname(d)) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      try {
        Deno.statSync(join(d, name));
        return true;
      } catch { /* keep walking up */ }
    }
    if (dirname(d) === d) return false;
  }
}

/**
 * The kernel a notebook runs with: its own kernelspec name (`deno` when it names none), except
 * that `deno` for a notebook with no deno.json above its folder becomes `matcalc`, which brings
 * matcalc's import map, so a copy of a repository notebook runs anywhere.
 */
export function kernelFor(path: string): { kernel: string; note?: string } {
  let name = "deno";
  try {
    const nb = JSON.parse(Deno.readTextFileSync(path)) as {
      metadata?: { kernelspec?: { name?: string } };
    };
    name = nb.metadata?.kernelspec?.name ?? "deno";
  } catch { /* the executor reports unreadable notebooks */ }
  if (name === "deno" && !hasDenoConfig(dirname(resolve(path)))) {
    return {
      kernel: "matcalc",
      note: `${path}: kernel "deno" has no deno.json here; running it with "matcalc (Deno)"`,
    };
  }
  return { kernel: name };
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
  const jupyterData = Deno.makeTempDirSync({ prefix: "matcalc-kernels-" });
  const results: NotebookResult[] = [];
  try {
    writeRunnerKernels(jupyterData);
    for (const path of paths) {
      if (stopSignal) break;
      const src = resolve(path);
      const executed = join(out, basename(src));
      const chosen = options.kernel ? { kernel: options.kernel } : kernelFor(src);
      if (verbose) {
        if (chosen.note) console.log(chosen.note);
        console.log(`running ${path} (kernel ${chosen.kernel}) …`);
      }
      const r: NotebookResult = {
        notebook: path,
        ...(await execute(
          src,
          executed,
          chosen.kernel,
          options.cellTimeout ?? 300,
          total - (performance.now() - started) / 1000,
          options.html ?? true ? executed.replace(/\.ipynb$/, ".html") : undefined,
          options.rerun ?? false,
          jupyterData,
        )),
      };
      if (r.status === "ok" && options.inplace && r.executed) Deno.copyFileSync(r.executed, src);
      results.push(r);
      if (r.status !== "ok") break;
    }
  } finally {
    Deno.removeSync(jupyterData, { recursive: true });
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

/** A command-line mistake: printed as one line with a pointer to `--help`, exit code 2. */
class UsageError extends Error {}

function positiveSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) {
    throw new UsageError(`--${name} must be a positive number of seconds, got "${value}"`);
  }
  return n;
}

/** Parses the command line; throws {@linkcode UsageError} for anything it does not understand. */
function parseCommandLine(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string" },
        inplace: { type: "boolean" },
        "cell-timeout": { type: "string" },
        timeout: { type: "string" },
        kernel: { type: "string" },
        "no-html": { type: "boolean" },
        rerun: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  return parsed;
}

async function main(args: string[]): Promise<number> {
  let values, positionals;
  let cellTimeout, timeout;
  try {
    ({ values, positionals } = parseCommandLine(args));
    cellTimeout = positiveSeconds("cell-timeout", values["cell-timeout"]);
    timeout = positiveSeconds("timeout", values.timeout);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`notebooks: ${e.message} (see --help)`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const paths = positionals.length ? positionals : defaultNotebooks();
  if (paths.length === 0) {
    console.log("no notebooks to run: notebooks/ has no .ipynb files");
    return 0;
  }
  for (const p of paths) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(p);
    } catch {
      console.error(`notebooks: no such notebook: ${p}`);
      return 2;
    }
    if (!info.isFile) {
      console.error(`notebooks: not a notebook file: ${p}`);
      return 2;
    }
  }
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => onStopSignal(sig));
  }
  let results: NotebookResult[];
  try {
    results = await runNotebooks(paths, {
      out: values.out,
      inplace: values.inplace,
      cellTimeout,
      timeout,
      kernel: values.kernel,
      html: !values["no-html"],
      rerun: values.rerun,
    });
  } catch (e) {
    console.error(`notebooks: ${(e as Error).message}`);
    return 1;
  }
  if (stopSignal) {
    console.error(`\nnotebooks: stopped by ${stopSignal}; the kernel was shut down`);
    return signalExitCode(stopSignal);
  }
  console.log("\n" + summary(results));
  const failed = results.find((r) => r.status !== "ok");
  const skipped = paths.length - results.length;
  if (failed) {
    console.error(
      `\n${failed.notebook}: ` +
        (failed.cell !== undefined && failed.cell !== null
          ? `cell ${failed.cell} failed (${failed.status})`
          : `failed (${failed.status})`) +
        (failed.source ? `\n  cell starts: ${failed.source}` : "") +
        `\n  ${failed.error}` +
        (failed.executed ? `\n  executed notebook: ${failed.executed}` : "") +
        (skipped ? `\n  ${skipped} notebook(s) after it were not run` : ""),
    );
    return 1;
  }
  const late = results.reduce((n, r) => n + (r.late_outputs ?? 0), 0);
  const misparented = results.reduce(
    (n, r) => n + Object.values(r.late_by_cell ?? {}).reduce((m, c) => m + c.next_request, 0),
    0,
  );
  console.log(
    `\n${results.length} notebooks passed; outputs in ${dirname(results[0].executed!)}` +
      (late
        ? ` (${late} late output(s), ${misparented} of them sent under the next cell's request, ` +
          `kept under the cells that made them)`
        : ""),
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
