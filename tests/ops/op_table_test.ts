/**
 * Every row of the op table (tests/ops/op_table.ts) against central differences with the
 * library's own checker: reverse and forward mode, and second derivatives (rev-over-rev,
 * fwd-over-rev) unless the row says `order: 1`. fast-check shrinks a failure to the smallest
 * shape that still fails. 50 cases per row by default: MATCALC_PROPERTY_RUNS=1000 for a deeper
 * run, MATCALC_OP=name for one op's rows.
 */
import { assertMatch, assertThrows } from "@std/assert";
import { mul, square, stopGradient, sub, sum, type Tensor } from "matcalc";
import { checkRow, elementwise, OPS } from "./op_table.ts";

const RUNS = Number(Deno.env.get("MATCALC_PROPERTY_RUNS") ?? 50);
const only = Deno.env.get("MATCALC_OP");

Deno.test("op table: VJP, JVP and second derivatives vs finite differences", async (t) => {
  for (const row of OPS) {
    if (only !== undefined && row.op !== only) continue;
    const name = `${row.op}${row.label ? ` (${row.label})` : ""}, order ${row.order ?? 2}`;
    await t.step(name, () => checkRow(row, RUNS));
  }
});

Deno.test("op table: a row with a right gradient but a wrong Hessian fails", () => {
  // Σx²/2 elementwise with its slope frozen: first derivative x (right), second 0 (should be 1).
  const frozen = (x: Tensor) => sub(mul(x, stopGradient(x)), mul(0.5, square(stopGradient(x))));
  checkRow({ ...elementwise("frozen", frozen), order: 1 }, 20);
  const e = assertThrows(() => checkRow(elementwise("frozen", (x) => sum(frozen(x))), 20));
  // fast-check's error carries the GradCheckError of the shrunk case as its cause.
  assertMatch(
    String((e as Error).cause),
    /over-rev entry \[\] of the second derivative .* analytic 0, numeric 1\b/,
  );
});
