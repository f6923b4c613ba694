/**
 * The README says how to open a notebook yourself and what plain Jupyter tools do (issue 17,
 * items 6 and 7); also run by `deno task check`.
 */
import { assertMatch } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = Deno.readTextFileSync(join(ROOT, "README.md"));

/** The text of the `## title` section (up to the next `## `). */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 4);
  return readme.slice(start, end < 0 ? undefined : end);
}

Deno.test("README: opening a notebook yourself", () => {
  const s = section("Opening a notebook yourself");
  assertMatch(s, /deno task kernel:install/);
  assertMatch(s, /jupyter notebook notebooks\/06_gradient_descent_live\.ipynb/);
  assertMatch(s, /\*\*Deno\*\* for notebooks inside this repository/);
  assertMatch(s, /\*\*matcalc \(Deno\)\*\* for a notebook anywhere else/);
  assertMatch(s, /JupyterLab/);
  assertMatch(s, /VS Code/);
  assertMatch(s, /live|while the\s+loop runs/);
});

Deno.test("README: plain Jupyter tools and the runner", () => {
  const s = section("Opening a notebook yourself");
  assertMatch(s, /### Plain Jupyter tools/);
  assertMatch(s, /`jupyter nbconvert --execute`[\s\S]*drops one or two cell\s+results/);
  assertMatch(s, /deno task notebooks my\.ipynb --out dir/);
  assertMatch(s, /`jupyter nbconvert --to html`[\s\S]*keeps matcalc's charts/);
});
