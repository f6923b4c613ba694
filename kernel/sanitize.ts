/**
 * Sanitizes untrusted output HTML and SVG for the runner's static pages with DOMPurify over jsdom
 * (DOMPurify's own test DOM). Notebook outputs are untrusted as in Jupyter: scripts, event
 * handlers, `javascript:` URLs (however encoded), SMIL `<set>`/`<animate>` that rewrite `href`,
 * forms and foreignObject tricks are removed; the markup charts, tables and math need is kept.
 *
 * @module
 */
import createDOMPurify from "dompurify";
import { JSDOM } from "jsdom";

type Purifier = ReturnType<typeof createDOMPurify>;
let purifier: Purifier | undefined;

function dompurify(): Purifier {
  if (!purifier) {
    const { window } = new JSDOM("");
    // jsdom's window is a full DOM window; DOMPurify's type names the browser's.
    purifier = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
    // Links open outside the page, never in it (no reverse tabnabbing through window.opener).
    purifier.addHook("afterSanitizeAttributes", (node) => {
      if (node.nodeName === "A" && node.getAttribute("target")) {
        node.setAttribute("rel", "noopener noreferrer");
      }
    });
  }
  return purifier;
}

/** What kind of markup a fragment is. */
export type FragmentKind = "html" | "svg";

/**
 * `markup` with everything executable removed, for inlining into an HTML page. `svg` keeps only
 * SVG (and its filters); `html` keeps HTML, inline SVG and MathML.
 *
 * @example An event handler and a javascript: link are removed, the rest is kept
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sanitize } from "./sanitize.ts";
 *
 * const out = sanitize('<b onclick="alert(1)">bold</b><a href="javascript:alert(1)">x</a>');
 * assertEquals(out, "<b>bold</b><a>x</a>");
 * ```
 */
export function sanitize(markup: string, kind: FragmentKind = "html"): string {
  const p = dompurify();
  if (kind === "svg") {
    return p.sanitize(markup, {
      USE_PROFILES: { svg: true, svgFilters: true },
      // Charts draw with attributes; a style sheet could restyle the whole page.
      FORBID_TAGS: ["style"],
    });
  }
  return p.sanitize(markup, {
    USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
    // Forms can post or navigate to javascript:/external URLs on a click.
    FORBID_TAGS: ["form", "input", "button", "textarea", "select", "style"],
  });
}
