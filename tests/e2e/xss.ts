/**
 * Known XSS vectors (tests/kernel/xss_vectors.ts) as notebook outputs (text/html, image/svg+xml)
 * and Markdown cells, through the runner to its HTML page, opened in headless Chromium with
 * scripts ON: no dialog may open and no javascript: URL may run, on load or on clicking anything.
 * A page with the same vectors left unsanitized must open dialogs (so the check can fail).
 * Used by tests/e2e/e2e.ts and tests/e2e/xss_browser.ts.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VECTORS } from "../kernel/xss_vectors.ts";

const REPO = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** A notebook that shows every vector: Markdown ones as cells, the others as raw outputs. */
export function xssNotebook(): string {
  const cells: Record<string, unknown>[] = [];
  const code = (source: string) => ({
    cell_type: "code",
    execution_count: null,
    id: `cell-${cells.length}`,
    metadata: {},
    outputs: [],
    source,
  });
  cells.push(code('import { display } from "matcalc/kernel";'));
  for (const v of VECTORS) {
    if (v.kind === "markdown") {
      cells.push({
        cell_type: "markdown",
        id: `cell-${cells.length}`,
        metadata: {},
        source: v.markup,
      });
    } else {
      const mime = v.kind === "svg" ? "image/svg+xml" : "text/html";
      cells.push(code(`display({ ${JSON.stringify(mime)}: ${JSON.stringify(v.markup)} });`));
    }
  }
  return JSON.stringify({
    cells,
    metadata: {
      kernelspec: { display_name: "matcalc (Deno)", language: "typescript", name: "matcalc" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** What ran in the page: dialogs opened, popups, and the page's URL at the end. */
interface Fired {
  dialogs: string[];
  popups: number;
  url: string;
  clicked: number;
  /** Links left in outputs and Markdown (their targets removed, the text kept). */
  links: number;
}

async function exercise(page: Page, url: string): Promise<Fired> {
  const fired: Fired = { dialogs: [], popups: 0, url: "", clicked: 0, links: 0 };
  page.on("dialog", (d) => {
    fired.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("popup", () => fired.popups++);
  // Offline: nbconvert's CDN scripts and anything a vector fetches are refused.
  await page.route(/^(?!file:|data:|about:)/, (r) => r.abort());
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  await page.waitForTimeout(1500); // animations (onbegin, <set>), autofocus, toggles
  // Click everything a reader could click in outputs and Markdown, as a person would.
  const targets = page.locator(
    ":is(.jp-OutputArea-output, .jp-RenderedMarkdown, .vector) " +
      ":is(a, button, input, text, details, summary, div, img, rect, svg)",
  );
  const n = await targets.count();
  fired.links = await page.locator(
    ":is(.jp-OutputArea-output, .jp-RenderedMarkdown, .vector) a",
  ).count();
  for (let i = 0; i < n; i++) {
    const t = targets.nth(i);
    try {
      await t.hover({ force: true, timeout: 300 });
      await t.click({ force: true, timeout: 300, noWaitAfter: true });
      fired.clicked++;
    } catch { /* hidden or zero-sized */ }
    if (page.url() !== url) {
      fired.url = page.url();
      await page.goto(url, { waitUntil: "load" }).catch(() => {});
    }
  }
  await page.waitForTimeout(300);
  fired.url ||= page.url();
  return fired;
}

/**
 * Runs the runner on the XSS notebook into `outDir`, then checks its page and an unsanitized
 * control page in `browser`. Returns a summary line; throws with what ran.
 */
export async function checkXss(browser: Browser, outDir: string): Promise<string> {
  const src = Deno.makeTempDirSync({ prefix: "matcalc-xss-" });
  try {
    const nb = join(src, "xss.ipynb");
    Deno.writeTextFileSync(nb, xssNotebook());
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(REPO, "kernel", "run_notebooks.ts"), "--out", outDir, nb],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    if (!run.success) {
      throw new Error(
        `runner failed on the XSS notebook:\n${dec.decode(run.stdout)}${dec.decode(run.stderr)}`,
      );
    }
    const html = join(outDir, "xss.html");
    // The control: the same vectors inlined as they are (Markdown ones as raw HTML).
    const control = join(outDir, "xss_control.html");
    Deno.writeTextFileSync(
      control,
      `<!doctype html><html><body>${
        VECTORS.map((v) => `<div class="vector">${v.markup}</div>`).join("\n")
      }</body></html>`,
    );
    const context = await browser.newContext({ javaScriptEnabled: true });
    try {
      const base = await exercise(await context.newPage(), `file://${control}`);
      if (base.dialogs.length === 0) {
        throw new Error("the unsanitized control page opened no dialog: the check cannot fail");
      }
      const page = await exercise(await context.newPage(), `file://${html}`);
      const problems = [
        ...page.dialogs.map((d) => `dialog opened (${d})`),
        ...(page.popups ? [`${page.popups} popup(s)`] : []),
        ...(page.url.startsWith("file://") ? [] : [`navigated to ${page.url}`]),
      ];
      if (problems.length) throw new Error(`${html}: ${problems.join("; ")}`);
      // The links kept (their targets removed) are what a reader would click: all clicked.
      if (page.links < 10 || page.clicked < page.links) {
        throw new Error(`${html}: ${page.clicked} clicks for ${page.links} links`);
      }
      return `${VECTORS.length} XSS vectors: no dialog, popup or navigation after ` +
        `${page.clicked} clicks (${page.links} links) on the exported page (unsanitized control: ` +
        `${base.dialogs.length} dialogs)`;
    } finally {
      await context.close().catch(() => {});
    }
  } finally {
    Deno.removeSync(src, { recursive: true });
  }
}
