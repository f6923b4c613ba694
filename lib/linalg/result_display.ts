/**
 * @internal The results of `eigh`, `svd`, `qr` and `slogdet` render in Jupyter as labelled
 * tensors (`eigenvalues = …`, `eigenvectors = …`; kernel/record_display.ts draws them) and as
 * their inspect text without the kernel. One place gives every result class the same
 * `Jupyter.display` method, so the classes themselves stay plain records.
 *
 * @module
 */
import { displayBundle } from "../display_hook.ts";
import { EighResult } from "./eigh.ts";
import { SlogdetResult } from "./slogdet.ts";
import { SvdResult } from "./svd.ts";
import { QrResult } from "./qr.ts";

const DISPLAY = Symbol.for("Jupyter.display");

for (const cls of [EighResult, SlogdetResult, SvdResult, QrResult]) {
  Object.defineProperty(cls.prototype, DISPLAY, {
    value(this: object): Record<string, string> {
      return displayBundle(this, Deno.inspect(this, { colors: false }));
    },
    // Not enumerable: the record's own fields stay exactly its tensors.
    enumerable: false,
    configurable: true,
    writable: true,
  });
}
