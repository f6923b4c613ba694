/**
 * Fails (exit 1) when the modules of lib/ or kernel/ import each other in a cycle, printing each
 * cycle. Run by `deno task check`; by hand: `deno run -A tests/tools/check_cycles.ts`.
 *
 * Why: a cycle makes evaluation order depend on which module is imported first (a `const` read
 * before its module ran is a TDZ error), and it hides layering: the engine should not need the
 * ops it differentiates. Type-only imports (`import type`) are erased and are not counted.
 *
 * The graph comes from `deno info --json`, rooted at every .ts file under the checked folders
 * (one call per file not yet reached, so workers and scripts are covered too).
 */

const DIRS = Deno.args.length > 0 ? Deno.args : ["lib", "kernel"];
const root = new URL("../../", import.meta.url);

interface Dep {
  code?: { specifier: string };
  type?: { specifier: string };
}
interface Info {
  modules: { specifier: string; dependencies?: Dep[] }[];
}

function tsFiles(dir: URL): URL[] {
  const out: URL[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const u = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) out.push(...tsFiles(u));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(u);
  }
  return out;
}

const inScope = (s: string) => DIRS.some((d) => s.startsWith(new URL(d + "/", root).href));
const edges = new Map<string, Set<string>>();

async function load(file: URL): Promise<void> {
  const { stdout, success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file.pathname],
    cwd: root.pathname,
  }).output();
  if (!success) {
    throw new Error(`deno info ${file.pathname} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  const info: Info = JSON.parse(new TextDecoder().decode(stdout));
  for (const m of info.modules) {
    if (!inScope(m.specifier) || edges.has(m.specifier)) continue;
    const to = new Set<string>();
    for (const d of m.dependencies ?? []) {
      const s = d.code?.specifier;
      if (s !== undefined && inScope(s)) to.add(s);
    }
    edges.set(m.specifier, to);
  }
}

const files = DIRS.flatMap((d) => tsFiles(new URL(d + "/", root)));
for (const f of files) if (!edges.has(f.href)) await load(f);

/** Strongly connected components with more than one module, or a module importing itself. */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || edges.get(v)?.has(v)) found.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

const rel = (s: string) => s.slice(root.href.length);
const found = cycles();
if (found.length > 0) {
  console.error(`import cycles in ${DIRS.join(", ")}:`);
  for (const scc of found) console.error(`  ${scc.length} modules: ${scc.map(rel).join(" ↔ ")}`);
  console.error("break each by moving the shared piece into a module both can import");
  Deno.exit(1);
}
console.log(`no import cycle among ${edges.size} modules of ${DIRS.join(", ")}`);
