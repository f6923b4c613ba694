/**
 * The error thrown when tensors have the wrong shape, rank or layout for an op.
 *
 * Its message starts with the op's name and names the shapes at fault, usually with what would
 * fix it, e.g. `matmul: cannot multiply [2, 3] by [4, 5]: …`.
 *
 * @example Catching a shape mismatch
 * ```ts
 * import { matmul, ShapeError, zeros } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => matmul(zeros([2, 3]), zeros([4, 5])), ShapeError);
 * ```
 */
export class ShapeError extends Error {
  /** Creates a shape error; `message` should start with the op's name. */
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

/**
 * The error thrown for bad values that are not shapes: a non-finite count, a learning rate ≤ 0,
 * a function that escaped the tracer, a tensor over the memory budget.
 *
 * @example
 * ```ts
 * import { ValueError, linspace } from "matcalc";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => linspace(0, 1, NaN), ValueError);
 * ```
 */
export class ValueError extends Error {
  /** Creates a value error; `message` should start with the op's name. */
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

/** Formats a shape the way messages print it: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  // A shape from user code may hold a Symbol or a BigInt, which `join` cannot print.
  return `[${shape.map(fmtValue).join(", ")}]`;
}

/**
 * @internal A value from user code as a message prints it: numbers bare (`2.5`), `2n`,
 * `Symbol(s)`, strings quoted, anything else described. Safe for any value, unlike a template
 * literal (which throws on a Symbol) or `JSON.stringify` (which throws on a BigInt).
 */
export function fmtValue(d: unknown): string {
  if (typeof d === "number") return String(d);
  if (typeof d === "bigint") return `${d}n`;
  if (typeof d === "symbol") return d.toString();
  return typeof d === "string" ? JSON.stringify(d) : describeValue(d);
}

/** @internal `JSON.stringify` for messages: BigInts print as `2n`, Symbols as `Symbol(s)`. */
export function fmtJson(v: unknown): string {
  if (v === null || typeof v !== "object") return fmtValue(v);
  return JSON.stringify(
    v,
    (_k, x) => typeof x === "bigint" ? `${x}n` : typeof x === "symbol" ? x.toString() : x,
  ) ?? String(v);
}

/**
 * @internal How a message names a value of the wrong kind: `string "1"`, `an array of length 2`,
 * `a Tensor of shape [2]`, `null`.
 */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") {
    const name = v.constructor?.name ?? "Object";
    const shape = (v as { shape?: unknown }).shape;
    return name === "Tensor" && Array.isArray(shape)
      ? `a Tensor of shape ${fmtShape(shape)}`
      : `an object (${name})`;
  }
  if (typeof v === "bigint") return `bigint ${v}n`;
  // String() prints a Symbol; a template literal would throw a TypeError of its own.
  return `${typeof v} ${String(v)}`;
}

/**
 * @internal Checks an options argument: absent, or a plain object whose keys are all known.
 * Positional mistakes (`vec(A, "C")`, `sum(A, 0, true)`) and typos (`{ ordr: "C" }`) would
 * otherwise be ignored, and the call would quietly do something else. Options named in
 * `flags` must be `true` or `false` when given: a truthy `"no"` or `Symbol()` would otherwise
 * count as `true`.
 */
export function checkOptions<T extends object>(
  op: string,
  opts: T | undefined,
  known: readonly string[],
  flags: readonly string[] = [],
): T {
  if (opts === undefined) return {} as T;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new ValueError(
      `${op}: options must be an object such as { ${known[0]}: … }, got ${describeValue(opts)}`,
    );
  }
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) {
      throw new ValueError(
        `${op}: unknown option "${key}"; the options are ${known.join(", ")}`,
      );
    }
  }
  for (const key of flags) {
    const v = (opts as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== "boolean") {
      throw new ValueError(`${op}: ${key} must be true or false, got ${describeValue(v)}`);
    }
  }
  return opts;
}
