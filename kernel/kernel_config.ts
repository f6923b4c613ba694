/**
 * Prepares the folder the "matcalc (Deno)" kernel starts in: `deno jupyter` has no `--config`
 * or `--import-map` flag and reads deno.json only by walking up from its working folder, so the
 * kernelspec runs this script first (with the notebook's folder), which writes a deno.json that
 * holds matcalc's import map with absolute paths plus `"./"` and `"../"` entries pointing at the
 * notebook's folder and its parent, and prints the folder. The kernel then starts there: `matcalc`
 * and `matcalc/kernel` resolve to this repository, `import "./mine.ts"` to the notebook's folder,
 * and `matcalc/kernel` changes the working folder back to the notebook's (file paths).
 *
 * ```sh
 * cd "$(deno run -A kernel/kernel_config.ts /path/to/notebooks)" && deno jupyter --kernel --conn C
 * ```
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

/** A folder URL with its trailing slash, as import-map prefix entries need. */
function folderUrl(path: string): string {
  const url = pathToFileURL(path).href;
  return url.endsWith("/") ? url : url + "/";
}

/**
 * The deno.json for a kernel serving notebooks in `notebookDir`: the repository's imports made
 * absolute, relative prefixes mapped to the notebook's folder, no lock file, npm packages from
 * Deno's global cache.
 *
 * @example Relative imports point at the notebook's folder
 * ```ts
 * import { assertEquals, assertMatch } from "@std/assert";
 * import { kernelConfig } from "./kernel_config.ts";
 *
 * const c = kernelConfig("/home/me/work");
 * assertEquals(c.imports["./"], "file:///home/me/work/");
 * assertEquals(c.imports["../"], "file:///home/me/");
 * assertMatch(c.imports["matcalc"], /^file:\/\/\/.*\/lib\/mod\.ts$/);
 * ```
 */
export function kernelConfig(
  notebookDir: string,
  repo = REPO,
): { imports: Record<string, string>; lock: boolean; nodeModulesDir: string } {
  const repoConfig = JSON.parse(Deno.readTextFileSync(join(repo, "deno.json"))) as {
    imports: Record<string, string>;
  };
  const imports: Record<string, string> = {};
  for (const [k, v] of Object.entries(repoConfig.imports)) {
    imports[k] = v.startsWith("./") || v.startsWith("../")
      ? pathToFileURL(resolve(repo, v)).href + (v.endsWith("/") ? "/" : "")
      : v;
  }
  const dir = resolve(notebookDir);
  imports["./"] = folderUrl(dir);
  imports["../"] = folderUrl(dirname(dir));
  return { imports, lock: false, nodeModulesDir: "none" };
}

/** Writes the kernel's folder for `notebookDir` (under `cacheDir`) and returns its path. */
export function writeKernelFolder(notebookDir: string, cacheDir: string): string {
  const dir = resolve(notebookDir);
  const hash = Array.from(
    new Uint8Array(new TextEncoder().encode(REPO + "\0" + dir)).reduce(
      (h, b) => {
        // FNV-1a over the two paths: a stable, short folder name per repository and notebook.
        h[0] = Math.imul(h[0] ^ b, 16777619) >>> 0;
        return h;
      },
      new Uint32Array([2166136261]),
    ),
  )[0].toString(16);
  const folder = join(cacheDir, `kernel-${hash}`);
  Deno.mkdirSync(folder, { recursive: true });
  const text = JSON.stringify(kernelConfig(dir), null, 2) + "\n";
  const file = join(folder, "deno.json");
  let old = "";
  try {
    old = Deno.readTextFileSync(file);
  } catch { /* first start */ }
  if (old !== text) {
    const tmp = `${file}.${Deno.pid}.tmp`;
    Deno.writeTextFileSync(tmp, text);
    Deno.renameSync(tmp, file);
  }
  return folder;
}

/** `$XDG_CACHE_HOME/matcalc` or `~/.cache/matcalc`, else the temp folder. */
export function cacheDir(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const home = Deno.env.get("HOME");
  if (xdg) return join(xdg, "matcalc");
  if (home) return join(home, ".cache", "matcalc");
  return join(Deno.makeTempDirSync({ prefix: "matcalc-" }), "cache");
}

if (import.meta.main) {
  console.log(writeKernelFolder(Deno.args[0] ?? Deno.cwd(), cacheDir()));
}
