/**
 * Doc examples show what a call prints: a `console.log(x);` line followed by `// ` comment lines
 * holding the printed text. This test runs every such example and checks the comments are what
 * the call really prints, so the shown output cannot go stale.
 *
 * After a deliberate change to printing, rewrite the comments instead of checking them:
 *
 *     UPDATE_DOC_OUTPUT=1 deno test -A tests/core/doc_output_test.ts
 */
import { assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url);
const update = Deno.env.get("UPDATE_DOC_OUTPUT") === "1";

/** A `console.log(expr);` line of an example and the comment lines that follow it. */
interface Shown {
  /** Index of the console.log line in the block's code lines. */
  at: number;
  expr: string;
  /** The printed text the comments claim (lines joined with "\n"). */
  claimed: string;
  /** How many comment lines follow. */
  lines: number;
}

interface Block {
  file: string;
  /** Line (0-based) in the file of the first code line. */
  firstLine: number;
  /** The ` * ` prefix of the block's lines. */
  prefix: string;
  code: string[];
  shown: Shown[];
}

const LOG = /^console\.log\((.+)\);$/;

function blocksOf(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*\* ?)```(ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const prefix = open[1];
    const code: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*\* ?```\s*$/.test(lines[j]); j++) {
      code.push(lines[j].replace(/^\s*\* ?/, ""));
    }
    const shown: Shown[] = [];
    code.forEach((l, k) => {
      const m = LOG.exec(l);
      if (!m) return;
      let n = 0;
      while (k + 1 + n < code.length && /^\/\/( |$)/.test(code[k + 1 + n])) n++;
      const claimed = code.slice(k + 1, k + 1 + n).map((c) => c.replace(/^\/\/ ?/, "")).join("\n");
      shown.push({ at: k, expr: m[1], claimed, lines: n });
    });
    if (shown.length > 0) out.push({ file, firstLine: i + 1, prefix, code, shown });
    i = j;
  }
  return out;
}

/** What console.log prints for one argument. */
function printed(v: unknown): string {
  return typeof v === "string" ? v : Deno.inspect(v, { colors: false, depth: 10 });
}

async function run(block: Block): Promise<string[]> {
  const code = [...block.code];
  block.shown.forEach((s, k) => {
    code[s.at] = `(globalThis as any).__docOutput[${k}] = (${s.expr});`;
  });
  const dir = new URL("tests/core/", root).pathname;
  const path = await Deno.makeTempFile({ dir, prefix: ".doc_output_", suffix: ".tmp.ts" });
  const g = globalThis as { __docOutput?: unknown[] };
  g.__docOutput = [];
  try {
    await Deno.writeTextFile(path, code.join("\n"));
    await import(`file://${path}`);
    return g.__docOutput.map(printed);
  } finally {
    await Deno.remove(path);
    delete g.__docOutput;
  }
}

async function* sources(dir: URL): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) yield* sources(new URL(`${e.name}/`, dir));
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
      yield new URL(e.name, dir).pathname;
    }
  }
}

Deno.test("doc examples print what their comments show", async (t) => {
  let checked = 0;
  for (const top of ["lib/", "kernel/"]) {
    for await (const file of sources(new URL(top, root))) {
      const text = await Deno.readTextFile(file);
      const blocks = blocksOf(file, text);
      if (blocks.length === 0) continue;
      const rel = file.slice(root.pathname.length);
      const lines = text.split("\n");
      // From the last block up, so that rewriting comments keeps earlier line numbers valid.
      for (const block of blocks.reverse()) {
        const outputs = await run(block);
        for (const [k, s] of [...block.shown.entries()].reverse()) {
          if (update) {
            const comment = outputs[k].split("\n").map((l) => `${block.prefix}// ${l}`.trimEnd());
            lines.splice(block.firstLine + s.at + 1, s.lines, ...comment);
            continue;
          }
          await t.step(`${rel}:${block.firstLine + s.at + 1} console.log(${s.expr})`, () => {
            assertEquals(
              outputs[k],
              s.claimed,
              `the comment under console.log(${s.expr}) is stale; run UPDATE_DOC_OUTPUT=1 ` +
                `deno test -A tests/core/doc_output_test.ts`,
            );
          });
          checked++;
        }
      }
      if (update) await Deno.writeTextFile(file, lines.join("\n"));
    }
  }
  // The examples of the most-read exports show output; losing them all would be a regression.
  if (!update) assertEquals(checked >= 10, true, `only ${checked} printed outputs found`);
});
