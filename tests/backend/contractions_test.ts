// einsum with batch letters (now a stacked matmul) and tensordot with operands read transposed
// (the backend's flags instead of copies): values by the definition, derivatives three ways.
import { assert, assertEquals } from "@std/assert";
import { assertGrad, einsum, type Tensor, tensordot, transpose } from "../../lib/mod.ts";
import { tensorStream } from "./helpers.ts";

const rand = tensorStream(5);

/** einsum by its definition: loop over every assignment of the letters. */
function naive(spec: string, a: Tensor, b: Tensor): number[] {
  const [ins, out] = spec.split("->"), [la, lb] = ins.split(",");
  const sizes = new Map<string, number>();
  [...la].forEach((c, k) => sizes.set(c, a.shape[k]));
  [...lb].forEach((c, k) => sizes.set(c, b.shape[k]));
  const letters = [...sizes.keys()];
  const outSize = [...out].reduce((p, c) => p * sizes.get(c)!, 1);
  const res = new Array(outSize).fill(0);
  const idx = new Map<string, number>();
  const flat = (ls: string, shape: readonly number[]) =>
    [...ls].reduce((p, c, k) => p * shape[k] + idx.get(c)!, 0);
  const rec = (d: number) => {
    if (d === letters.length) {
      const o = [...out].reduce((p, c) => p * sizes.get(c)! + idx.get(c)!, 0);
      res[o] += a.data[flat(la, a.shape)] * b.data[flat(lb, b.shape)];
      return;
    }
    for (let i = 0; i < sizes.get(letters[d])!; i++) {
      idx.set(letters[d], i);
      rec(d + 1);
    }
  };
  rec(0);
  return res;
}

function close(got: Tensor, want: number[], what: string) {
  assertEquals(got.size, want.length, what);
  got.data.forEach((v, i) => assert(Math.abs(v - want[i]) < 1e-12, `${what}[${i}]`));
}

Deno.test("einsum with batch letters: values and derivatives", () => {
  const cases: [string, number[], number[]][] = [
    ["bij,bjk->bik", [3, 2, 4], [3, 4, 5]],
    ["ijb,jkb->bik", [2, 4, 3], [4, 5, 3]],
    ["bij,bj->bi", [3, 2, 4], [3, 4]],
    ["bi,bj->bij", [3, 2], [3, 4]],
    ["bij,bjk->kib", [2, 3, 4], [2, 4, 2]],
    ["abij,bajk->abik", [2, 3, 2, 2], [3, 2, 2, 3]],
  ];
  for (const [spec, sa, sb] of cases) {
    const a = rand(sa), b = rand(sb);
    close(einsum(spec, a, b), naive(spec, a, b), spec);
    assertGrad((x: Tensor, y: Tensor) => einsum(spec, x, y), [a, b], { atol: 1e-7 });
  }
});

Deno.test("tensordot with contracted axes leading in a or trailing in b (no copies)", () => {
  const cases: [number[], number[], [number[], number[]], string][] = [
    [[4, 3], [4, 5], [[0], [0]], "ki,kj->ij"],
    [[3, 4], [5, 4], [[1], [1]], "ik,jk->ij"],
    [[4, 3], [5, 4], [[0], [1]], "ki,jk->ij"],
    [[2, 3, 4], [5, 2, 3], [[0, 1], [1, 2]], "abi,jab->ij"],
  ];
  for (const [sa, sb, axes, spec] of cases) {
    const a = rand(sa), b = rand(sb);
    close(tensordot(a, b, axes), naive(spec, a, b), spec);
    assertGrad((x: Tensor, y: Tensor) => tensordot(x, y, axes), [a, b], { atol: 1e-7 });
  }
  // The plain case still matches transpose + matmul exactly.
  const a = rand([4, 3]), b = rand([4, 5]);
  close(tensordot(transpose(a), b, 1), Array.from(tensordot(a, b, [[0], [0]]).data), "Aᵀ B");
});
