import { bind, type Primitive } from "../ad/node.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmul } from "../ops/matmul.ts";
import { mul } from "../ops/mul.ts";
import { reshape } from "../ops/reshape.ts";
import { stack } from "../ops/slice.ts";
import { sum } from "../ops/sum.ts";
import type { Operand } from "../ops/operand.ts";
import { batched, mT, squareInput, symmetrize } from "./common.ts";
import { kernels } from "./kernels.ts";
import { inspectRecord } from "./result.ts";
import { checkGaps, fixSigns, gapMatrix } from "./spectral.ts";

/** One factorization shared by the two primitives of an `eigh` call. */
interface EighParams {
  w: Float64Array;
  v: Float64Array;
}

/*
 * Why two primitives: a primitive has one output, and `eigh` has two. Rather than teach the
 * engine multi-output nodes, `eigh` binds one primitive per output on the same input; both read
 * one cached factorization (the params), so the matrix is factored once. A loss of the
 * eigenvalues alone never touches the eigenvector primitive's rule, so its gradient never
 * divides by eigenvalue gaps. Each rule re-binds the other output on the same input with the
 * same params when it needs it, so rules are built from traced tensors and differentiate again.
 */

function values(a: Tensor, p: EighParams): Tensor {
  return bind(valuesPrim, [a], p);
}
function vectors(a: Tensor, p: EighParams): Tensor {
  return bind(vectorsPrim, [a], p);
}

/** `dλᵢ = vᵢᵀ dA vᵢ`; gradient `V diag(ḡ) Vᵀ` (exact at repeated eigenvalues). */
const valuesPrim: Primitive<EighParams> = {
  name: "eigh.eigenvalues",
  forward: (_inputs, { w }) => new Tensor(Float64Array.from(w), [w.length]),
  vjp: (g, [a], _w, p) => {
    const v = vectors(a, p);
    return [matmul(mul(v, reshape(g, [1, g.size])), mT(v))];
  },
  jvp: ([da], [a], _w, p) => {
    const v = vectors(a, p);
    return sum(mul(v, matmul(da, v)), 0);
  },
};

/**
 * `dV = V (F ∘ (Vᵀ dA V))` with `F[i, j] = 1/(λⱼ − λᵢ)` (JAX's `eigh_jvp_rule`); gradient
 * `V (F ∘ (Vᵀ Ḡ)) Vᵀ`. At repeated eigenvalues `F` is infinite: both JAX and PyTorch return
 * Inf/NaN there; we raise a ValueError instead (the eigenvectors are not unique, so no
 * derivative exists for a generic loss of them).
 */
const vectorsPrim: Primitive<EighParams> = {
  name: "eigh.eigenvectors",
  forward: (_inputs, { v }) =>
    new Tensor(Float64Array.from(v), [Math.sqrt(v.length), Math.sqrt(v.length)]),
  vjp: (g, [a], v, p) => [matmul(v, matmul(mul(gaps(a, p), matmul(mT(v), g)), mT(v)))],
  jvp: ([da], [a], v, p) => matmul(v, mul(gaps(a, p), matmul(mT(v), matmul(da, v)))),
};

function gaps(a: Tensor, p: EighParams): Tensor {
  checkGaps(
    "eigh",
    "eigenvectors",
    p.w,
    "differentiate a function of the eigenvalues alone, or perturb A to split them",
  );
  return gapMatrix(values(a, p));
}

/**
 * What {@linkcode eigh} returns; prints as `EighResult { eigenvalues: …, eigenvectors: … }` and
 * destructures like NumPy's named tuple.
 */
export class EighResult {
  /** The eigenvalues, ascending: `[..., n]`. */
  readonly eigenvalues: Tensor;
  /** The orthonormal eigenvectors as columns: `[..., n, n]`, column `i` for eigenvalue `i`. */
  readonly eigenvectors: Tensor;
  /** Pairs the two results. */
  constructor(eigenvalues: Tensor, eigenvectors: Tensor) {
    this.eigenvalues = eigenvalues;
    this.eigenvectors = eigenvectors;
  }

  /** Prints the record with each tensor's rows aligned (REPL, `console.log`). */
  [Symbol.for("Deno.customInspect")](
    _inspect?: unknown,
    options?: { indentationLvl?: number },
  ): string {
    return inspectRecord(options?.indentationLvl ?? 0, "EighResult", {
      eigenvalues: this.eigenvalues,
      eigenvectors: this.eigenvectors,
    });
  }
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix, like
 * `numpy.linalg.eigh`: `A = V diag(λ) Vᵀ`. A stack `[..., n, n]` is decomposed matrix by matrix.
 * Each eigenvector's sign is fixed so that its largest-magnitude entry is positive (NumPy's
 * signs are whatever LAPACK returns).
 *
 * Which triangle is read: the symmetric part `(A + Aᵀ)/2`, as JAX does; NumPy reads the lower
 * triangle. They agree on symmetric input; reading the symmetric part makes the gradient
 * symmetric, so `∂λᵢ/∂A = vᵢ vᵢᵀ`, the textbook formula.
 *
 * Derivatives: `dλᵢ = vᵢᵀ dA vᵢ`, exact even at repeated eigenvalues (a loss of the eigenvalues
 * alone never divides by gaps). The eigenvectors' derivative divides by `λⱼ − λᵢ`; at repeated
 * eigenvalues (within a few hundred ulps) it raises a `ValueError` naming them rather than
 * returning Infinity or NaN (JAX and PyTorch return non-finite values there). The same holds
 * for the second derivative of an eigenvalue, which goes through the eigenvectors.
 *
 * @example dλᵢ = qᵢᵀ dA qᵢ
 * ```ts
 * import { assertAllClose, eigh, grad, mul, outer, sum, type Tensor, tensor } from "matcalc";
 *
 * const A = tensor([[2, 1], [1, 2]]);
 * const { eigenvalues, eigenvectors } = eigh(A);
 * const r = Math.SQRT1_2;
 * assertAllClose(eigenvalues, [1, 3]);
 * assertAllClose(eigenvectors, [[r, r], [-r, r]]);
 * // The gradient of the largest eigenvalue is q qᵀ, q its eigenvector.
 * const largest = (A: Tensor) => sum(mul(eigh(A).eigenvalues, tensor([0, 1])));
 * assertAllClose(grad(largest, A), outer(tensor([r, r]), tensor([r, r])));
 * ```
 */
export function eigh(A: Operand): EighResult {
  const a = squareInput("eigh", A, true);
  const outs: Tensor[] = [];
  const vals = batched(a, (m) => {
    const s = symmetrize(m);
    const n = m.shape[0];
    const { w, v } = kernels().eigh(raw(s), n);
    fixSigns(v, n, n);
    const p = { w, v };
    outs.push(vectors(s, p));
    return values(s, p);
  });
  const vecs = a.rank === 2 ? outs[0] : stackLike(a.size === 0 ? [] : outs, a.shape);
  return new EighResult(vals, vecs);
}

function stackLike(outs: Tensor[], shape: readonly number[]): Tensor {
  if (outs.length === 0) return new Tensor(new Float64Array(0), [...shape]);
  return reshape(stack(outs), [...shape]);
}
