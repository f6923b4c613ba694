import { describeValue, fmtShape, ShapeError, ValueError } from "../errors.ts";

/**
 * @internal Normalizes `axis` (a number, an array, or undefined for all axes) against a rank:
 * negative axes count from the end; duplicates and out-of-range axes throw.
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  shape: readonly number[],
): number[] {
  const rank = shape.length;
  if (axis === undefined) return [...Array(rank).keys()];
  // From plain JavaScript (the REPL, notebooks) anything can arrive: say what it was.
  if (typeof axis !== "number" && !Array.isArray(axis)) {
    throw new ValueError(
      `${op}: axis must be an integer or an array of integers, got ${describeValue(axis)}`,
    );
  }
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out: number[] = [];
  for (const a of list) {
    if (typeof a !== "number") {
      throw new ValueError(
        `${op}: axis must be an integer or an array of integers, got ${describeValue(a)}` +
          (list.length > 1 || typeof axis !== "number"
            ? ` in [${list.map(String).join(", ")}]`
            : ""),
      );
    }
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ShapeError(
        `${op}: axis ${a} is out of bounds for a tensor of shape ${fmtShape(shape)} ` +
          `(rank ${rank}); ` +
          // A scalar has no axis to name: "[0, -1]" would be an empty range.
          (rank === 0
            ? `a scalar has no axes: omit axis (or pass [])`
            : `use an integer in [${-rank}, ${rank - 1}]`),
      );
    }
    const n = a < 0 ? a + rank : a;
    if (out.includes(n)) {
      throw new ShapeError(`${op}: axis ${a} is repeated in [${list.join(", ")}]`);
    }
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}
