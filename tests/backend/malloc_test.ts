// matcalc raises glibc's malloc thresholds on first use (lib/backend/native/malloc.ts), so a
// 1 MB result comes from the heap instead of a mapping of its own; MATCALC_MALLOC=default and a
// threshold in GLIBC_TUNABLES leave glibc's defaults (128 kB and up mapped one by one).
import { assertEquals } from "@std/assert";
import { mallocDecision } from "../../lib/backend/native/malloc.ts";

const glibc = Deno.build.os === "linux" && (() => {
  try {
    Deno.dlopen("libc.so.6", {}).close();
    return true;
  } catch {
    return false;
  }
})();

async function probe(env: Record<string, string>): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./malloc_probe.ts", import.meta.url).pathname],
    env: { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ?? "" },
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, err);
  const [before, after] = JSON.parse(new TextDecoder().decode(out.stdout));
  return after - before;
}

Deno.test(
  { name: "a 1 MB result comes from malloc's heap once matcalc is used", ignore: !glibc },
  async () => {
    assertEquals(await probe({}), 0);
    assertEquals(await probe({ MATCALC_MALLOC: "default" }), 1);
    assertEquals(await probe({ GLIBC_TUNABLES: "glibc.malloc.trim_threshold=131072" }), 1);
  },
);

Deno.test("mallocDecision: glibc only, and the user's settings win", () => {
  assertEquals(mallocDecision("linux", { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" }), null);
  assertEquals(mallocDecision("windows", {}), "not Linux (glibc's malloc only)");
  assertEquals(
    mallocDecision("linux", { GLIBC_TUNABLES: "glibc.malloc.mmap_max=0" }),
    "GLIBC_TUNABLES sets malloc's thresholds",
  );
});
