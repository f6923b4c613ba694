/**
 * @internal How the records returned by `eigh`, `svd`, `qr` and `slogdet` print in the REPL and
 * `console.log`: the class name, then one field per line with a multi-line tensor's rows aligned
 * under its first row (Deno's default inspect indents them from the margin instead).
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";

/** The text of a result record printed `indent` columns in, e.g. `EighResult {\n  eigenvalues: Tensor(…),\n  … }`. */
export function inspectRecord(
  indent: number,
  name: string,
  fields: Record<string, Tensor>,
): string {
  const margin = " ".repeat(indent);
  const lines = Object.entries(fields).map(([key, t]) => {
    const pad = margin + " ".repeat(key.length + 4);
    return `${margin}  ${key}: ${t.toString().replace(/\n(?=.)/g, "\n" + pad)}`;
  });
  return `${name} {\n${lines.join(",\n")}\n${margin}}`;
}
