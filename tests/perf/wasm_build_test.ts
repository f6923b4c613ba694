import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { buildGemm } from "../../lib/backend/wasm/build.ts";

Deno.test("buildGemm()", async (t) => {
  const built = await buildGemm();
  const dir = new URL("../../lib/backend/wasm/", import.meta.url);

  await t.step("the committed gemm_wasm.ts is what gen_gemm.ts builds (reproducible)", async () => {
    assertStrictEquals(
      await Deno.readTextFile(new URL("gemm_wasm.ts", dir)),
      built.module,
      "gemm_wasm.ts is stale: run `deno task build:wasm`",
    );
  });

  await t.step("the two builds differ only in the memory import", () => {
    const plain = built.wat.split("\n"), shared = built.watShared.split("\n");
    const differ = plain.flatMap((line, i) => (line === shared[i] ? [] : [[line, shared[i]]]));
    assertStrictEquals(plain.length, shared.length);
    assertEquals(differ, [[
      '  (import "env" "memory" (memory 1 32768))',
      '  (import "env" "memory" (memory 1 32768 shared))',
    ]]);
  });
});

Deno.test("the runtime does not import the generator or wabt", async () => {
  const root = new URL("../../", import.meta.url);
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "lib/mod.ts"],
    cwd: root.pathname,
  }).output();
  const info = JSON.parse(new TextDecoder().decode(stdout));
  const specifiers: string[] = info.modules.map((m: { specifier: string }) => m.specifier);
  assert(specifiers.some((s) => s.endsWith("lib/backend/wasm/gemm_wasm.ts")));
  assertEquals(specifiers.filter((s) => /gen_gemm|build\.ts|wabt/.test(s)), []);
});
