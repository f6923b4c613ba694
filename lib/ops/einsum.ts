import { allocate, checkResultSize } from "../alloc.ts";
import { fmtShape, ShapeError, ValueError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { asTensor } from "./operand.ts";
import { mul } from "./mul.ts";
import { reshape } from "./reshape.ts";
import { sum } from "./sum.ts";
import { tensordot } from "./tensordot.ts";
import { matmul } from "./matmul.ts";
import { transpose } from "./transpose.ts";

/**
 * Einstein summation, like `numpy.einsum`: `spec` names each operand's axes with one letter
 * each; letters shared between operands are multiplied together, and letters missing from the
 * output are summed over.
 *
 * - Explicit output: `"ij,jk->ik"` (matrix product), `"ij->ji"` (transpose), `"ij->"` (sum).
 * - Implicit output (no `->`): the letters that occur exactly once, in alphabetical order, so
 *   `"ij,jk"` is `"ij,jk->ik"` and `"ij,ij"` is the Frobenius inner product.
 * - A letter repeated inside one operand takes a diagonal: `"ii->"` is the trace, `"ii->i"` the
 *   diagonal.
 *
 * Letters are `a–z` and `A–Z`; spaces are ignored; `...` (ellipsis) is not supported. It is built
 * from transpose, reshape, mul, sum, {@linkcode tensordot} and stacked `matmul` (so the backend's
 * matrix product does the heavy lifting and no derivative rules are needed).
 *
 * @example Matrix product, trace, batched dot and outer product
 * ```ts
 * import { einsum, tensor } from "matcalc";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const A = tensor([[1, 2], [3, 4]]);
 * assertEquals(einsum("ij,jk->ik", A, A).toArray(), [[7, 10], [15, 22]]);
 * console.log(einsum("ij,jk->ik", A, A));
 * // Tensor([[ 7, 10],
 * //         [15, 22]], shape=[2, 2])
 * assertEquals(einsum("ii", A).item(), 5);
 * assertEquals(einsum("ij,ij->i", A, A).toArray(), [5, 25]);
 * assertEquals(einsum("i,j", tensor([1, 2]), tensor([3, 4])).toArray(), [[3, 4], [6, 8]]);
 * assertThrows(() => einsum("ij,jk->ik", A), Error, "expects 2 operands");
 * ```
 */
export function einsum(spec: string, ...operands: Tensor[]): Tensor {
  if (typeof spec !== "string") {
    throw new ValueError(
      `einsum: spec must be a string like "ij,jk->ik", got ${typeof spec}; pass it first`,
    );
  }
  const tensors = operands.map((x, k) => asTensor("einsum", x, `operand ${k}`));
  const { inputs, output, sizes } = parseSpec(spec, tensors);
  checkResultSize("einsum", [...output].map((c) => sizes.get(c)!));

  // 1. Per operand: take diagonals for repeated letters, then sum away letters no one else uses.
  const terms: { t: Tensor; letters: string[] }[] = [];
  for (let i = 0; i < tensors.length; i++) {
    let t = tensors[i];
    let letters = [...inputs[i]];
    for (let q = 0; q < letters.length; q++) {
      const p = letters.indexOf(letters[q]);
      if (p < q) {
        t = sum(mul(t, diagonalMask(t.shape, p, q)), q);
        letters.splice(q, 1);
        q--;
      }
    }
    const elsewhere = new Set([...output, ...inputs.filter((_, j) => j !== i).join("")]);
    const lonely = letters.flatMap((c, k) => (elsewhere.has(c) ? [] : [k]));
    if (lonely.length > 0) {
      t = sum(t, lonely);
      letters = letters.filter((c) => elsewhere.has(c));
    }
    terms.push({ t, letters });
  }

  // 2. Contract left to right, keeping the letters that the output or a later operand needs.
  let { t, letters } = terms[0];
  for (let i = 1; i < terms.length; i++) {
    const u = terms[i];
    const keep = new Set([...output, ...terms.slice(i + 1).flatMap((x) => x.letters)]);
    const shared = letters.filter((c) => u.letters.includes(c));
    const contracted = shared.filter((c) => !keep.has(c));
    if (shared.every((c) => !keep.has(c))) {
      // No batch letters: one tensordot, i.e. one matrix product.
      t = tensordot(t, u.t, [
        contracted.map((c) => letters.indexOf(c)),
        contracted.map((c) => u.letters.indexOf(c)),
      ]);
      letters = [
        ...letters.filter((c) => !contracted.includes(c)),
        ...u.letters.filter((c) => !contracted.includes(c)),
      ];
    } else {
      // Batch letters (kept and shared): one stacked matrix product, batch × free × contracted
      // times batch × contracted × free.
      const batch = shared.filter((c) => keep.has(c));
      const freeT = letters.filter((c) => !shared.includes(c));
      const freeU = u.letters.filter((c) => !shared.includes(c));
      const size = (cs: string[]) => cs.reduce((p, c) => p * sizes.get(c)!, 1);
      const a3 = reshape(permuted(t, letters, [...batch, ...freeT, ...contracted]), [
        size(batch),
        size(freeT),
        size(contracted),
      ]);
      const b3 = reshape(permuted(u.t, u.letters, [...batch, ...contracted, ...freeU]), [
        size(batch),
        size(contracted),
        size(freeU),
      ]);
      letters = [...batch, ...freeT, ...freeU];
      t = reshape(matmul(a3, b3), letters.map((c) => sizes.get(c)!));
    }
  }

  // 3. Order the axes as the output asks.
  const perm = [...output].map((c) => letters.indexOf(c));
  return perm.every((p, k) => p === k) ? t : transpose(t, perm);
}

/** `t` (axes named `letters`) with its axes in the order of `order` (the same letters). */
function permuted(t: Tensor, letters: string[], order: string[]): Tensor {
  const perm = order.map((c) => letters.indexOf(c));
  return perm.every((p, k) => p === k) ? t : transpose(t, perm);
}

/** A constant 0/1 tensor, 1 where index p equals index q, broadcastable against `shape`. */
function diagonalMask(shape: readonly number[], p: number, q: number): Tensor {
  const n = shape[p];
  const data = allocate("einsum", [n, n]);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return new Tensor(data, shape.map((d, k) => (k === p || k === q ? d : 1)));
}

function parseSpec(
  spec: string,
  tensors: readonly Tensor[],
): { inputs: string[]; output: string; sizes: Map<string, number> } {
  const s = spec.replace(/\s+/g, "");
  const bad = (reason: string) => new ShapeError(`einsum: invalid spec "${spec}": ${reason}`);
  if (s.includes("...")) {
    throw bad("ellipsis (...) is not supported; name every axis with a letter");
  }
  const arrows = s.split("->");
  if (arrows.length > 2) throw bad(`"->" appears ${arrows.length - 1} times; use it at most once`);
  const inputs = arrows[0].split(",");
  for (const part of [...inputs, ...(arrows.length === 2 ? [arrows[1]] : [])]) {
    const m = part.match(/[^a-zA-Z]/);
    if (m) {
      throw bad(
        `invalid character "${m[0]}"; name axes with letters a–z or A–Z, separate operands ` +
          `with "," and put the output after "->"`,
      );
    }
  }
  if (inputs.length !== tensors.length) {
    throw bad(
      `it expects ${inputs.length} operand${inputs.length === 1 ? "" : "s"} but ` +
        `${tensors.length} ${tensors.length === 1 ? "was" : "were"} given; give one ` +
        `comma-separated term per tensor`,
    );
  }
  const sizes = new Map<string, number>();
  const seenAt = new Map<string, string>();
  for (let i = 0; i < inputs.length; i++) {
    const term = inputs[i], shape = tensors[i].shape;
    if (term.length !== shape.length) {
      throw bad(
        `term "${term}" names ${term.length} axes but operand ${i} has shape ${fmtShape(shape)} ` +
          `(rank ${shape.length}); use one letter per axis`,
      );
    }
    for (let k = 0; k < term.length; k++) {
      const c = term[k], d = shape[k];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== d) {
        throw bad(
          `letter "${c}" has size ${prev} in ${seenAt.get(c)} but size ${d} in operand ${i} ` +
            `(shape ${fmtShape(shape)}); axes with the same letter must have the same size`,
        );
      }
      sizes.set(c, d);
      if (!seenAt.has(c)) seenAt.set(c, `operand ${i} (shape ${fmtShape(shape)})`);
    }
  }
  let output: string;
  if (arrows.length === 2) {
    output = arrows[1];
    for (let k = 0; k < output.length; k++) {
      const c = output[k];
      if (output.indexOf(c) !== k) throw bad(`output letter "${c}" appears twice`);
      if (!sizes.has(c)) {
        throw bad(`output letter "${c}" does not appear in any input; remove it from the output`);
      }
    }
  } else {
    const all = inputs.join("");
    output = [...new Set(all)].filter((c) => all.indexOf(c) === all.lastIndexOf(c)).sort().join("");
  }
  return { inputs, output, sizes };
}
