import { assertEquals, assertMatch, assertStrictEquals } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { matcalcKernelSpec } from "../../kernel/install.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function install(env: Record<string, string>) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "kernel", "install.ts")],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

Deno.test("install.ts", async (t) => {
  await t.step("installs both kernelspecs into JUPYTER_DATA_DIR, idempotently", async () => {
    const dir = Deno.makeTempDirSync({ prefix: "matcalc-jd-" });
    try {
      const first = await install({ JUPYTER_DATA_DIR: dir });
      assertStrictEquals(first.code, 0, first.err);
      assertMatch(first.out, /matcalc kernel: wrote .*kernels\/matcalc\/kernel\.json/);
      const spec = JSON.parse(
        Deno.readTextFileSync(join(dir, "kernels", "matcalc", "kernel.json")),
      );
      assertEquals(spec, JSON.parse(JSON.stringify(matcalcKernelSpec())));
      assertEquals(spec.display_name, "matcalc (Deno)");
      assertStrictEquals(spec.argv[3], Deno.realPathSync(ROOT));
      assertEquals(spec.argv[5], "{connection_file}");
      const second = await install({ JUPYTER_DATA_DIR: dir });
      assertMatch(second.out, /deno kernel: already installed/);
      assertMatch(second.out, /matcalc kernel: already installed/);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
  await t.step("says what to install when Jupyter is missing", async () => {
    const r = await install({ PATH: "/nonexistent" });
    assertEquals(r.code, 1);
    assertStrictEquals(
      r.err.trim(),
      "kernel:install: Jupyter is not installed (`jupyter --data-dir` failed: not found); " +
        "install it with:\n  apt-get install -y jupyter-nbconvert python3-nbclient " +
        "jupyter-notebook jupyter-client",
    );
  });
});
