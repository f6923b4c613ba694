/**
 * A strict little XML parser for checking the SVGs vega renders (well-formed, element tree), so
 * the tests need no DOM package.
 */
export interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/y;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses `src`; throws on anything not well-formed. */
export function parseXml(src: string): XmlNode {
  const root: XmlNode = { tag: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`XML: cannot parse at ${at}: ${src.slice(at, at + 40)}`);
    const [, close, open, attrText, selfClose, text] = m;
    const top = stack[stack.length - 1];
    if (close) {
      if (top.tag !== close) throw new Error(`XML: </${close}> closes <${top.tag}> at ${at}`);
      stack.pop();
    } else if (open) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(ATTR)) attrs[a[1]] = a[2] ?? a[3];
      const node: XmlNode = { tag: open, attrs, children: [], text: "" };
      top.children.push(node);
      if (!selfClose) stack.push(node);
    } else if (text !== undefined) top.text += text;
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1].tag}> is never closed`);
  if (root.children.length !== 1) throw new Error("XML: expected exactly one root element");
  return root.children[0];
}

/** Every node below `node` (depth first) for which `pred` holds. */
export function findAll(node: XmlNode, pred: (n: XmlNode) => boolean): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    if (pred(n)) out.push(n);
    n.children.forEach(walk);
  };
  walk(node);
  return out;
}

/** Whether the node's class list has every class in `classes`. */
export function hasClass(n: XmlNode, ...classes: string[]): boolean {
  const list = (n.attrs.class ?? "").split(/\s+/);
  return classes.every((c) => list.includes(c));
}

/**
 * The drawn items of vega's mark groups of one type: `<path>`s for `line`, `symbol` and `rect`,
 * `<line>`s for `rule`, `<text>`s for `text`.
 */
export function markPaths(svg: XmlNode, mark: string): XmlNode[] {
  return findAll(svg, (n) => n.tag === "g" && hasClass(n, `mark-${mark}`, "role-mark"))
    .flatMap((g) => g.children.filter((c) => ["path", "line", "text"].includes(c.tag)));
}

/** Number of vertices in a path drawn with M/L commands (vega's linear lines). */
export function vertexCount(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}
