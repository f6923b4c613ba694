import assert from "@matcalc/assert";
import { buildGemm } from "../../lib/backend/wasm/build.ts";

Deno.test("buildGemm()", async (t) => {
  const built = await buildGemm();
  const dir = new URL("../../lib/backend/wasm/", import.meta.url);
  const stale = "is stale: run `deno task build:wasm`";

  await t.step("committed gemm.wat and gemm_shared.wat match gen_gemm.ts", async () => {
    assert.equal(await Deno.readTextFile(new URL("gemm.wat", dir)), built.wat, `gemm.wat ${stale}`);
    assert.equal(
      await Deno.readTextFile(new URL("gemm_shared.wat", dir)),
      built.watShared,
      `gemm_shared.wat ${stale}`,
    );
  });

  await t.step("committed gemm_wasm.ts is the assembled .wat files", async () => {
    assert.equal(
      await Deno.readTextFile(new URL("gemm_wasm.ts", dir)),
      built.module,
      `gemm_wasm.ts ${stale}`,
    );
  });
});
