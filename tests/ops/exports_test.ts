/**
 * Nothing exported goes untested by accident: every function exported by lib/mod.ts is either a
 * row of the op table (derivatives checked to order 2) or listed, with a reason, as not
 * differentiable. A new export fails here until it is placed in one of the two.
 */
import { assertEquals } from "@std/assert";
import * as mc from "matcalc";
import { NOT_DIFFERENTIABLE, OPS } from "./op_table.ts";

const isClass = (v: unknown) =>
  typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v));

Deno.test("every exported function is in the op table or on the non-differentiable list", () => {
  const inTable = new Set(OPS.map((r) => r.op));
  const functions = Object.entries(mc)
    .filter(([, v]) => typeof v === "function" && !isClass(v))
    .map(([name]) => name);
  const missing = functions.filter((n) => !inTable.has(n) && !(n in NOT_DIFFERENTIABLE));
  assertEquals(
    missing,
    [],
    `add a row to tests/ops/op_table.ts for each differentiable op, or list it in ` +
      `NOT_DIFFERENTIABLE there with the reason`,
  );
});

Deno.test("the table and the list name only exports, and no name is in both", () => {
  const exported = new Set(Object.keys(mc));
  const stale = [...OPS.map((r) => r.op), ...Object.keys(NOT_DIFFERENTIABLE)]
    .filter((n) => !exported.has(n));
  assertEquals(stale, []);
  assertEquals(OPS.map((r) => r.op).filter((n) => n in NOT_DIFFERENTIABLE), []);
});
