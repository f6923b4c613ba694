/**
 * The exported HTML page against known XSS vectors in headless Chromium (tests/e2e/xss.ts); the
 * full e2e test (`deno task e2e`) runs the same check as one of its steps. Not named `*_test.ts`,
 * so `deno task test` leaves the browser out; run it alone with
 * `deno test -A tests/e2e/xss_browser.ts` (about a minute). Needs Debian's Jupyter and chromium.
 */
import { chromium } from "playwright-core";
import { assertMatch } from "@std/assert";
import { checkXss } from "./xss.ts";

Deno.test({
  name: "exported pages run none of the known XSS vectors in Chromium",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const out = Deno.makeTempDirSync({ prefix: "matcalc-xss-out-" });
  try {
    const line = await checkXss(browser, out);
    console.log(`  ${line}`);
    assertMatch(line, /^\d+ XSS vectors: no dialog/);
  } finally {
    await browser.close();
    Deno.removeSync(out, { recursive: true });
  }
});
