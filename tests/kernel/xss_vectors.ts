/**
 * Known HTML/SVG/Markdown XSS vectors (after the OWASP XSS filter evasion cheat sheet, DOMPurify's
 * test fixtures and the cases that broke the runner's old hand-written SVG sanitizer). Each one
 * runs `alert(1)` in a browser, on load or on a click, when it is not sanitized.
 */
export interface Vector {
  /** How the notebook carries it: a text/html or image/svg+xml output, or a Markdown cell. */
  kind: "html" | "svg" | "markdown";
  markup: string;
}

const SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';

export const VECTORS: Vector[] = [
  // HTML
  { kind: "html", markup: "<script>alert(1)</script>" },
  { kind: "html", markup: "<img src=x onerror=alert(1)>" },
  { kind: "html", markup: "<svg onload=alert(1)>" },
  { kind: "html", markup: "<body onload=alert(1)>" },
  { kind: "html", markup: '<iframe src="javascript:alert(1)"></iframe>' },
  { kind: "html", markup: '<iframe srcdoc="<script>alert(1)</script>"></iframe>' },
  { kind: "html", markup: '<a href="javascript:alert(1)">click</a>' },
  { kind: "html", markup: '<a href="java&#9;script:alert(1)">click</a>' },
  { kind: "html", markup: '<a href="&#106;avascript:alert(1)">click</a>' },
  { kind: "html", markup: '<a href=" &#x09;javascript:alert(1)">click</a>' },
  { kind: "html", markup: '<a href="JaVaScRiPt:alert(1)">click</a>' },
  { kind: "html", markup: '<form action="javascript:alert(1)"><button>go</button></form>' },
  { kind: "html", markup: '<form><button formaction="javascript:alert(1)">go</button></form>' },
  { kind: "html", markup: '<object data="javascript:alert(1)"></object>' },
  { kind: "html", markup: '<embed src="javascript:alert(1)">' },
  { kind: "html", markup: "<details open ontoggle=alert(1)>x</details>" },
  { kind: "html", markup: "<input autofocus onfocus=alert(1)>" },
  { kind: "html", markup: "<video><source onerror=alert(1)></video>" },
  { kind: "html", markup: "<audio src=x onerror=alert(1)></audio>" },
  { kind: "html", markup: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { kind: "html", markup: '<base href="javascript:alert(1)//"><a href="x">click</a>' },
  { kind: "html", markup: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { kind: "html", markup: "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>" },
  { kind: "html", markup: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  { kind: "html", markup: "<template><script>alert(1)</script></template><div>t</div>" },
  {
    kind: "html",
    markup: '<div onmouseover="alert(1)" style="width:50px;height:20px">hover</div>',
  },
  { kind: "html", markup: '<a href="x" onclick="alert(1)">click</a>' },
  { kind: "html", markup: '<isindex action="javascript:alert(1)" type="image">' },
  { kind: "html", markup: "<marquee onstart=alert(1)>m</marquee>" },
  { kind: "html", markup: '<textarea autofocus onfocus="alert(1)"></textarea>' },
  // SVG
  {
    kind: "svg",
    markup: `<svg ${SVG} width="100" height="30"><a><set attributeName="href" ` +
      `to="java&#9;script:alert(1)"/><text x="5" y="20">click</text></a></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG} width="200" height="60"><foreignObject width="200" height="60">` +
      `<form xmlns="http://www.w3.org/1999/xhtml" action="java&#9;script:alert(1)">` +
      `<input type="submit" value="submit"/></form></foreignObject></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG} width="100" height="30"><a xlink:href="javascript:alert(1)">` +
      `<text x="5" y="20">click</text></a></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG} width="100" height="30"><a href="javascript:alert(1)">` +
      `<text x="5" y="20">click</text></a></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG} width="100" height="30"><a><animate attributeName="href" ` +
      `values="javascript:alert(1)"/><text x="5" y="20">click</text></a></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG}><a><animate attributeName="xlink:href" begin="0" ` +
      `from="javascript:alert(1)" to="&amp;"/><text x="5" y="20">click</text></a></svg>`,
  },
  { kind: "svg", markup: `<svg ${SVG}><script>alert(1)</script></svg>` },
  { kind: "svg", markup: `<svg ${SVG} onload="alert(1)"><rect width="5" height="5"/></svg>` },
  { kind: "svg", markup: `<svg ${SVG}><image href="x" onerror="alert(1)"/></svg>` },
  {
    kind: "svg",
    markup: `<svg ${SVG}><animate onbegin="alert(1)" attributeName="x" dur="1s"/></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG}><set attributeName="onmouseover" to="alert(1)"/>` +
      `<rect width="50" height="20"/></svg>`,
  },
  {
    kind: "svg",
    markup: `<svg ${SVG}><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" ` +
      `srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe></foreignObject></svg>`,
  },
  { kind: "svg", markup: `<svg ${SVG}><desc><img src="x" onerror="alert(1)"/></desc></svg>` },
  {
    kind: "svg",
    markup: `<svg ${SVG}><use href="data:image/svg+xml,&lt;svg id='x' ` +
      `xmlns='http://www.w3.org/2000/svg'&gt;&lt;image href='1' onerror='alert(1)' /&gt;` +
      `&lt;/svg&gt;#x"/></svg>`,
  },
  { kind: "svg", markup: `<svg ${SVG}><style>&lt;img src=x onerror=alert(1)&gt;</style></svg>` },
  {
    kind: "svg",
    markup: `<svg ${SVG}><a href="#"><text x="5" y="20" onclick="alert(1)">click</text></a></svg>`,
  },
  // Markdown (rendered by nbconvert's markdown2html, which passes raw HTML through)
  { kind: "markdown", markup: "[click](javascript:alert(1))" },
  { kind: "markdown", markup: "[click](java&#9;script:alert(1))" },
  { kind: "markdown", markup: '![x](x "a" onerror="alert(1))' },
  { kind: "markdown", markup: "Text <img src=x onerror=alert(1)> inline" },
  { kind: "markdown", markup: '<a href="javascript:alert(1)">raw link</a>' },
  { kind: "markdown", markup: "<details open ontoggle=alert(1)>x</details>" },
];
