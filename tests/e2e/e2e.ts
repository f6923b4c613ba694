/**
 * End to end, as a person sees it: every notebook (the fixtures in tests/e2e/fixtures/, then
 * notebooks/*.ipynb) opened in a real Jupyter Notebook server and a real headless Chromium, all
 * cells run, and what is on screen checked: no error output, charts drawn (one line per series),
 * LaTeX typeset by MathJax, tensor tables present, live charts changing while their cell runs.
 * Then the HTML pages the main job wrote, opened with scripts disabled (charts still visible), and
 * matcalc's Plotly figures drawn by the real plotly.js. Screenshots go to out/screenshots/.
 *
 * Run: `deno task e2e` (after `deno task notebooks` for the HTML pages). Needs Debian's
 * jupyter-notebook and chromium (kernel/setup.sh installs them). Never downloads a browser.
 *
 * @module
 */

import { type Browser, chromium, type Page } from "playwright-core";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { installKernels, type JupyterServer, startServer, stopServer } from "./jupyter_server.ts";
import { checkXss } from "./xss.ts";

const REPO = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const OUT = join(REPO, "out");
const SHOTS = join(OUT, "screenshots");
const E2E_OUT = join(OUT, "e2e");
/** Served copies: the browser run must never write outputs into the repository's notebooks. */
const WORK = join(E2E_OUT, "work");
const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
/** Per notebook, from opening it to the last cell (MNIST training included). */
const NOTEBOOK_TIMEOUT_MS = Number(Deno.env.get("E2E_NOTEBOOK_TIMEOUT_S") ?? 900) * 1000;
/** The whole test; notebooks not started by then fail as "not run". */
const TOTAL_BUDGET_MS = Number(Deno.env.get("E2E_BUDGET_S") ?? 2700) * 1000;
/** Cells that update a display in place while they run. */
const LIVE_RE = /\b(liveLoss|trainingMonitor)\s*\(|display_id|displayId/;
/** A live cell that runs at least this long must show at least two states while running. */
const LIVE_MIN_MS = 1500;
/** Only notebooks whose path contains this (e.g. E2E_ONLY=fixtures), for quick local runs. */
const ONLY = Deno.env.get("E2E_ONLY") ?? "";
const SAMPLE_MS = 100;
/** Plotly figures drawn with plotly.js, at most (about a second each). */
const PLOTLY_MAX = 24;
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];

interface SvgInfo {
  visible: boolean;
  paths: number;
  linePaths: number;
  symbolPaths: number;
  rectPaths: number;
  images: number;
}
interface OutputInfo {
  type: string;
  mimes: string[];
  ename?: string;
  evalue?: string;
  isChart: boolean;
  plotly: { data: Record<string, unknown>[]; layout?: Record<string, unknown> } | null;
  traces: { type: string; mode: string }[];
  htmlHasTable: boolean;
  hasLatex: boolean;
  text: string;
  dom: {
    svgs: SvgInfo[];
    tables: number;
    math: number;
    mathErrors: number;
    errorClass: number;
    subareaClass: string;
    visible: boolean;
  } | null;
}
interface CellInfo {
  index: number;
  type: string;
  head: string;
  source: string;
  prompt: number | string | null;
  rendered?: boolean;
  wantsMath?: boolean;
  math?: number;
  mathErrors?: number;
  aligned?: boolean;
  sig?: string | null;
  points?: number;
  outputs: OutputInfo[];
  cellDom?: { svgs: SvgInfo[]; tables: number; math: number };
}
interface Report {
  mathJax: boolean;
  mathJaxUrl: string;
  kernelName: string;
  cells: CellInfo[];
}
interface Sample {
  running: number;
  busy: boolean;
  sig: string | null;
  points: number;
  text: string;
}
/** What was seen of one cell while it was the running cell. */
interface LiveTrace {
  firstMs: number;
  lastMs: number;
  sigs: string[];
  maxPoints: number;
}

interface Notebook {
  /** Path in the repository, e.g. notebooks/01-shape.ipynb. */
  rel: string;
  /** Path under WORK, as the server sees it. */
  served: string;
  stem: string;
  fixture: boolean;
  kernel: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listIpynb(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".ipynb") && !e.name.startsWith(".")) names.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/** Copies fixtures and notebooks (with any sibling files they read) into WORK. */
async function prepareNotebooks(): Promise<Notebook[]> {
  await Deno.remove(WORK, { recursive: true }).catch(() => {});
  const list: Notebook[] = [];
  for (
    const [from, to, fixture] of [["tests/e2e/fixtures", "fixtures", true], [
      "notebooks",
      "notebooks",
      false,
    ]] as const
  ) {
    const names = await listIpynb(join(REPO, from));
    if (names.length === 0) continue;
    await Deno.mkdir(join(WORK, to), { recursive: true });
    const cp = await new Deno.Command("cp", {
      args: ["-a", `${join(REPO, from)}/.`, join(WORK, to)],
    })
      .output();
    if (!cp.success) throw new Error(`cp ${from} -> ${join(WORK, to)} failed`);
    for (const name of names) {
      if (ONLY && !`${from}/${name}`.includes(ONLY)) continue;
      const nb = JSON.parse(await Deno.readTextFile(join(REPO, from, name)));
      list.push({
        rel: `${from}/${name}`,
        served: `${to}/${name}`,
        stem: (fixture ? "fixture-" : "") + name.replace(/\.ipynb$/, ""),
        fixture,
        kernel: nb?.metadata?.kernelspec?.name ?? "deno",
      });
    }
  }
  return list;
}

/**
 * Full-page PNG. The classic notebook scrolls inside #site, so that is unclipped first (not on
 * pages with scripts disabled, where addStyleTag would wait forever).
 */
async function screenshot(page: Page, path: string, unclip = true): Promise<string> {
  if (unclip) {
    await Promise.race([
      page.addStyleTag({
        content: "html, body, #site { height: auto !important; overflow: visible !important; }",
      }).catch(() => {}),
      sleep(5000),
    ]);
  }
  try {
    await page.screenshot({ path, fullPage: true, timeout: 60_000 });
  } catch {
    await page.screenshot({ path, timeout: 30_000 }).catch(() => {});
  }
  return path;
}

/** Runs every cell and watches the running cell's charts until the kernel is done. */
async function runAll(page: Page, deadline: number): Promise<Map<number, LiveTrace>> {
  await page.evaluate(`(() => {
    Jupyter.notebook.set_autosave_interval(0);
    Jupyter.notebook.clear_all_output();
    Jupyter.notebook.execute_all_cells();
  })()`);
  const t0 = performance.now();
  const traces = new Map<number, LiveTrace>();
  let idleSince = -1;
  while (true) {
    const s = await page.evaluate("__e2e.sample()") as Sample;
    const now = performance.now() - t0;
    if (s.running >= 0) {
      let tr = traces.get(s.running);
      if (!tr) traces.set(s.running, tr = { firstMs: now, lastMs: now, sigs: [], maxPoints: 0 });
      tr.lastMs = now;
      if (s.sig && tr.sigs[tr.sigs.length - 1] !== s.sig) tr.sigs.push(s.sig);
      tr.maxPoints = Math.max(tr.maxPoints, s.points);
    }
    if (!s.busy) {
      if (idleSince < 0) idleSince = now;
      if (s.running < 0) break;
      // A cell aborted after an error can keep its In [*]; an idle kernel for 5 s means done.
      if (now - idleSince > 5000) break;
    } else {
      idleSince = -1;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `still running after ${Math.round(now / 1000)} s (cell ${s.running}: ${
          s.text.slice(0, 120)
        })`,
      );
    }
    await sleep(SAMPLE_MS);
  }
  return traces;
}

/** What is wrong on screen, as readable lines (empty when all is well). */
function checkNotebook(nb: Notebook, report: Report, traces: Map<number, LiveTrace>): {
  failures: string[];
  notes: string[];
  live: { cells: number; sampled: number };
} {
  const failures: string[] = [];
  const notes: string[] = [];
  const where = (c: CellInfo) => `cell ${c.index} (${c.head || c.type})`;
  let charts = 0, tables = 0, math = 0, liveCells = 0, liveSampled = 0;

  if (report.kernelName && report.kernelName !== nb.kernel) {
    failures.push(`kernel is "${report.kernelName}", the notebook asks for "${nb.kernel}"`);
  }
  const wantsMath = report.cells.some((c) => c.wantsMath || c.outputs.some((o) => o.hasLatex));
  if (wantsMath && !report.mathJax) {
    failures.push(`MathJax did not load (script: ${report.mathJaxUrl || "none"})`);
  }

  for (const c of report.cells) {
    if (c.type === "markdown") {
      if (c.wantsMath) {
        if (!c.math) failures.push(`${where(c)}: LaTeX not typeset (no MathJax output)`);
        else math++;
        if (c.mathErrors) failures.push(`${where(c)}: ${c.mathErrors} MathJax error(s)`);
      }
      continue;
    }
    if (c.type !== "code") continue;
    if (c.source.trim() && (c.prompt === null || c.prompt === "*" || c.prompt === "")) {
      failures.push(`${where(c)}: did not run (prompt ${JSON.stringify(c.prompt)})`);
    }
    if (c.aligned === false) {
      notes.push(`${where(c)}: ${c.outputs.length} outputs but a different number on screen`);
    }
    for (const o of c.outputs) {
      if (o.type === "error") {
        failures.push(`${where(c)}: error output ${o.ename}: ${o.evalue}`);
        continue;
      }
      if (o.dom?.errorClass) failures.push(`${where(c)}: error shown on screen`);
      if (o.isChart) {
        charts++;
        const svgs = o.dom?.svgs ?? c.cellDom?.svgs ?? [];
        const drawn = svgs.filter((s) => s.visible && s.paths + s.images > 0);
        if (drawn.length === 0) {
          failures.push(`${where(c)}: chart output (${o.mimes.join(", ")}) shows no drawn SVG`);
          continue;
        }
        const lineTraces = o.traces.filter((t) =>
          (t.type === "scatter" || t.type === "scattergl") && t.mode.includes("lines")
        ).length;
        const linePaths = drawn.reduce((n, s) =>
          n + s.linePaths, 0);
        if (lineTraces > 0 && linePaths !== lineTraces) {
          failures.push(
            `${
              where(c)
            }: chart draws ${linePaths} line(s), its Plotly figure has ${lineTraces} line series`,
          );
        }
        if (o.traces.some((t) => t.type === "heatmap")) {
          if (!drawn.some((s) => s.rectPaths > 0 || s.images > 0)) {
            failures.push(`${where(c)}: heatmap shows no cells`);
          }
        }
        if (o.traces.some((t) => t.type === "scatter" && t.mode === "markers")) {
          if (!drawn.some((s) => s.symbolPaths > 0)) {
            failures.push(`${where(c)}: scatter shows no points`);
          }
        }
      }
      if (o.htmlHasTable) {
        if (o.dom && o.dom.tables === 0) failures.push(`${where(c)}: tensor table not on screen`);
        else tables++;
      }
      if (o.dom && /output_latex/.test(o.dom.subareaClass)) {
        if (!o.dom.math) failures.push(`${where(c)}: LaTeX output not typeset`);
        else math++;
        if (o.dom.mathErrors) failures.push(`${where(c)}: MathJax error in LaTeX output`);
      }
    }
    if (LIVE_RE.test(c.source)) {
      const tr = traces.get(c.index);
      const ran = tr ? Math.round(tr.lastMs - tr.firstMs) : 0;
      if (!tr || tr.sigs.length === 0) {
        if (ran >= LIVE_MIN_MS) failures.push(`${where(c)}: no chart on screen while it ran`);
        else if (c.sig) notes.push(`${where(c)}: live cell ran ${ran} ms, too fast to sample`);
        else continue; // mentions a display id but draws no chart
        liveCells++;
        continue;
      }
      liveCells++;
      if (tr.sigs.length >= 2) liveSampled++;
      else if (ran >= LIVE_MIN_MS) {
        failures.push(`${where(c)}: live chart did not change during ${ran} ms of running`);
      } else notes.push(`${where(c)}: live cell ran ${ran} ms, sampled once`);
      if (!c.sig) failures.push(`${where(c)}: live chart gone after the cell finished`);
      else if ((c.points ?? 0) < tr.maxPoints) {
        failures.push(
          `${
            where(c)
          }: final chart has fewer points (${c.points}) than while running (${tr.maxPoints})`,
        );
      } else if (tr.sigs.length >= 2 && c.sig === tr.sigs[0]) {
        failures.push(`${where(c)}: final chart equals its first state`);
      }
    }
  }
  if (nb.fixture) {
    // The fixtures exist to exercise every check: each kind of output must have been seen.
    if (charts === 0) failures.push("fixture: no chart output seen");
    if (tables === 0) failures.push("fixture: no tensor table seen");
    if (math === 0) failures.push("fixture: no typeset LaTeX seen");
    if (liveCells > 0 && liveSampled === 0) {
      failures.push("fixture: no live chart was seen changing while its cell ran");
    }
  }
  notes.push(
    `${charts} chart(s), ${tables} table(s), ${math} typeset math block(s), ` +
      `${liveSampled}/${liveCells} live cell(s) seen changing`,
  );
  return { failures, notes, live: { cells: liveCells, sampled: liveSampled } };
}

/** Opens one notebook, runs it, checks it, screenshots it. Throws with the screenshot path. */
async function checkInBrowser(
  browser: Browser,
  server: JupyterServer,
  nb: Notebook,
  probe: string,
  deadline: number,
): Promise<{ report: Report; live: { cells: number; sampled: number }; seconds: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const shot = join(SHOTS, `${nb.stem}.png`);
  const t0 = performance.now();
  let failures: string[] = [];
  let result: { report: Report; live: { cells: number; sampled: number }; seconds: number };
  try {
    const url = `${server.base}/notebooks/${
      nb.served.split("/").map(encodeURIComponent).join("/")
    }`;
    await page.goto(`${url}?token=${server.token}`, { timeout: 60_000 });
    await page.waitForFunction(
      `(() => { const k = globalThis.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel;
        return Boolean(k && k.is_connected() && k.info_reply && k.info_reply.protocol_version); })()`,
      null,
      { timeout: 120_000, polling: 250 },
    );
    await page.addScriptTag({ content: probe });
    const traces = await runAll(page, Math.min(deadline, Date.now() + NOTEBOOK_TIMEOUT_MS));
    const report = await page.evaluate("__e2e.report()") as Report;
    const checked = checkNotebook(nb, report, traces);
    failures = checked.failures;
    for (const n of checked.notes) console.log(`  ${nb.rel}: ${n}`);
    result = {
      report,
      live: checked.live,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    };
  } catch (e) {
    failures.push((e as Error).message);
    result = undefined as never;
  } finally {
    await screenshot(page, shot);
    await page.close().catch(() => {});
  }
  if (failures.length) {
    const extra = pageErrors.length ? `\n  page errors: ${pageErrors.slice(0, 5).join(" | ")}` : "";
    throw new Error(
      `${nb.rel}: ${failures.length} problem(s):\n  ${failures.join("\n  ")}${extra}\n` +
        `  screenshot: ${relative(REPO, shot)}`,
    );
  }
  console.log(`  ${nb.rel}: ok in ${result.seconds} s, screenshot ${relative(REPO, shot)}`);
  return result;
}

/** Chart outputs in an executed notebook file: what its HTML page must still show. */
async function chartOutputs(ipynb: string): Promise<number> {
  const nb = JSON.parse(await Deno.readTextFile(ipynb));
  let n = 0;
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      const mimes = Object.keys(o.data ?? {});
      if (
        mimes.some((m) => m === "image/svg+xml" || m.includes("plotly") || m.includes("vegalite"))
      ) {
        n++;
      }
    }
  }
  return n;
}

/** Opens a static HTML page with scripts disabled; every chart must still be drawn. */
async function checkStaticPage(
  browser: Browser,
  html: string,
  expectedCharts: number,
  shotName: string,
): Promise<string> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const shot = join(SHOTS, shotName);
  try {
    await page.goto(`file://${html}`, { timeout: 60_000, waitUntil: "load" });
    const drawn = await page.evaluate(`(() => Array.from(document.querySelectorAll("svg"))
      .filter((s) => { const r = s.getBoundingClientRect();
        return r.width > 10 && r.height > 10 && s.querySelector("path, image"); }).length)()`) as number;
    await screenshot(page, shot, false);
    if (drawn < expectedCharts) {
      throw new Error(
        `${relative(REPO, html)}: ${drawn} visible chart(s) with scripts disabled, ` +
          `${expectedCharts} expected; screenshot: ${relative(REPO, shot)}`,
      );
    }
    return `${relative(REPO, html)}: ${drawn}/${expectedCharts} charts visible without scripts`;
  } finally {
    await context.close().catch(() => {});
  }
}

/** Draws each Plotly figure with the real plotly.js in a page served on 127.0.0.1. */
async function checkPlotly(
  browser: Browser,
  figures: { from: string; figure: NonNullable<OutputInfo["plotly"]> }[],
): Promise<string[]> {
  const js = join(REPO, "node_modules", "plotly.js-dist-min", "plotly.min.js");
  const plotlyJs = await Deno.readFile(js).catch(() => {
    throw new Error(`${js} is missing: run \`deno install\``);
  });
  let current = "{}";
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/plotly.min.js") {
      return new Response(plotlyJs, { headers: { "content-type": "text/javascript" } });
    }
    const page = `<!doctype html><meta charset="utf-8"><title>plotly check</title>
<div id="plot" style="width: 900px; height: 500px"></div>
<script src="/plotly.min.js"></script>
<script type="application/json" id="fig">${current.replaceAll("<", "\\u003c")}</script>
<script>
  const fig = JSON.parse(document.getElementById("fig").textContent);
  Plotly.newPlot("plot", fig.data, fig.layout || {}).then(
    () => { window.__plotted = "ok"; }, (e) => { window.__plotted = "error: " + e; });
</script>`;
    return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
  });
  const lines: string[] = [];
  const failures: string[] = [];
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  try {
    for (const [i, { from, figure }] of figures.entries()) {
      current = JSON.stringify(figure);
      errors.length = 0;
      const shot = join(SHOTS, `plotly-${i + 1}.png`);
      await page.goto(`http://127.0.0.1:${server.addr.port}/?fig=${i}`, { timeout: 60_000 });
      // plotly.js reports some layout problems only on the console and never settles newPlot.
      let state = "";
      for (let waited = 0; waited < 20_000 && !state; waited += 200) {
        state = await page.evaluate("window.__plotted || ''") as string;
        if (!state && errors.length) state = "never finished";
        if (!state) await sleep(200);
      }
      // Only the main plot area counts: a range slider draws a miniature copy of every trace.
      const drawn = await page.evaluate(`(() => {
        const main = (sel) => Array.from(document.querySelectorAll(sel))
          .filter((el) => !el.closest(".rangeslider-container"));
        return {
        scatter: main(".scatterlayer .trace").length,
        lines: main(".scatterlayer .trace path.js-line")
          .filter((p) => (p.getAttribute("d") || "").length > 2).length,
        heatmap: document.querySelectorAll(".heatmaplayer .hm image, .heatmaplayer image").length,
      };
      })()`) as { scatter: number; lines: number; heatmap: number };
      await page.screenshot({ path: shot });
      const type = (t: Record<string, unknown>) => t.type ?? "scatter";
      const want = {
        scatter: figure.data.filter((t) => type(t) === "scatter").length,
        lines: figure.data.filter((t) =>
          type(t) === "scatter" && String(t.mode ?? "lines").includes("lines")
        ).length,
        heatmap: figure.data.filter((t) =>
          type(t) === "heatmap"
        ).length,
      };
      const problems: string[] = [];
      if (state !== "ok") problems.push(`Plotly.newPlot: ${state || "timed out"}`);
      if (errors.length) problems.push(`page errors: ${errors.join(" | ")}`);
      if (drawn.scatter !== want.scatter) {
        problems.push(`${drawn.scatter} scatter traces drawn, ${want.scatter} in the figure`);
      }
      if (drawn.lines < want.lines) {
        problems.push(`${drawn.lines} lines drawn, ${want.lines} line traces in the figure`);
      }
      if (drawn.heatmap < want.heatmap) {
        problems.push(`${drawn.heatmap} heatmaps drawn, ${want.heatmap} in the figure`);
      }
      if (problems.length) {
        failures.push(
          `Plotly figure from ${from}: ${problems.join("; ")}; screenshot: ${relative(REPO, shot)}`,
        );
        continue;
      }
      lines.push(
        `plotly.js drew the figure from ${from}: ${want.scatter} scatter, ${want.lines} line, ` +
          `${want.heatmap} heatmap trace(s); screenshot ${relative(REPO, shot)}`,
      );
    }
  } finally {
    await page.close().catch(() => {});
    await server.shutdown();
  }
  for (const line of lines) console.log(`  ${line}`);
  if (failures.length) throw new Error(failures.join("\n"));
  return lines;
}

/** Closes the browser, or kills it if closing hangs. */
async function closeBrowser(browser: Browser): Promise<void> {
  const closed = browser.close().then(() => true, () => false);
  const ok = await Promise.race([closed, sleep(15_000).then(() => false)]);
  if (!ok) console.error("e2e: browser did not close within 15 s");
}

Deno.test({
  name: "e2e: notebooks in Jupyter Notebook and headless Chromium",
  // The server, browser and their pipes outlive single steps by design; stop() ends them.
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const deadline = Date.now() + TOTAL_BUDGET_MS;
  await Deno.mkdir(SHOTS, { recursive: true });
  await Deno.mkdir(E2E_OUT, { recursive: true });
  const home = await Deno.makeTempDir({ prefix: "matcalc-e2e-" });
  const probe = await Deno.readTextFile(new URL("./page_probe.js", import.meta.url));
  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  const shots: string[] = [];
  try {
    const notebooks = await prepareNotebooks();
    const kernels = [...new Set(notebooks.map((n) => n.kernel))];
    for (const note of await installKernels(REPO, home, kernels)) console.log(`  ${note}`);
    server = await startServer(WORK, home, join(E2E_OUT, "jupyter.log"));
    console.log(`  jupyter notebook on ${server.base} (log: ${relative(REPO, server.logPath)})`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    const figures: { from: string; figure: NonNullable<OutputInfo["plotly"]> }[] = [];
    let live = { cells: 0, sampled: 0 };
    for (const nb of notebooks) {
      await t.step(`${nb.rel} runs in the browser and shows what it should`, async () => {
        if (Date.now() > deadline) throw new Error(`not run: e2e time budget used up`);
        shots.push(join(SHOTS, `${nb.stem}.png`));
        const { report, live: l } = await checkInBrowser(browser!, server!, nb, probe, deadline);
        live = { cells: live.cells + l.cells, sampled: live.sampled + l.sampled };
        for (const c of report.cells) {
          for (const o of c.outputs) {
            // matcalc's own figures (the raw fixture's hand-made one is only a fallback)
            if (o.plotly) figures.push({ from: `${nb.rel} cell ${c.index}`, figure: o.plotly });
          }
        }
      });
    }

    await t.step("a live chart changed while its cell was running", () => {
      if (live.cells === 0) throw new Error("no live training cell was found in any notebook");
      if (live.sampled === 0) {
        throw new Error(`none of ${live.cells} live cell(s) was seen changing while running`);
      }
    });

    await t.step("static HTML pages show every chart with scripts disabled", async () => {
      const pages: { html: string; ipynb: string; name: string }[] = [];
      // The fixtures' pages are made here by the main job's runner, as it makes the notebooks'.
      const fixtures = notebooks.filter((n) => n.fixture);
      if (fixtures.length) {
        const outDir = join(E2E_OUT, "html");
        const run = await new Deno.Command(Deno.execPath(), {
          args: ["task", "notebooks", ...fixtures.map((n) => n.rel), "--out", outDir],
          cwd: REPO,
          env: server!.env,
          stdout: "piped",
          stderr: "piped",
        }).output();
        if (!run.success) {
          const dec = new TextDecoder();
          throw new Error(
            `deno task notebooks (fixtures) failed:\n${dec.decode(run.stdout)}${
              dec.decode(run.stderr)
            }`,
          );
        }
        for (const n of fixtures) {
          const name = basename(n.rel, ".ipynb");
          pages.push({
            html: join(outDir, `${name}.html`),
            ipynb: join(outDir, `${name}.ipynb`),
            name: `static-${n.stem}.png`,
          });
        }
      }
      // The main job's pages (deno task notebooks writes out/notebooks/NAME.html and NAME.ipynb).
      const real = notebooks.filter((n) => !n.fixture);
      const missing: string[] = [];
      for (const n of real) {
        const name = basename(n.rel, ".ipynb");
        const html = join(OUT, "notebooks", `${name}.html`);
        const executed = join(OUT, "notebooks", `${name}.ipynb`);
        try {
          await Deno.stat(html);
        } catch {
          missing.push(relative(REPO, html));
          continue;
        }
        const ipynb = await Deno.stat(executed).then(() => executed, () => join(REPO, n.rel));
        pages.push({ html, ipynb, name: `static-${n.stem}.png` });
      }
      for (const p of pages) {
        shots.push(join(SHOTS, p.name));
        console.log(
          `  ${await checkStaticPage(browser!, p.html, await chartOutputs(p.ipynb), p.name)}`,
        );
      }
      if (missing.length) {
        throw new Error(
          `HTML pages missing (run \`deno task notebooks\` first): ${missing.join(", ")}`,
        );
      }
    });

    await t.step("exported pages run none of the known XSS vectors (scripts on)", async () => {
      console.log(`  ${await checkXss(browser!, join(E2E_OUT, "xss"))}`);
    });

    await t.step("plotly.js draws matcalc's Plotly figures", async () => {
      // Prefer figures matcalc made (notebooks, then matcalc/kernel fixture cells) over the raw one.
      const ranked = [
        ...figures.filter((f) => f.from.startsWith("notebooks/")),
        ...figures.filter((f) => !f.from.startsWith("notebooks/") && !f.from.includes("raw_")),
        ...figures.filter((f) => f.from.includes("raw_")),
      ];
      // Every distinct figure (capped): one bad layout is enough to break plotly.js.
      const seen = new Set<string>();
      const pick = ranked.filter((f) => {
        const key = JSON.stringify(f.figure);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }).slice(0, PLOTLY_MAX);
      if (pick.length === 0) throw new Error("no Plotly figure was emitted by any notebook");
      for (let i = 0; i < pick.length; i++) shots.push(join(SHOTS, `plotly-${i + 1}.png`));
      await checkPlotly(browser!, pick);
    });
  } finally {
    if (browser) await closeBrowser(browser);
    if (server) await stopServer(server);
    await Deno.remove(home, { recursive: true }).catch(() => {});
    if (shots.length) {
      console.log(`  screenshots:\n${shots.map((s) => `    ${relative(REPO, s)}`).join("\n")}`);
    }
  }
});
