/**
 * @internal The functions the symbolic grammar knows: their arity and whether they act
 * elementwise. Parser errors list these names; the evaluator's table (`evaluate.ts`) gives each
 * its matcalc op.
 *
 * @module
 */
import type { FnName } from "./expr.ts";

/** Arity and a one-line meaning of each function, in the order error messages list them. */
export const FUNCTIONS: Readonly<Record<FnName, { arity: number; elementwise: boolean }>> = {
  tr: { arity: 1, elementwise: false },
  det: { arity: 1, elementwise: false },
  logdet: { arity: 1, elementwise: false },
  inv: { arity: 1, elementwise: false },
  log: { arity: 1, elementwise: true },
  exp: { arity: 1, elementwise: true },
  sin: { arity: 1, elementwise: true },
  cos: { arity: 1, elementwise: true },
  tanh: { arity: 1, elementwise: true },
  sqrt: { arity: 1, elementwise: true },
  abs: { arity: 1, elementwise: true },
  sign: { arity: 1, elementwise: true },
  sum: { arity: 1, elementwise: false },
  norm1: { arity: 1, elementwise: false },
  norm2: { arity: 1, elementwise: false },
  diag: { arity: 1, elementwise: false },
  vec: { arity: 1, elementwise: false },
  kron: { arity: 2, elementwise: false },
};

/** The supported names, for messages: functions, then the constants `eye`, `vector(1)`, `matrix(1)`. */
export function supportedNames(): string {
  return Object.keys(FUNCTIONS).join(", ") + "; constants eye, vector(1), matrix(1)";
}

/** Whether `name` is a function of the grammar. */
export function isFunction(name: string): name is FnName {
  return Object.hasOwn(FUNCTIONS, name);
}
