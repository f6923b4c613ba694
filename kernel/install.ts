/**
 * Registers the Jupyter kernels matcalc's notebooks use, idempotently (`deno task kernel:install`,
 * the only command that touches the user-wide registration; it prints where it wrote):
 *
 * - `deno`: Deno's own kernel (`deno jupyter --install`). A notebook finds `deno.json` by walking
 *   up from its folder, so notebooks inside this repository import `"matcalc"` and
 *   `"matcalc/kernel"` with it.
 * - `matcalc` ("matcalc (Deno)"): Deno's kernel with this repository's import map, for a
 *   notebook anywhere on disk. `deno jupyter` reads deno.json only from its working folder up, so
 *   the kernelspec first writes a small deno.json for the notebook's folder (kernel/kernel_config.ts:
 *   matcalc's imports, and `./` mapped to the notebook's folder so its relative imports work) and
 *   starts the kernel there; `matcalc/kernel` then changes back to the notebook's folder.
 *
 * Honours `JUPYTER_DATA_DIR` (Deno's installer does not, so the kernelspec is then written
 * directly). The notebook runner never registers anything: it writes its own kernelspecs into a
 * private folder for each run ({@linkcode writeRunnerKernels}).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What {@linkcode ensureKernels} found or installed. */
export interface KernelInstall {
  /** Folder of the `deno` kernelspec. */
  deno: string;
  /** Folder of the `matcalc` kernelspec. */
  matcalc: string;
  /** Human-readable lines saying what was done. */
  log: string[];
}

/** The apt packages a notebook run needs; named in the error when Jupyter is missing. */
export const JUPYTER_PACKAGES =
  "apt-get install -y jupyter-nbconvert python3-nbclient jupyter-notebook jupyter-client";

/**
 * glibc's malloc asks Linux for transparent huge pages (2 MiB) on the memory it maps, as numpy
 * does for its large arrays: a fresh 128 MB tensor then costs 64 page faults instead of 32,768
 * (about 35 ms instead of 150 ms here). Set for the `matcalc` kernel and by deno.json's tasks;
 * it must be in the environment when Deno starts.
 */
export const MALLOC_TUNABLES = "glibc.malloc.hugetlb=1";

/** The repository root (the folder holding deno.json). */
export const REPO_ROOT: string = dirname(dirname(fileURLToPath(import.meta.url)));

interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
  interrupt_mode?: string;
  metadata?: Record<string, unknown>;
}

async function run(
  cmd: string,
  args: string[],
): Promise<{ ok: boolean; out: string; err: string }> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", stdin: "null" })
      .output();
    const dec = new TextDecoder();
    return { ok: r.success, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: false, out: "", err: "not found" };
    throw e;
  }
}

function missingJupyter(detail: string): Error {
  return new Error(
    `kernel:install: Jupyter is not installed (${detail}); install it with:\n  ${JUPYTER_PACKAGES}`,
  );
}

/** The user data dir Jupyter reads kernelspecs from: `JUPYTER_DATA_DIR` or `jupyter --data-dir`. */
export async function jupyterDataDir(): Promise<string> {
  const env = Deno.env.get("JUPYTER_DATA_DIR");
  if (env) return env;
  const r = await run("jupyter", ["--data-dir"]);
  if (!r.ok) throw missingJupyter("`jupyter --data-dir` failed: " + r.err.trim().split("\n")[0]);
  return r.out.trim();
}

/** Installed kernelspecs by name: `jupyter kernelspec list --json`, else a scan of data paths. */
export async function listKernels(): Promise<Record<string, { dir: string; spec: KernelSpec }>> {
  const out: Record<string, { dir: string; spec: KernelSpec }> = {};
  const r = await run("jupyter", ["kernelspec", "list", "--json"]);
  if (r.ok) {
    const parsed = JSON.parse(r.out).kernelspecs as Record<
      string,
      { resource_dir: string; spec: KernelSpec }
    >;
    for (const [name, k] of Object.entries(parsed)) {
      out[name] = { dir: k.resource_dir, spec: k.spec };
    }
    return out;
  }
  // jupyter-client's `kernelspec` subcommand is a separate Debian package; nbclient finds
  // kernels in the same data paths, so scanning them is equivalent.
  const paths = await run("jupyter", ["--paths", "--json"]);
  if (!paths.ok) throw missingJupyter("`jupyter --paths` failed");
  const dataDirs = [await jupyterDataDir(), ...(JSON.parse(paths.out).data as string[])];
  for (const d of dataDirs.reverse()) {
    try {
      for (const entry of Deno.readDirSync(join(d, "kernels"))) {
        const dir = join(d, "kernels", entry.name);
        try {
          out[entry.name.toLowerCase()] = {
            dir,
            spec: JSON.parse(Deno.readTextFileSync(join(dir, "kernel.json"))),
          };
        } catch { /* not a kernelspec */ }
      }
    } catch { /* no kernels folder */ }
  }
  return out;
}

function writeSpec(dir: string, spec: KernelSpec): boolean {
  const text = JSON.stringify(spec, null, 2) + "\n";
  const file = join(dir, "kernel.json");
  try {
    if (Deno.readTextFileSync(file) === text) return false;
  } catch { /* absent */ }
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(file, text);
  return true;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The `matcalc` kernelspec: Deno's kernel with `root`'s import map, in the notebook's folder. */
export function matcalcKernelSpec(root = REPO_ROOT, deno = Deno.execPath()): KernelSpec {
  return {
    argv: [
      "/bin/sh",
      "-c",
      'MATCALC_NOTEBOOK_DIR="$PWD"; export MATCALC_NOTEBOOK_DIR; ' +
      'dir=$("$1" run --quiet --no-config -A "$0/kernel/kernel_config.ts" "$PWD") && ' +
      'cd "$dir" && exec "$1" jupyter --kernel --conn "$2"',
      root,
      deno,
      "{connection_file}",
    ],
    display_name: "matcalc (Deno)",
    language: "typescript",
    env: { GLIBC_TUNABLES: MALLOC_TUNABLES },
    interrupt_mode: "signal",
    metadata: {},
  };
}

/** Deno's own kernelspec, as `deno jupyter --install` writes it. */
export function denoKernelSpec(deno = Deno.execPath()): KernelSpec {
  return {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    env: {},
    interrupt_mode: "signal",
    metadata: {},
  };
}

/**
 * Writes the `deno` and `matcalc` kernelspecs for this repository and Deno binary into
 * `dataDir/kernels/`, for the notebook runner: it puts `dataDir` first on `JUPYTER_PATH`, so a run
 * uses this clone whatever is registered user-wide, and changes nothing there.
 */
export function writeRunnerKernels(dataDir: string): void {
  writeSpec(join(dataDir, "kernels", "deno"), {
    ...denoKernelSpec(),
    env: { GLIBC_TUNABLES: MALLOC_TUNABLES },
  });
  writeSpec(join(dataDir, "kernels", "matcalc"), matcalcKernelSpec());
}

/**
 * Makes sure the `deno` and `matcalc` kernelspecs are installed and point at this Deno binary
 * and repository; does nothing when they already do.
 */
export async function ensureKernels(): Promise<KernelInstall> {
  const log: string[] = [];
  const dataDir = await jupyterDataDir();
  const kernels = await listKernels();
  const deno = Deno.execPath();
  let denoDir = kernels.deno?.dir;
  const denoOk = denoDir !== undefined && exists(kernels.deno.spec.argv[0]) &&
    // Deno's installer ignores JUPYTER_DATA_DIR; a spec elsewhere is fine as long as Jupyter sees it.
    kernels.deno.spec.argv.includes("--kernel");
  if (denoOk) log.push(`deno kernel: already installed in ${denoDir}`);
  else {
    const custom = Deno.env.get("JUPYTER_DATA_DIR") !== undefined;
    const r = custom
      ? { ok: false, err: "" }
      : await run(deno, ["jupyter", "--install", "--force"]);
    const again = r.ok ? (await listKernels()).deno : undefined;
    if (again) {
      denoDir = again.dir;
      log.push(`deno kernel: installed with \`deno jupyter --install\` in ${denoDir}`);
    } else {
      denoDir = join(dataDir, "kernels", "deno");
      writeSpec(denoDir, denoKernelSpec(deno));
      log.push(`deno kernel: wrote ${join(denoDir, "kernel.json")}`);
    }
  }
  const matcalcDir = join(dataDir, "kernels", "matcalc");
  const changed = writeSpec(matcalcDir, matcalcKernelSpec());
  log.push(
    changed
      ? `matcalc kernel: wrote ${join(matcalcDir, "kernel.json")} (runs in ${REPO_ROOT})`
      : `matcalc kernel: already installed in ${matcalcDir} (runs with ${REPO_ROOT})`,
  );
  return { deno: denoDir!, matcalc: matcalcDir, log };
}

if (import.meta.main) {
  try {
    const r = await ensureKernels();
    for (const line of r.log) console.log(line);
    console.log(
      'Use kernel "matcalc (Deno)" for notebooks outside this repository; inside it, "Deno" works.',
    );
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
