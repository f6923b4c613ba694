import { chromium } from "playwright-core";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"] });
const ctx = await b.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
const p = await ctx.newPage();
let t = performance.now();
await p.goto("file:///work/main/out/e2e/html/raw_display.html", { timeout: 60000 });
console.log("goto", performance.now() - t);
t = performance.now();
try {
const n = await p.evaluate(`(() => Array.from(document.querySelectorAll("svg")).map((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height, !!s.querySelector("path")]; }))()`);
console.log("eval", n, performance.now() - t);
} catch (e) { console.log("eval failed", e.message, performance.now() - t); }
t = performance.now();
await p.screenshot({ path: "/tmp/static.png", fullPage: true, timeout: 20000 }).catch((e) => console.log("shot", e.message));
console.log("shot", performance.now() - t);
await b.close();
