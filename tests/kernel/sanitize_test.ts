/**
 * The runner's page sanitizer (DOMPurify over jsdom) against known XSS vectors: whatever it keeps
 * must have no event handler, no script-like element, no SMIL element that can rewrite an
 * attribute, no form, and no URL with a javascript:, vbscript: or data: (other than images)
 * scheme once the browser's URL parser has stripped tabs, newlines and spaces.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { JSDOM } from "jsdom";
import { sanitize } from "../../kernel/sanitize.ts";
import { VECTORS } from "./xss_vectors.ts";

const DANGEROUS_TAGS = new Set([
  "script",
  "iframe",
  "object",
  "embed",
  "form",
  "input",
  "button",
  "textarea",
  "meta",
  "base",
  "link",
  "style",
  "set",
  "animate",
  "animatemotion",
  "animatetransform",
  "handler",
  "listener",
  "foreignobject",
  "isindex",
  "template",
  "noscript",
  "use",
]);
const URL_ATTRS =
  /^(href|xlink:href|src|action|formaction|data|srcdoc|values|to|from|by|content)$/i;

/** What in `html` could run script; empty when nothing. */
function problems(html: string): string[] {
  const { window } = new JSDOM(`<!doctype html><body>${html}</body>`);
  const found: string[] = [];
  for (const el of window.document.querySelectorAll("body, body *")) {
    const tag = el.localName.toLowerCase();
    if (DANGEROUS_TAGS.has(tag)) found.push(`<${tag}>`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      // The URL parser drops ASCII tab, newline and leading spaces/controls before the scheme.
      // deno-lint-ignore no-control-regex
      const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (
        URL_ATTRS.test(name) &&
        (/(javascript|vbscript|livescript):/.test(value) ||
          (value.startsWith("data:") && !value.startsWith("data:image/png")))
      ) found.push(`${tag}[${name}=${attr.value}]`);
      if (name === "attributename") found.push(`${tag}[attributeName]`);
    }
  }
  window.close();
  return found;
}

Deno.test("sanitize: known XSS vectors lose everything that could run", async (t) => {
  let checked = 0;
  for (const v of VECTORS) {
    await t.step(`${v.kind}: ${v.markup.slice(0, 70)}`, () => {
      // Markdown reaches the sanitizer as the HTML nbconvert rendered: raw HTML passes through.
      const markup = v.kind === "markdown" ? v.markup : v.markup;
      const out = sanitize(markup, v.kind === "svg" ? "svg" : "html");
      assertEquals(problems(out), [], out);
      // The checker itself finds the problem in the unsanitized markup (except for the
      // Markdown link syntax, which only nbconvert turns into HTML).
      if (v.kind !== "markdown" || v.markup.includes("<")) {
        assert(problems(v.markup).length > 0 || /java&#9;script|&#106;/.test(v.markup), v.markup);
      }
      checked++;
    });
  }
  assertEquals(checked, VECTORS.length);
  assert(VECTORS.length >= 40, `${VECTORS.length} vectors`);
});

Deno.test("sanitize: what charts, tables and math need is kept", () => {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">' +
    '<g class="mark-line role-mark" transform="translate(1,2)"><path d="M0,0L10,10" ' +
    'stroke="#4c78a8" stroke-width="2" fill="none"/></g><text x="5" y="9" ' +
    'font-family="sans-serif" text-anchor="middle">1e-3</text></svg>';
  const kept = sanitize(svg, "svg");
  assertMatch(kept, /<path d="M0,0L10,10" stroke="#4c78a8" stroke-width="2" fill="none">/);
  assertMatch(kept, /<g class="mark-line role-mark" transform="translate\(1,2\)">/);
  assertMatch(kept, /viewBox="0 0 100 50"/);
  assertMatch(kept, /<text [^>]*text-anchor="middle">1e-3<\/text>/);
  const table =
    '<table class="matcalc-tensor"><tr><td style="text-align:right">1</td></tr></table>';
  assertEquals(
    sanitize(table),
    '<table class="matcalc-tensor"><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>',
  );
  assertEquals(
    sanitize("<p>$\\frac{a}{b}$ <code>x</code></p>"),
    "<p>$\\frac{a}{b}$ <code>x</code></p>",
  );
  assertEquals(
    sanitize('<a href="https://example.org/x">ok</a>'),
    '<a href="https://example.org/x">ok</a>',
  );
  assertEquals(
    sanitize('<img src="data:image/png;base64,iVBORw0KGgo=">'),
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
  );
});
