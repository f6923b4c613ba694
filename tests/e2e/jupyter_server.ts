/**
 * A throwaway Jupyter Notebook server for the end-to-end test: 127.0.0.1, a free port, a random
 * token, and its own data/runtime/config dirs (so the Deno kernel it sees is the one this test
 * installed, and nothing the user has configured leaks in). Always stopped by {@linkcode stop},
 * which also kills kernels the server started, since they live in process groups of their own.
 *
 * @module
 */

import { join } from "node:path";

/** A running server. */
export interface JupyterServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  base: string;
  token: string;
  /** The folder the server serves notebooks from. */
  root: string;
  /** Where the server's stdout and stderr go. */
  logPath: string;
  pid: number;
  /** The temporary dir holding data/, runtime/ and config/. */
  home: string;
  env: Record<string, string>;
}

/** A port that was free a moment ago (the server is told to take exactly it, no retries). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The environment the server and the kernel installer run with. */
export function jupyterEnv(home: string): Record<string, string> {
  return {
    JUPYTER_DATA_DIR: join(home, "data"),
    JUPYTER_RUNTIME_DIR: join(home, "runtime"),
    JUPYTER_CONFIG_DIR: join(home, "config"),
    // No user-level kernels or nbextensions from ~/.local.
    JUPYTER_PLATFORM_DIRS: "0",
    PYTHONUNBUFFERED: "1",
  };
}

/**
 * Makes sure every kernelspec `names` exists in `home`'s data dir: first via the project's
 * `deno task kernel:install` (honours JUPYTER_DATA_DIR), else by writing Deno's own kernelspec.
 */
export async function installKernels(
  repo: string,
  home: string,
  names: string[],
): Promise<string[]> {
  const env = jupyterEnv(home);
  const kernels = join(env.JUPYTER_DATA_DIR, "kernels");
  const notes: string[] = [];
  const hasInstaller = await exists(join(repo, "kernel", "install.ts"));
  if (hasInstaller) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "kernel:install"],
      cwd: repo,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    if (!out.success) throw new Error(`deno task kernel:install failed:\n${text}`);
    notes.push("kernel installed with deno task kernel:install");
  }
  for (const name of names) {
    const spec = join(kernels, name, "kernel.json");
    if (await exists(spec)) continue;
    if (name !== "deno") {
      throw new Error(
        `kernelspec "${name}" (named in a notebook) was not installed into ${kernels} by ` +
          `${hasInstaller ? "deno task kernel:install" : "this test"}`,
      );
    }
    await Deno.mkdir(join(kernels, name), { recursive: true });
    await Deno.writeTextFile(
      spec,
      JSON.stringify({
        argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
        display_name: "Deno",
        language: "typescript",
      }),
    );
    notes.push(`kernelspec "${name}" written by the test`);
  }
  return notes;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Starts `jupyter notebook` (classic, Notebook 6) serving `root`, and waits until it answers. */
export async function startServer(
  root: string,
  home: string,
  logPath: string,
  timeoutMs = 60_000,
): Promise<JupyterServer> {
  const port = freePort();
  const token = randomToken();
  const env = jupyterEnv(home);
  for (const dir of Object.values(env).filter((v) => v.startsWith(home))) {
    await Deno.mkdir(dir, { recursive: true });
  }
  const args = [
    "notebook",
    "--no-browser",
    "--allow-root",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--notebook-dir=${root}`,
    `--NotebookApp.token=${token}`,
    "--NotebookApp.password=",
  ];
  // setsid: the server gets a process group of its own, so stop() can signal all of it.
  const quoted = ["setsid", "jupyter", ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`);
  const child = new Deno.Command("bash", {
    args: ["-c", `exec ${quoted.join(" ")} >'${logPath}' 2>&1 </dev/null`],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const server: JupyterServer = {
    base: `http://127.0.0.1:${port}`,
    token,
    root,
    logPath,
    pid: child.pid,
    home,
    env,
  };
  child.status.then(() => {}); // reaped in stop(); keeps Deno from reporting a leak
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${server.base}/api/status?token=${token}`);
      await res.body?.cancel();
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopServer(server);
  throw new Error(
    `jupyter notebook did not answer on ${server.base} within ${timeoutMs} ms; log: ${logPath}\n` +
      (await Deno.readTextFile(logPath).catch(() => "")).slice(-2000),
  );
}

/** Lists the server's kernels, e.g. to shut them down one by one. */
async function kernelIds(server: JupyterServer): Promise<string[]> {
  try {
    const res = await fetch(`${server.base}/api/kernels?token=${server.token}`);
    if (!res.ok) return [];
    return (await res.json() as { id: string }[]).map((k) => k.id);
  } catch {
    return [];
  }
}

/** Pids of processes whose command line mentions `needle` (our unique runtime dir). */
async function pidsMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmd = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (cmd.includes(needle)) pids.push(Number(entry.name));
    } catch {
      // gone already
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * Shuts down kernels (REST), then the server's whole process group (TERM, then KILL), then any
 * kernel process still holding a connection file from our runtime dir. Never throws.
 */
export async function stopServer(server: JupyterServer): Promise<void> {
  for (const id of await kernelIds(server)) {
    try {
      const res = await fetch(`${server.base}/api/kernels/${id}?token=${server.token}`, {
        method: "DELETE",
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
    } catch {
      // the group kill below still ends it
    }
  }
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    try {
      Deno.kill(-server.pid, signal);
    } catch {
      break; // group already gone
    }
    for (let i = 0; i < 40 && alive(server.pid); i++) {
      await new Promise((r) => setTimeout(r, 125));
    }
    if (!alive(server.pid)) break;
  }
  for (const pid of await pidsMentioning(server.env.JUPYTER_RUNTIME_DIR)) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
