/**
 * @internal The cofactor matrix `cof(A)` (`= det(A) A⁻ᵀ` when `A` is invertible, the adjugate
 * transposed in general): the gradient of `det`. It is a primitive of its own so that the
 * gradient of `det` is finite and exact at a singular matrix, where `det(A) A⁻ᵀ` is 0·∞.
 *
 * @module
 */
import { bind, type Primitive } from "../ad/node.ts";
import { ValueError } from "../errors.ts";
import { raw, Tensor } from "../tensor.ts";
import { matmul } from "../ops/matmul.ts";
import { mul } from "../ops/mul.ts";
import { sub } from "../ops/sub.ts";
import { sum } from "../ops/sum.ts";
import { mT } from "./common.ts";
import { inv2d } from "./inv.ts";
import { kernels } from "./kernels.ts";

/**
 * Below this reciprocal condition number the cofactor comes from an SVD instead of
 * `det(A) A⁻ᵀ`: the latter's relative error grows like cond(A)·eps and is 0·∞ at a singular A.
 */
const SVD_BELOW = 1e-8;

function cofactorValues(a: Float64Array, n: number): Float64Array {
  const k = kernels();
  const lu = k.lu(a, n);
  if (lu.zeroPivot < 0 && lu.rcond() >= SVD_BELOW) {
    const det = lu.det ?? lu.sign * Math.exp(lu.logAbsDet);
    const ai = lu.inverse();
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = det * ai[j * n + i];
    return c;
  }
  // A = U S Vᵀ ⇒ adj(A) = det(U) det(V) V adj(S) Uᵀ with adj(S) = diag(∏_{j≠i} s_j), which is
  // a polynomial in the s_j and so stays finite (and exact) when some s_j are 0; cof = adjᵀ.
  const { u, s, vt } = k.svd(a, n, n);
  const du = k.lu(u, n), dv = k.lu(vt, n);
  const sign = du.sign * dv.sign;
  const adjS = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p = sign;
    for (let j = 0; j < n; j++) if (j !== i) p *= s[j];
    adjS[i] = p;
  }
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let p = 0; p < n; p++) t += u[i * n + p] * adjS[p] * vt[p * n + j];
      c[i * n + j] = t;
    }
  }
  return c;
}

/**
 * The rules need `A⁻¹`: `C = det(A) A⁻ᵀ` gives `dC = tr(A⁻¹ dA) C − C dAᵀ A⁻ᵀ`, in traced ops so
 * that a third derivative would also be right. At a singular `A` that formula has no meaning
 * (the second derivative of det there is a sum of smaller cofactors, not implemented), so the
 * rules refuse with a message instead of returning 0·∞.
 */
function inverseForRule(a: Tensor): Tensor {
  const lu = kernels().lu(raw(a), a.shape[0]);
  if (lu.zeroPivot >= 0 || lu.rcond() < SVD_BELOW) {
    throw new ValueError(
      `det: the second derivative of det at a singular or nearly singular matrix ` +
        `(reciprocal condition number ${lu.zeroPivot >= 0 ? 0 : lu.rcond().toExponential(2)}) ` +
        `is not implemented; the first derivative (the cofactor matrix) is`,
    );
  }
  return inv2d(a, "det");
}

const cofactorPrim: Primitive = {
  name: "cofactor",
  forward: ([a]) => new Tensor(cofactorValues(raw(a), a.shape[0]), a.shape),
  // ⟨G, dC⟩ = ⟨G, C⟩ tr(A⁻¹dA) − ⟨A⁻ᵀ Gᵀ C, dA⟩.
  vjp: (g, [a], c) => {
    const ai = inverseForRule(a);
    return [sub(mul(sum(mul(g, c)), mT(ai)), matmul(mT(ai), matmul(mT(g), c)))];
  },
  jvp: ([da], [a], c) => {
    const ai = inverseForRule(a);
    return sub(mul(sum(mul(mT(ai), da)), c), matmul(c, matmul(mT(da), mT(ai))));
  },
};

/** @internal The cofactor matrix of one square matrix (traced). */
export function cofactor(a: Tensor): Tensor {
  return bind(cofactorPrim, [a], undefined);
}
