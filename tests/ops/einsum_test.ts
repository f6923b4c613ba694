import { assertEquals, assertThrows } from "@std/assert";
import {
  arange,
  assertAllClose,
  assertGrad,
  einsum,
  eye,
  randn,
  reshape,
  ShapeError,
  tensor,
  transpose,
  ValueError,
  zeros,
} from "matcalc";

const A = tensor([[1, 2], [3, 4]]);
const B = tensor([[5, 6], [7, 8]]);

Deno.test("einsum()", async (t) => {
  await t.step("explicit output: product, transpose, sums", () => {
    assertEquals(einsum("ij,jk->ik", A, B).toArray(), [[19, 22], [43, 50]]);
    assertEquals(einsum("ij->ji", A).toArray(), [[1, 3], [2, 4]]);
    assertEquals(einsum("ij->", A).item(), 10);
    assertEquals(einsum("ij->j", A).toArray(), [4, 6]);
    assertEquals(einsum("ij->ij", A).toArray(), A.toArray());
    assertEquals(einsum("ij,jk->ki", A, B).toArray(), [[19, 43], [22, 50]]);
  });
  await t.step("implicit output: letters seen once, alphabetical", () => {
    assertEquals(einsum("ij,jk", A, B).toArray(), [[19, 22], [43, 50]]);
    assertEquals(einsum("ij,ij", A, B).item(), 70);
    assertEquals(einsum("ji", A).toArray(), [[1, 3], [2, 4]]);
    assertEquals(einsum("i,j", tensor([1, 2]), tensor([3, 4])).toArray(), [[3, 4], [6, 8]]);
    assertEquals(einsum("Ab", A).toArray(), A.toArray());
  });
  await t.step("repeated letters: trace and diagonal", () => {
    const M = reshape(arange(9), [3, 3]);
    assertEquals(einsum("ii", M).item(), 12);
    assertEquals(einsum("ii->i", M).toArray(), [0, 4, 8]);
    const T = reshape(arange(18), [3, 3, 2]);
    assertEquals(einsum("iij->j", T).toArray(), [0 + 8 + 16, 1 + 9 + 17]);
    assertEquals(einsum("iii->i", reshape(arange(8), [2, 2, 2])).toArray(), [0, 7]);
  });
  await t.step("batches, three operands, scalars, spaces", () => {
    const X = reshape(arange(12), [2, 2, 3]);
    const Y = reshape(arange(12), [2, 3, 2]);
    const got = einsum("bij,bjk->bik", X, Y);
    assertEquals(
      got.toArray(),
      [0, 1].map((b) => {
        const xb = reshape(arange(6), [2, 3]);
        const yb = reshape(arange(6), [3, 2]);
        const off = b * 6;
        return [0, 1].map((i) =>
          [0, 1].map((k) => {
            let s = 0;
            for (let j = 0; j < 3; j++) s += (xb.at(i, j) + off) * (yb.at(j, k) + off);
            return s;
          })
        );
      }),
    );
    assertEquals(einsum("ij,jk,kl->il", A, B, eye(2)).toArray(), [[19, 22], [43, 50]]);
    assertEquals(einsum(",i->i", tensor(2), tensor([1, 2])).toArray(), [2, 4]);
    assertEquals(einsum(" ij , jk -> ik ", A, B).toArray(), [[19, 22], [43, 50]]);
    assertEquals(einsum("i,i,i->", tensor([1, 2]), tensor([3, 4]), tensor([5, 6])).item(), 63);
    // j is shared by operands 0 and 2 only; it must survive the first contraction.
    // Σ_j A[i, j] · (row sums of B)[j] = [1·11 + 2·15, 3·11 + 4·15].
    assertEquals(einsum("ij,k,jk->i", A, tensor([1, 1]), B).toArray(), [41, 93]);
  });
  await t.step("edge shapes: empty axes", () => {
    assertEquals(einsum("ij,jk->ik", zeros([2, 0]), zeros([0, 3])).toArray(), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    assertEquals(einsum("ij->ji", zeros([0, 3])).shape, [3, 0]);
  });
  await t.step("VJP and JVP through every path", () => {
    assertGrad((a, b) => einsum("ij,jk->ik", a, b), [
      randn([2, 3], { seed: 1 }),
      randn([3, 2], { seed: 2 }),
    ]);
    assertGrad((a, b) => einsum("bij,bjk->bki", a, b), [
      randn([2, 2, 3], { seed: 3 }),
      randn([2, 3, 2], { seed: 4 }),
    ]);
    assertGrad((a) => einsum("iij->ji", a), [randn([3, 3, 2], { seed: 5 })]);
    assertGrad((a, b, c) => einsum("ij,k,jk->i", a, b, c), [
      randn([2, 3], { seed: 6 }),
      randn([2], { seed: 7 }),
      randn([3, 2], { seed: 8 }),
    ]);
  });
  await t.step("errors name the spec and say what is wrong", () => {
    const Z = zeros([2, 3]);
    const cases: [() => unknown, string][] = [
      [
        () => einsum("ij,jk->ik", Z),
        'einsum: invalid spec "ij,jk->ik": it expects 2 operands but 1 was given; give one comma-separated term per tensor',
      ],
      [
        () => einsum("ij->ij", Z, Z),
        'einsum: invalid spec "ij->ij": it expects 1 operand but 2 were given; give one comma-separated term per tensor',
      ],
      [
        () => einsum("ijk,jk->ik", Z, Z),
        'einsum: invalid spec "ijk,jk->ik": term "ijk" names 3 axes but operand 0 has shape [2, 3] (rank 2); use one letter per axis',
      ],
      [
        () => einsum("ij,jk->ik", Z, zeros([4, 5])),
        'einsum: invalid spec "ij,jk->ik": letter "j" has size 3 in operand 0 (shape [2, 3]) but size 4 in operand 1 (shape [4, 5]); axes with the same letter must have the same size',
      ],
      [
        () => einsum("ii", Z),
        'einsum: invalid spec "ii": letter "i" has size 2 in operand 0 (shape [2, 3]) but size 3 in operand 0 (shape [2, 3]); axes with the same letter must have the same size',
      ],
      [
        () => einsum("i1,jk->ik", Z, Z),
        'einsum: invalid spec "i1,jk->ik": invalid character "1"; name axes with letters a–z or A–Z, separate operands with "," and put the output after "->"',
      ],
      [
        () => einsum("...i->i", Z),
        'einsum: invalid spec "...i->i": ellipsis (...) is not supported; name every axis with a letter',
      ],
      [
        () => einsum("ij->i->j", Z),
        'einsum: invalid spec "ij->i->j": "->" appears 2 times; use it at most once',
      ],
      [() => einsum("ij->ii", Z), 'einsum: invalid spec "ij->ii": output letter "i" appears twice'],
      [
        () => einsum("ij->k", Z),
        'einsum: invalid spec "ij->k": output letter "k" does not appear in any input; remove it from the output',
      ],
    ];
    for (const [f, message] of cases) assertEquals(assertThrows(f, ShapeError).message, message);
    assertEquals(
      assertThrows(() => einsum(5 as never, Z), ValueError).message,
      'einsum: spec must be a string like "ij,jk->ik", got number; pass it first',
    );
    assertEquals(
      assertThrows(() => einsum("ij", [[1]] as never), ValueError).message,
      "einsum: operand 0 must be a Tensor or a number, got an array of length 1; build a tensor with tensor(…)",
    );
  });
  await t.step("agrees with transpose", () => {
    const X = randn([2, 3, 4], { seed: 9 });
    assertAllClose(einsum("ijk->kij", X), transpose(X, [2, 0, 1]));
  });
});
