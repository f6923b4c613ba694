import { checkResultSize } from "../alloc.ts";
import { fmtJson, fmtShape, fmtValue, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { matmul, matmulT } from "./matmul.ts";
import { asTensor, type Operand } from "./operand.ts";
import { reshape } from "./reshape.ts";
import { transpose } from "./transpose.ts";

/** Which axes {@linkcode tensordot} contracts: a count `N`, or the paired axis lists. */
export type TensordotAxes =
  | number
  | readonly [number | readonly number[], number | readonly number[]];

/**
 * Sums products over the given axes of `a` and `b`, like `numpy.tensordot`.
 *
 * `axes = N` contracts the last `N` axes of `a` with the first `N` of `b` (`0` is the outer
 * product, `1` the matrix product, `2` — the default — the Frobenius inner product of matrices).
 * `axes = [[i, …], [j, …]]` contracts axis `i` of `a` with axis `j` of `b`, pair by pair. The
 * result's axes are `a`'s free axes followed by `b`'s. It is built from transpose, reshape and
 * matmul, so it needs no derivative rules of its own.
 *
 * @example Matrix product, outer product and a pairwise contraction
 * ```ts
 * import { arange, reshape, tensor, tensordot } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * assertEquals(tensordot(A, A, 1).toArray(), [[7, 10], [15, 22]]);
 * assertEquals(tensordot(A, A).item(), 30); // Σ A∘A
 * assertEquals(tensordot(tensor([1, 2]), tensor([3, 4]), 0).toArray(), [[3, 4], [6, 8]]);
 * const T = reshape(arange(24), [2, 3, 4]);
 * assertEquals(tensordot(T, reshape(arange(6), [3, 2]), [[1, 0], [0, 1]]).shape, [4]);
 * ```
 */
export function tensordot(a: Operand, b: Operand, axes: TensordotAxes = 2): Tensor {
  const A = asTensor("tensordot", a), B = asTensor("tensordot", b);
  const [ax, bx] = contractedAxes(A.shape, B.shape, axes);
  for (let k = 0; k < ax.length; k++) {
    if (A.shape[ax[k]] !== B.shape[bx[k]]) {
      throw new ShapeError(
        `tensordot: cannot contract ${fmtShape(A.shape)} with ${fmtShape(B.shape)} over axes ` +
          `[${ax.join(", ")}] and [${bx.join(", ")}]: axis ${ax[k]} of a has size ` +
          `${A.shape[ax[k]]} but axis ${bx[k]} of b has size ${B.shape[bx[k]]}; paired axes ` +
          `must have equal sizes`,
      );
    }
  }
  const freeA = [...A.shape.keys()].filter((k) => !ax.includes(k));
  const freeB = [...B.shape.keys()].filter((k) => !bx.includes(k));
  checkResultSize("tensordot", [
    ...freeA.map((k) => A.shape[k]),
    ...freeB.map((k) => B.shape[k]),
  ]);
  const m = freeA.reduce((p, k) => p * A.shape[k], 1);
  const n = freeB.reduce((p, k) => p * B.shape[k], 1);
  const kk = ax.reduce((p, k) => p * A.shape[k], 1);
  // Bring the contracted axes together so the contraction is one matrix product [m, k]·[k, n].
  // An operand whose contracted axes already lead (a) or trail (b) goes in as stored, with the
  // backend's transpose flag (tensordot(A, B, [[0], [0]]) is Aᵀ B without a copy of A).
  const ta = isIdentity([...ax, ...freeA]) && !isIdentity([...freeA, ...ax]);
  const tb = isIdentity([...freeB, ...bx]) && !isIdentity([...bx, ...freeB]);
  const a2 = ta ? reshape(A, [kk, m]) : reshape(maybeTranspose(A, [...freeA, ...ax]), [m, kk]);
  const b2 = tb ? reshape(B, [n, kk]) : reshape(maybeTranspose(B, [...bx, ...freeB]), [kk, n]);
  return reshape(ta || tb ? matmulT(a2, b2, ta, tb) : matmul(a2, b2), [
    ...freeA.map((k) => A.shape[k]),
    ...freeB.map((k) => B.shape[k]),
  ]);
}

function isIdentity(perm: number[]): boolean {
  return perm.every((p, k) => p === k);
}

function maybeTranspose(t: Tensor, perm: number[]): Tensor {
  return isIdentity(perm) ? t : transpose(t, perm);
}

function contractedAxes(
  sa: readonly number[],
  sb: readonly number[],
  axes: TensordotAxes,
): [number[], number[]] {
  const where = `tensordot: cannot contract ${fmtShape(sa)} with ${fmtShape(sb)}`;
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0) {
      throw new ShapeError(
        `${where}: axes must be a non-negative integer or a pair of axis lists, got ${
          fmtJson(axes)
        }`,
      );
    }
    if (axes > sa.length || axes > sb.length) {
      throw new ShapeError(
        `${where} over ${axes} axes: a has rank ${sa.length} and b has rank ${sb.length}; ` +
          `use axes ≤ ${Math.min(sa.length, sb.length)}`,
      );
    }
    return [
      [...Array(axes).keys()].map((k) => sa.length - axes + k),
      [...Array(axes).keys()],
    ];
  }
  if (!Array.isArray(axes) || axes.length !== 2) {
    throw new ShapeError(
      `${where}: axes must be a non-negative integer or a pair [axesOfA, axesOfB], got ` +
        `${fmtJson(axes)}`,
    );
  }
  const la = typeof axes[0] === "number" ? [axes[0]] : [...axes[0]];
  const lb = typeof axes[1] === "number" ? [axes[1]] : [...axes[1]];
  if (la.length !== lb.length) {
    throw new ShapeError(
      `${where}: axes [${la.join(", ")}] and [${lb.join(", ")}] have different lengths; ` +
        `give one axis of b for each axis of a`,
    );
  }
  const norm = (list: number[], shape: readonly number[], which: string) => {
    const out: number[] = [];
    for (const x of list) {
      if (!Number.isInteger(x) || x < -shape.length || x >= shape.length) {
        throw new ShapeError(
          `${where}: axis ${
            fmtValue(x)
          } is out of bounds for ${which} (rank ${shape.length}); use an ` +
            `integer in [${-shape.length}, ${shape.length - 1}]`,
        );
      }
      const n = x < 0 ? x + shape.length : x;
      if (out.includes(n)) {
        throw new ShapeError(`${where}: axis ${x} of ${which} is repeated in [${list.join(", ")}]`);
      }
      out.push(n);
    }
    return out;
  };
  return [norm(la, sa, "a"), norm(lb, sb, "b")];
}
