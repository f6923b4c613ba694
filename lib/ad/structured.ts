/**
 * Structured Jacobians of linear maps: the Jacobian kept as its factors instead of a dense
 * `[...out, ...in]` tensor. For `y = W x` with `W: [m, n]` the dense Jacobian has `m·m·n`
 * entries `J[i, j, k] = δᵢⱼ x[k]` (550 GB at `m = n = 4096`), but it is `I_m ⊗ xᵀ`: two small
 * factors. The chain rule `∂L/∂W = Σᵢ ∂L/∂yᵢ ∂yᵢ/∂W` is then `contract(g) = outer(g, x)`, done in
 * `O(m·n)`.
 *
 * Orders: the dense tensor is row-major (`materialize()`), and reshaped to a matrix it is the
 * row-major Kronecker form `A ⊗ Bᵀ` for `X ↦ A X B`. `toVecMatrix()` is the textbook
 * column-stacking form `vec(A X B) = (Bᵀ ⊗ A) vec(X)`, `vec` stacking columns (order "F").
 */
import { allocate } from "../alloc.ts";
import { sameShape, sizeOf } from "../ops/shape.ts";
import { displayBundle } from "../display_hook.ts";
import { checkOptions, fmtShape, fmtValue, ShapeError, ValueError } from "../errors.ts";
import { checkShape, raw, Tensor } from "../tensor.ts";
import { asTensor } from "../ops/operand.ts";
import { eye } from "../creation.ts";
import { kron } from "../ops/kron.ts";
import { vec } from "../ops/vec.ts";
import { matmul, matmulT } from "../ops/matmul.ts";
import { mul } from "../ops/mul.ts";
import { reshape } from "../ops/reshape.ts";
import { transpose } from "../ops/transpose.ts";
import { checkDenseBudget, formatBytes } from "./budget.ts";

const SUB = "₀₁₂₃₄₅₆₇₈₉";
function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => SUB[Number(d)]);
}

/**
 * A Jacobian stored by structure. Every kind has the same interface: `shape` (the dense shape
 * `[...outShape, ...inShape]`), `contract(g)` (the chain rule, `Σ_out g[out] J[out, in]`, shape
 * `inShape`), `apply(v)` (`J v`, shape `outShape`), `materialize()` (the dense tensor, guarded by
 * the dense budget), `toVecMatrix()` (the `[outSize, inSize]` matrix acting on column-stacked
 * `vec`s) and `describe()` (a formula such as `I₃ ⊗ xᵀ`).
 */
export abstract class StructuredJacobian {
  /** Shape of the function's output. */
  abstract readonly outShape: readonly number[];
  /** Shape of the function's input. */
  abstract readonly inShape: readonly number[];

  /** The dense shape, `[...outShape, ...inShape]` (the {@linkcode jacobian} convention). */
  get shape(): number[] {
    return [...this.outShape, ...this.inShape];
  }

  /** How many numbers the dense form would hold. */
  get denseSize(): number {
    return sizeOf(this.shape);
  }

  /** The chain rule: `Σ_out g[out]·J[out, in]`, shape `inShape` (a VJP with cotangent `g`). */
  contract(g: Tensor): Tensor {
    const t = asTensor(`${this.constructor.name}.contract`, g, "g");
    if (!sameShape(t.shape, this.outShape)) {
      throw new ShapeError(
        `${this.constructor.name}.contract: cannot contract g of shape ${fmtShape(t.shape)} with ` +
          `a Jacobian of shape ${fmtShape(this.shape)}: g must have the output shape ` +
          `${fmtShape(this.outShape)}`,
      );
    }
    return this.contractImpl(t);
  }

  /** The Jacobian–vector product `J v` (a JVP with tangent `v`), shape `outShape`. */
  apply(v: Tensor): Tensor {
    const t = asTensor(`${this.constructor.name}.apply`, v, "v");
    if (!sameShape(t.shape, this.inShape)) {
      throw new ShapeError(
        `${this.constructor.name}.apply: cannot apply a Jacobian of shape ${
          fmtShape(this.shape)
        } ` +
          `to v of shape ${fmtShape(t.shape)}: v must have the input shape ${
            fmtShape(this.inShape)
          }`,
      );
    }
    return this.applyImpl(t);
  }

  /** The dense Jacobian, shape `[...outShape, ...inShape]`; throws over the dense budget. */
  materialize(): Tensor {
    checkDenseBudget(
      `${this.constructor.name}.materialize`,
      this.shape,
      `the dense form of ${this.describe()}`,
      "keep the structured form and use contract(g) for the chain rule or apply(v) for J v",
    );
    return this.#traced() ? this.denseOps(false) : new Tensor(this.fill(false), this.shape);
  }

  /**
   * The Jacobian as a `[outSize, inSize]` matrix acting on column-stacked vectors:
   * `vec(J v) = M vec(v)` with `vec` in column-major order ("F"), the convention of matrix
   * calculus texts. For `X ↦ A X B` this is `Bᵀ ⊗ A`; for `W ↦ W x` it is `xᵀ ⊗ I`.
   */
  toVecMatrix(): Tensor {
    const outSize = sizeOf(this.outShape);
    const inSize = sizeOf(this.inShape);
    checkDenseBudget(
      `${this.constructor.name}.toVecMatrix`,
      [outSize, inSize],
      `the vec-form matrix of ${this.describe()}`,
      "keep the structured form and use contract(g) or apply(v)",
    );
    return this.#traced() ? this.denseOps(true) : new Tensor(this.fill(true), [outSize, inSize]);
  }

  /**
   * Whether a factor is being differentiated (e.g. `grad` of a loss on `J.materialize()` with
   * respect to `W`): `fill` reads raw numbers, which would drop that derivative silently.
   */
  #traced(): boolean {
    return this.factors().some((t) => t._node !== undefined);
  }

  /** The formula, e.g. `I₃ ⊗ xᵀ` (row-major Kronecker form of the dense Jacobian). */
  abstract describe(): string;

  /** The formula, the dense shape and what materializing it would cost. */
  toString(): string {
    return `${this.constructor.name} ${this.describe()}: dense shape ${fmtShape(this.shape)} ` +
      `(${this.denseSize} numbers, ${formatBytes(this.denseSize * 8)} if materialized)`;
  }

  /** Lets the Deno REPL print the formula rather than the fields. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Renders in Jupyter through the kernel's display hook, plain text otherwise. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayBundle(this, this.toString());
  }

  /** @internal The chain rule on a checked `g`. */
  protected abstract contractImpl(g: Tensor): Tensor;
  /** @internal `J v` on a checked `v`. */
  protected abstract applyImpl(v: Tensor): Tensor;
  /** @internal Dense entries: row-major `[...out, ...in]`, or the column-major vec matrix. */
  protected abstract fill(vecOrder: boolean): Float64Array;
  /** @internal The tensors the Jacobian is built from. */
  protected abstract factors(): Tensor[];
  /**
   * @internal The dense form (`materialize()`'s shape, or the vec matrix) from differentiable
   * ops, for when a factor is traced.
   */
  protected abstract denseOps(vecOrder: boolean): Tensor;
}

/** Position of a row-major flat index in column-major order, for a given shape. */
function toColumnMajor(shape: readonly number[]): Int32Array {
  const size = sizeOf(shape);
  const map = new Int32Array(size);
  const idx = new Array(shape.length).fill(0);
  for (let f = 0; f < size; f++) {
    let c = 0;
    for (let k = shape.length - 1; k >= 0; k--) c = c * shape[k] + idx[k];
    map[f] = c;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return map;
}

/**
 * The Jacobian of the identity map `x ↦ x`: `J[i…, j…] = δ`. Build it with
 * {@linkcode identityJacobian}.
 */
export class IdentityJacobian extends StructuredJacobian {
  /** Shape of the output (the same as the input). */
  readonly outShape: readonly number[];
  /** Shape of the input. */
  readonly inShape: readonly number[];
  /** Prefer {@linkcode identityJacobian}. */
  constructor(shape: readonly number[]) {
    super();
    this.outShape = Object.freeze([...shape]);
    this.inShape = this.outShape;
  }
  /** `I` with its size as a subscript. */
  describe(): string {
    return `I${subscript(sizeOf(this.inShape))}`;
  }
  /** The chain rule on a checked `g`. */
  protected contractImpl(g: Tensor): Tensor {
    return reshape(g, this.inShape);
  }
  /** `J v` on a checked `v`. */
  protected applyImpl(v: Tensor): Tensor {
    return reshape(v, this.outShape);
  }
  /** The dense entries, row-major or in vec order. */
  protected fill(): Float64Array {
    const n = sizeOf(this.inShape);
    const d = allocate("materialize", [n, n]);
    for (let i = 0; i < n; i++) d[i * n + i] = 1;
    return d;
  }
  /** None: the identity is a constant. */
  protected factors(): Tensor[] {
    return [];
  }
  /** Never needed (no factors), but the same numbers as {@linkcode fill}. */
  protected denseOps(vecOrder: boolean): Tensor {
    const n = sizeOf(this.inShape);
    return vecOrder ? eye(n) : reshape(eye(n), this.shape);
  }
}

/**
 * The Jacobian of an elementwise map, `J[i…, j…] = δ·d[i…]`: the diagonal `d` only. Build it
 * with {@linkcode diagonalJacobian}.
 */
export class DiagonalJacobian extends StructuredJacobian {
  /** Shape of the output (the same as the input). */
  readonly outShape: readonly number[];
  /** Shape of the input. */
  readonly inShape: readonly number[];
  /** Prefer {@linkcode diagonalJacobian}. */
  constructor(readonly diagonal: Tensor, readonly name = "d") {
    super();
    this.outShape = diagonal.shape;
    this.inShape = diagonal.shape;
  }
  /** `diag(d)`. */
  describe(): string {
    return `diag(${this.name})`;
  }
  /** The chain rule on a checked `g`. */
  protected contractImpl(g: Tensor): Tensor {
    return mul(g, this.diagonal);
  }
  /** `J v` on a checked `v`. */
  protected applyImpl(v: Tensor): Tensor {
    return mul(this.diagonal, v);
  }
  /** The dense entries, row-major or in vec order. */
  protected fill(vecOrder: boolean): Float64Array {
    const D = raw(this.diagonal), n = D.length;
    const pos = vecOrder ? toColumnMajor(this.inShape) : null;
    const out = allocate("materialize", [n, n]);
    for (let i = 0; i < n; i++) {
      const p = pos === null ? i : pos[i];
      out[p * n + p] = D[i];
    }
    return out;
  }
  /** The diagonal. */
  protected factors(): Tensor[] {
    return [this.diagonal];
  }
  /** `I ⊙ dᵀ`: row `i` of the identity scaled by `d[i]` (in vec order, by `vec(d)[i]`). */
  protected denseOps(vecOrder: boolean): Tensor {
    const n = this.diagonal.size;
    const d = reshape(vecOrder ? vec(this.diagonal) : this.diagonal, [1, n]);
    const M = mul(eye(n), d);
    return vecOrder ? M : reshape(M, this.shape);
  }
}

/**
 * The Jacobian of `X ↦ A X B` with respect to `X` (`A: [m, p]`, `X: [p, q]`, `B: [q, n]`), either
 * factor possibly an identity: dense entries `J[i, j, k, l] = A[i, k]·B[l, j]`, row-major matrix
 * form `A ⊗ Bᵀ`, vec form `Bᵀ ⊗ A`. Vector inputs and outputs (as in `W ↦ W x`, out `[m]`) are
 * matrices with a unit axis dropped. Build it with {@linkcode kronJacobian} or
 * {@linkcode jacobianOfMatmul}.
 */
export class KronJacobian extends StructuredJacobian {
  /** Shape of the output. */
  readonly outShape: readonly number[];
  /** Shape of the input. */
  readonly inShape: readonly number[];
  /** `A` as `[m, p]`, or `null` for the identity `I_m`. */
  readonly left: Tensor | null;
  /** `B` as `[q, n]`, or `null` for the identity `I_q`. */
  readonly right: Tensor | null;
  readonly #dims: { m: number; p: number; q: number; n: number };
  readonly #names: [string, string];

  /** Prefer {@linkcode kronJacobian} or {@linkcode jacobianOfMatmul}. */
  constructor(
    left: Tensor | number,
    right: Tensor | number,
    opts: { names?: [string, string]; inShape?: readonly number[]; outShape?: readonly number[] } =
      {},
  ) {
    super();
    const op = "kronJacobian";
    const A = typeof left === "number" ? null : asTensor(op, left, "A");
    const B = typeof right === "number" ? null : asTensor(op, right, "B");
    for (const [t, name] of [[A, "A"], [B, "B"]] as const) {
      if (t !== null && t.rank !== 2) {
        throw new ShapeError(
          `${op}: ${name} must be a matrix, got shape ${fmtShape(t.shape)}; reshape a vector ` +
            `x to [n, 1] (a column), or use jacobianOfMatmul for matmul with a vector`,
        );
      }
    }
    for (const [d, name] of [[left, "A"], [right, "B"]] as const) {
      if (typeof d === "number" && !(Number.isInteger(d) && d >= 0)) {
        throw new ValueError(
          `${op}: the size of the identity ${name} must be a non-negative integer, got ${
            fmtValue(d)
          }`,
        );
      }
    }
    const m = A === null ? left as number : A.shape[0];
    const p = A === null ? left as number : A.shape[1];
    const q = B === null ? right as number : B.shape[0];
    const n = B === null ? right as number : B.shape[1];
    this.left = A;
    this.right = B;
    this.#dims = { m, p, q, n };
    this.#names = opts.names ?? ["A", "B"];
    this.inShape = Object.freeze([...(opts.inShape ?? [p, q])]);
    this.outShape = Object.freeze([...(opts.outShape ?? [m, n])]);
  }

  /** `A ⊗ Bᵀ`, identities written `I₃`: for `W ↦ W x` this is `I₃ ⊗ xᵀ`. */
  describe(): string {
    const { m, q } = this.#dims;
    const a = this.left === null ? `I${subscript(m)}` : this.#names[0];
    const b = this.right === null ? `I${subscript(q)}` : `${this.#names[1]}ᵀ`;
    return `${a} ⊗ ${b}`;
  }

  /** The formula, the vec form, the dense shape and its cost. */
  override toString(): string {
    const { m, q } = this.#dims;
    const a = this.left === null ? `I${subscript(m)}` : this.#names[0];
    const b = this.right === null ? `I${subscript(q)}` : `${this.#names[1]}ᵀ`;
    return `${super.toString()}; vec form ${b} ⊗ ${a}`;
  }

  /** The chain rule on a checked `g`. */
  protected contractImpl(g: Tensor): Tensor {
    // Σ_ij G[i, j] A[i, k] B[l, j] = (Aᵀ G Bᵀ)[k, l]: two thin matmuls, never the m·n·p·q tensor.
    const { m, n } = this.#dims;
    let r = reshape(g, [m, n]);
    // The transposes are flags to the backend's product, not copies.
    if (this.right !== null) r = matmulT(r, this.right, false, true);
    if (this.left !== null) r = matmulT(this.left, r, true, false);
    return reshape(r, this.inShape);
  }

  /** `J v` on a checked `v`. */
  protected applyImpl(v: Tensor): Tensor {
    const { p, q } = this.#dims;
    let r = reshape(v, [p, q]);
    if (this.left !== null) r = matmul(this.left, r);
    if (this.right !== null) r = matmul(r, this.right);
    return reshape(r, this.outShape);
  }

  /** The dense entries, row-major or in vec order. */
  protected fill(vecOrder: boolean): Float64Array {
    const { m, p, q, n } = this.#dims;
    const A = this.left === null ? null : raw(this.left);
    const B = this.right === null ? null : raw(this.right);
    const inSize = p * q;
    const out = allocate("materialize", [m, n, inSize]);
    // Only the nonzero entries are visited: an identity factor pins k = i (or l = j).
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const row = vecOrder ? j * m + i : i * n + j;
        for (let k = A === null ? i : 0; k < (A === null ? i + 1 : p); k++) {
          const a = A === null ? 1 : A[i * p + k];
          if (a === 0) continue;
          for (let l = B === null ? j : 0; l < (B === null ? j + 1 : q); l++) {
            const b = B === null ? 1 : B[l * n + j];
            const col = vecOrder ? l * p + k : k * q + l;
            out[row * inSize + col] = a * b;
          }
        }
      }
    }
    return out;
  }
  /** `A` and `B`, where they are not identities. */
  protected factors(): Tensor[] {
    return [this.left, this.right].filter((t): t is Tensor => t !== null);
  }
  /** `A ⊗ Bᵀ` (row-major) or `Bᵀ ⊗ A` (vec form), identities as `eye`. */
  protected denseOps(vecOrder: boolean): Tensor {
    const { m, q } = this.#dims;
    const A = this.left ?? eye(m), Bt = this.right === null ? eye(q) : transpose(this.right);
    return vecOrder ? kron(Bt, A) : reshape(kron(A, Bt), this.shape);
  }
}

/**
 * The Jacobian of `X ↦ A X B` with respect to `X`, kept as its Kronecker factors (see
 * {@linkcode KronJacobian}). Pass a number instead of a matrix for an identity factor:
 * `kronJacobian(A, q)` is the Jacobian of `X ↦ A X` for `X: [p, q]`.
 *
 * @example Vec form `Bᵀ ⊗ A`, and the chain rule `Aᵀ G Bᵀ`
 * ```ts
 * import { kronJacobian, matmul, tensor, transpose } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const A = tensor([[1, 2]]), B = tensor([[3], [4]]);
 * const J = kronJacobian(A, B);
 * assertEquals(J.shape, [1, 1, 2, 2]);
 * assertEquals(J.describe(), "A ⊗ Bᵀ");
 * assertEquals(J.toVecMatrix().toArray(), [[3, 6, 4, 8]]);
 * const G = tensor([[10]]);
 * assertEquals(J.contract(G).toArray(), matmul(matmul(transpose(A), G), transpose(B)).toArray());
 * assertEquals(kronJacobian(A, B, { names: ["W₁", "W₂"] }).describe(), "W₁ ⊗ W₂ᵀ");
 * ```
 *
 * `names` sets the symbols that `describe()`, `toString()` and the Jupyter display use (default
 * `["A", "B"]`).
 */
export function kronJacobian(
  A: Tensor | number,
  B: Tensor | number,
  opts: { names?: [string, string] } = {},
): KronJacobian {
  return new KronJacobian(A, B, checkOptions("kronJacobian", opts, ["names"]));
}

/**
 * The Jacobian of `matmul(a, b)` with respect to `a` (`wrt: 0`, the default) or `b` (`wrt: 1`),
 * without materializing it. For `y = W x` (`W: [m, n]`, `x: [n]`) it is `I_m ⊗ xᵀ` of dense
 * shape `[m, m, n]`, and `contract(∂L/∂y)` is `outer(∂L/∂y, x)` in `O(m·n)`.
 *
 * @example The chain rule for `y = W x` without the `[m, m, n]` tensor
 * ```ts
 * import { jacobian, jacobianOfMatmul, matmul, outer, tensor, zeros } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const W = zeros([3, 2]), x = tensor([1, 2]);
 * const J = jacobianOfMatmul(W, x);
 * assertEquals(J.describe(), "I₃ ⊗ xᵀ");
 * assertEquals(J.shape, [3, 3, 2]);
 * assertEquals(J.materialize().toArray(), jacobian((W) => matmul(W, x), W).toArray());
 * const g = tensor([1, 0, -1]);
 * assertEquals(J.contract(g).toArray(), outer(g, x).toArray());
 * assertEquals(jacobianOfMatmul(W, x, { name: "h" }).describe(), "I₃ ⊗ hᵀ");
 * ```
 *
 * Options: `wrt` (0 or 1, default 0) picks the operand to differentiate by; `name` sets the
 * symbol of the other operand in `describe()` and the displays (default `x` or `B` for the right
 * operand, `w` or `W` for the left, by rank).
 */
export function jacobianOfMatmul(
  a: Tensor,
  b: Tensor,
  opts: { wrt?: 0 | 1; name?: string } = {},
): KronJacobian {
  const op = "jacobianOfMatmul";
  checkOptions(op, opts, ["wrt", "name"]);
  const A = asTensor(op, a, "a"), B = asTensor(op, b, "b");
  const wrt = opts.wrt ?? 0;
  if (wrt !== 0 && wrt !== 1) {
    throw new ValueError(`${op}: wrt must be 0 (for a) or 1 (for b), got ${String(wrt)}`);
  }
  if (A.rank < 1 || A.rank > 2 || B.rank < 1 || B.rank > 2) {
    throw new ShapeError(
      `${op}: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: operands must be ` +
        `vectors or matrices (rank 1 or 2)`,
    );
  }
  const a2 = A.rank === 1 ? reshape(A, [1, A.shape[0]]) : A;
  const b2 = B.rank === 1 ? reshape(B, [B.shape[0], 1]) : B;
  if (a2.shape[1] !== b2.shape[0]) {
    throw new ShapeError(
      `${op}: cannot multiply ${fmtShape(A.shape)} by ${fmtShape(B.shape)}: inner dimensions ` +
        `${a2.shape[1]} and ${b2.shape[0]} differ`,
    );
  }
  const outShape = [...(A.rank === 2 ? [A.shape[0]] : []), ...(B.rank === 2 ? [B.shape[1]] : [])];
  if (wrt === 0) {
    const name = opts.name ?? (B.rank === 1 ? "x" : "B");
    return new KronJacobian(a2.shape[0], b2, { names: ["A", name], inShape: A.shape, outShape });
  }
  const name = opts.name ?? (A.rank === 1 ? "w" : "W");
  return new KronJacobian(a2, b2.shape[1], { names: [name, "B"], inShape: B.shape, outShape });
}

/**
 * The Jacobian of the identity map on tensors of `shape`.
 *
 * @example
 * ```ts
 * import { identityJacobian, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const J = identityJacobian([2]);
 * assertEquals(J.materialize().toArray(), [[1, 0], [0, 1]]);
 * assertEquals(J.contract(tensor([3, 4])).toArray(), [3, 4]);
 * ```
 */
export function identityJacobian(shape: readonly number[]): IdentityJacobian {
  checkShape("identityJacobian", shape);
  return new IdentityJacobian(shape);
}

/**
 * The Jacobian of an elementwise map `x ↦ f(x)`, stored as its diagonal `d = f'(x)`.
 *
 * @example `tanh'(x) = 1 − tanh²(x)` as a diagonal Jacobian
 * ```ts
 * import { diagonalJacobian, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const J = diagonalJacobian(tensor([2, 3]));
 * assertEquals(J.describe(), "diag(d)");
 * assertEquals(J.materialize().toArray(), [[2, 0], [0, 3]]);
 * assertEquals(J.apply(tensor([1, 1])).toArray(), [2, 3]);
 * assertEquals(diagonalJacobian(tensor([2, 3]), { name: "σ′" }).describe(), "diag(σ′)");
 * ```
 */
export function diagonalJacobian(d: Tensor, opts: { name?: string } = {}): DiagonalJacobian {
  checkOptions("diagonalJacobian", opts, ["name"]);
  return new DiagonalJacobian(asTensor("diagonalJacobian", d, "d"), opts.name);
}
