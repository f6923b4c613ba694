import { allocate, fmtBytes } from "../alloc.ts";
import { rand } from "../random.ts";
import {
  checkOptions,
  describeValue,
  fmtShape,
  fmtValue,
  ShapeError,
  ValueError,
} from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";

/** Options for {@linkcode minibatches}. */
export interface MinibatchOptions {
  /** Integer seed for the shuffle: the same seed gives the same batches (default 0). */
  seed?: number;
  /** How many passes over the data (default 1); each epoch is shuffled afresh. */
  epochs?: number;
  /** Drop each epoch's last batch when it is smaller than `batchSize` (default `false`). */
  dropLast?: boolean;
  /** Shuffle (default `true`); `false` gives `0, 1, …` in order, for evaluation. */
  shuffle?: boolean;
}

/**
 * The generator seed of epoch `e` of a run seeded `seed`: mixed (murmur3's finalizer), so that
 * runs with neighbouring seeds do not replay each other's epochs shifted by one, as `seed + e`
 * did.
 */
function epochSeed(seed: number, e: number): number {
  let h = (seed ^ Math.imul(e + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The row indices of each minibatch for `n` examples: `epochs` passes, each a seeded shuffle cut
 * into batches of `batchSize`. Index with the step: `batches[step % batches.length]`, and gather
 * the rows with {@linkcode takeRows}.
 *
 * @example Two epochs of 5 examples in batches of 2
 * ```ts
 * import { minibatches } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const b = minibatches(5, 2, { seed: 1, epochs: 2 });
 * assertEquals(b.map((idx) => idx.length), [2, 2, 1, 2, 2, 1]);
 * assertEquals(b.slice(0, 3).flat().sort(), [0, 1, 2, 3, 4]); // each epoch sees every row once
 * assertEquals(minibatches(5, 2, { seed: 1, epochs: 2 }), b); // seeded
 * assertEquals(minibatches(5, 2, { shuffle: false }), [[0, 1], [2, 3], [4]]);
 * ```
 */
export function minibatches(n: number, batchSize: number, opts: MinibatchOptions = {}): number[][] {
  const op = "minibatches";
  checkOptions(op, opts, ["seed", "epochs", "dropLast", "shuffle"], ["dropLast", "shuffle"]);
  const seed = opts.seed ?? 0, epochs = opts.epochs ?? 1;
  for (const [name, v, min] of [["n", n, 0], ["batchSize", batchSize, 1], ["epochs", epochs, 0]]) {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || (v as number) < (min as number)) {
      throw new ValueError(
        `${op}: ${name} must be ${min === 0 ? "a non-negative" : "a positive"} integer, got ` +
          `${describeValue(v)}`,
      );
    }
  }
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new ValueError(`${op}: seed must be an integer in [0, 2³²), got ${describeValue(seed)}`);
  }
  // Every index is a JavaScript number in an array: past V8's array limit, Array.from would
  // throw a bare RangeError from inside the loop.
  if (n * epochs > MAX_INDICES) {
    throw new ValueError(
      `${op}: ${n} rows × ${epochs} epoch${epochs === 1 ? "" : "s"} would be ${n * epochs} ` +
        `row indices (${fmtBytes(n * epochs * 8)} at least), more than matcalc builds at once ` +
        `(${MAX_INDICES}); call minibatches once per epoch, or draw the batches of such a ` +
        `large data set from a generator of your own`,
    );
  }
  const out: number[][] = [];
  for (let e = 0; e < epochs; e++) {
    let order = Array.from({ length: n }, (_, i) => i);
    if (opts.shuffle !== false) {
      // Sorting by uniform keys is an unbiased shuffle and reuses matcalc's seeded generator.
      const keys = raw(rand([n], { seed: epochSeed(seed, e) }));
      order = order.sort((a, b) => keys[a] - keys[b] || a - b);
    }
    for (let i = 0; i < n; i += batchSize) {
      const idx = order.slice(i, i + batchSize);
      if (opts.dropLast && idx.length < batchSize) break;
      out.push(idx);
    }
  }
  return out;
}

/** V8's largest array (FixedArray::kMaxLength): one epoch's order must fit in one. */
const MAX_INDICES = 2 ** 27 - 3;

/**
 * The rows `indices` of `x` (along axis 0), as a new tensor: how a minibatch of data is taken.
 * `indices` is an array of row numbers in `[0, rows)` (no negative indices, unlike `numpy.take`)
 * or a 1-D tensor of them. It copies numbers, so it is for data, not for parameters being
 * differentiated.
 *
 * @example
 * ```ts
 * import { takeRows, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const X = tensor([[1, 2], [3, 4], [5, 6]]);
 * assertEquals(takeRows(X, [2, 0]).toArray(), [[5, 6], [1, 2]]);
 * ```
 */
export function takeRows(x: Tensor, indices: readonly number[] | Tensor): Tensor {
  const op = "takeRows";
  if (!(x instanceof Tensor)) {
    throw new ValueError(`${op}: x must be a Tensor, got ${describeValue(x)}`);
  }
  if (x.rank < 1) {
    throw new ShapeError(`${op}: cannot take rows of a scalar (shape ${fmtShape(x.shape)})`);
  }
  if (x._node !== undefined) {
    throw new ValueError(
      `${op}: x is being differentiated, but takeRows copies numbers and would drop its ` +
        `derivative; use it on data (inputs, labels), outside the differentiated function`,
    );
  }
  // A tensor of indices (e.g. argmax output) reads as its numbers, as NumPy's x[idx] would.
  if (indices instanceof Tensor && indices.rank === 1) indices = Array.from(raw(indices));
  else if (ArrayBuffer.isView(indices) && !(indices instanceof DataView)) {
    indices = Array.from(indices as unknown as ArrayLike<number>);
  }
  if (!Array.isArray(indices)) {
    throw new ValueError(
      `${op}: indices must be an array of row numbers (or a 1-D tensor of them), got ` +
        `${describeValue(indices)}`,
    );
  }
  const rows = x.shape[0], width = x.size / Math.max(rows, 1);
  const src = raw(x);
  const out = allocate(op, [indices.length, ...x.shape.slice(1)]);
  indices.forEach((i, k) => {
    if (!Number.isInteger(i)) {
      throw new ValueError(
        `${op}: index ${fmtValue(i)} (position ${k}) is not an integer row number`,
      );
    }
    if (i < 0 || i >= rows) {
      throw new ShapeError(
        `${op}: index ${fmtValue(i)} (position ${k}) is out of bounds for ${rows} rows ` +
          `(tensor of shape ${fmtShape(x.shape)})`,
      );
    }
    out.set(src.subarray(i * width, (i + 1) * width), k * width);
  });
  return new Tensor(out, [indices.length, ...x.shape.slice(1)]);
}
