import { checkOptions, describeValue, ValueError } from "./errors.ts";
import { checkedAllocate, Tensor } from "./tensor.ts";

/** Options for {@linkcode rand} and {@linkcode randn}. */
export interface RandomOptions {
  /**
   * An integer seed in `[0, 2³²)`. The same seed always gives the same numbers, on every platform, so
   * notebooks and tests are reproducible. Without one, a seed is drawn from `Math.random`.
   */
  seed?: number;
}

/**
 * The generator behind `rand`/`randn`: mulberry32, a 32-bit generator with period 2³² that
 * passes gjrand and PractRand up to 32 GB. Chosen because it is tiny, fast, and bit-exact in any
 * JavaScript engine; it is not cryptographic.
 */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // 32 random bits scaled into [0, 1).
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(op: string, opts: RandomOptions): () => number {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
  // The generator keeps 32 bits: seed 2³² would silently repeat seed 0, and -1 seed 2³² − 1.
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new ValueError(
      `${op}: seed must be an integer in [0, 2³²), got ${describeValue(seed)}`,
    );
  }
  return mulberry32(seed);
}

/**
 * Uniform samples in `[0, 1)`.
 *
 * @example Same seed, same numbers
 * ```ts
 * import { rand } from "matcalc";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const a = rand([2, 3], { seed: 42 });
 * assertEquals(a.toArray(), rand([2, 3], { seed: 42 }).toArray());
 * assert(a.data.every((v) => v >= 0 && v < 1));
 * ```
 */
export function rand(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  const next = generator("rand", checkOptions("rand", opts, ["seed"]));
  const data = checkedAllocate("rand", shape);
  for (let i = 0; i < data.length; i++) data[i] = next();
  return new Tensor(data, shape);
}

/**
 * Standard normal samples (mean 0, variance 1), by the Box–Muller transform.
 *
 * @example
 * ```ts
 * import { mean, randn } from "matcalc";
 * import { assert } from "@std/assert";
 *
 * const z = randn([10000], { seed: 1 });
 * assert(Math.abs(mean(z).item()) < 0.05);
 * ```
 */
export function randn(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  const next = generator("randn", checkOptions("randn", opts, ["seed"]));
  const data = checkedAllocate("randn", shape);
  for (let i = 0; i < data.length; i += 2) {
    // 1 - u keeps the argument of log in (0, 1], so no -Infinity.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    data[i] = r * Math.cos(theta);
    if (i + 1 < data.length) data[i + 1] = r * Math.sin(theta);
  }
  return new Tensor(data, shape);
}
