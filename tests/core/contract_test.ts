import assert from "@matcalc/assert";
import {
  arange,
  assertAllClose,
  assertGrad,
  dot,
  einsum,
  eye,
  randn,
  reshape,
  tensor,
  tensordot,
  transpose,
  zeros,
} from "matcalc";

const A = tensor([[1, 2], [3, 4]]);
const B = tensor([[5, 6], [7, 8]]);

Deno.test("dot()", async (t) => {
  await t.step("vector · vector, matrix · vector, vector · matrix, matrix · matrix", () => {
    assert.equal(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(), 32);
    assert.deepEqual(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).shape, []);
    assert.deepEqual(dot(A, tensor([1, 1])).toArray(), [3, 7]);
    assert.deepEqual(dot(tensor([1, 1]), A).toArray(), [4, 6]);
    assert.deepEqual(dot(A, B).toArray(), [[19, 22], [43, 50]]);
  });
  await t.step("scalars scale", () => {
    assert.deepEqual(dot(2, tensor([1, 2])).toArray(), [2, 4]);
    assert.deepEqual(dot(A, tensor(0.5)).toArray(), [[0.5, 1], [1.5, 2]]);
    assert.equal(dot(3, 4).item(), 12);
  });
  await t.step("N-D: last axis of a with second-to-last of b", () => {
    const T = reshape(arange(12), [2, 3, 2]);
    const d = dot(T, A);
    assert.deepEqual(d.shape, [2, 3, 2]);
    assert.deepEqual(d.toArray(), [
      [[3, 4], [11, 16], [19, 28]],
      [[27, 40], [35, 52], [43, 64]],
    ]);
    assert.deepEqual(dot(T, tensor([1, -1])).toArray(), [[-1, -1, -1], [-1, -1, -1]]);
    assert.deepEqual(dot(A, reshape(arange(12), [3, 2, 2])).shape, [2, 3, 2]);
  });
  await t.step("edge shapes: empty, 1×n, n×1", () => {
    assert.equal(dot(zeros([0]), zeros([0])).item(), 0);
    assert.deepEqual(dot(zeros([2, 0]), zeros([0, 3])).toArray(), [[0, 0, 0], [0, 0, 0]]);
    assert.deepEqual(dot(tensor([[1, 2, 3]]), tensor([[1], [1], [1]])).toArray(), [[6]]);
    assert.deepEqual(dot(tensor([[1], [2]]), tensor([[3, 4]])).toArray(), [[3, 4], [6, 8]]);
  });
  await t.step("differentiates through matmul/tensordot", () => {
    assertGrad(dot, [randn([3], { seed: 1 }), randn([3], { seed: 2 })]);
    assertGrad(dot, [randn([2, 2, 3], { seed: 1 }), randn([3, 2], { seed: 2 })]);
  });
  await t.step("errors", () => {
    assert.throws(() => dot(zeros([2, 3]), zeros([4, 5])), {
      name: "ShapeError",
      message:
        "dot: cannot multiply [2, 3] by [4, 5]: the last axis of a (3) must match axis -2 of b (4)",
    });
    assert.throws(() => dot(zeros([2, 3]), zeros([4])), {
      name: "ShapeError",
      message:
        "dot: cannot multiply [2, 3] by [4]: the last axis of a (3) must match the length of b (4)",
    });
  });
});

Deno.test("tensordot()", async (t) => {
  await t.step("axes = N", () => {
    assert.equal(tensordot(A, B).item(), 70);
    assert.deepEqual(tensordot(A, B, 1).toArray(), [[19, 22], [43, 50]]);
    assert.deepEqual(tensordot(tensor([1, 2]), tensor([3, 4, 5]), 0).toArray(), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    assert.deepEqual(tensordot(A, B, 0).shape, [2, 2, 2, 2]);
    assert.equal(tensordot(2, 3, 0).item(), 6);
  });
  await t.step("explicit axis pairs, negative axes, single integers", () => {
    assert.deepEqual(tensordot(A, B, [[0], [0]]).toArray(), [[26, 30], [38, 44]]);
    assert.deepEqual(tensordot(A, B, [0, 0]).toArray(), [[26, 30], [38, 44]]);
    assert.deepEqual(tensordot(A, B, [[-1], [-1]]).toArray(), [[17, 23], [39, 53]]);
    assert.equal(tensordot(A, B, [[0, 1], [1, 0]]).item(), 1 * 5 + 2 * 7 + 3 * 6 + 4 * 8);
    const T = reshape(arange(24), [2, 3, 4]);
    const U = reshape(arange(6), [3, 2]);
    const got = tensordot(T, U, [[1, 0], [0, 1]]);
    const want = [0, 1, 2, 3].map((k) => {
      let s = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) s += T.at(i, j, k) * U.at(j, i);
      return s;
    });
    assert.deepEqual(got.toArray(), want);
  });
  await t.step("empty contracted axis gives zeros; empty free axis gives empty", () => {
    assert.deepEqual(tensordot(zeros([2, 0]), zeros([0, 3]), 1).toArray(), [[0, 0, 0], [0, 0, 0]]);
    assert.deepEqual(tensordot(zeros([0, 3]), zeros([3, 2]), 1).shape, [0, 2]);
  });
  await t.step("does not modify its inputs", () => {
    const a = tensor([[1, 2], [3, 4]]);
    tensordot(a, a, [[0], [1]]);
    assert.deepEqual(a.toArray(), [[1, 2], [3, 4]]);
  });
  await t.step("derivatives through transpose, reshape and matmul", () => {
    assertGrad((a, b) => tensordot(a, b, [[0, 2], [1, 0]]), [
      randn([2, 3, 4], { seed: 1 }),
      randn([4, 2, 3], { seed: 2 }),
    ]);
  });
  await t.step("errors", () => {
    const cases: [() => unknown, string][] = [
      [
        () => tensordot(zeros([2, 3]), zeros([4, 5]), 1),
        "tensordot: cannot contract [2, 3] with [4, 5] over axes [1] and [0]: axis 1 of a has size 3 but axis 0 of b has size 4; paired axes must have equal sizes",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), 2),
        "tensordot: cannot contract [2, 3] with [3] over 2 axes: a has rank 2 and b has rank 1; use axes ≤ 1",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), -1),
        "tensordot: cannot contract [2, 3] with [3]: axes must be a non-negative integer or a pair of axis lists, got -1",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), 1.5),
        "tensordot: cannot contract [2, 3] with [3]: axes must be a non-negative integer or a pair of axis lists, got 1.5",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), NaN),
        "tensordot: cannot contract [2, 3] with [3]: axes must be a non-negative integer or a pair of axis lists, got NaN",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), [[0, 1], [0]]),
        "tensordot: cannot contract [2, 3] with [3]: axes [0, 1] and [0] have different lengths; give one axis of b for each axis of a",
      ],
      [
        () => tensordot(zeros([2, 3]), zeros([3]), [[2], [0]]),
        "tensordot: cannot contract [2, 3] with [3]: axis 2 is out of bounds for a (rank 2); use an integer in [-2, 1]",
      ],
      [
        () => tensordot(zeros([2, 2]), zeros([2, 2]), [[0, 0], [0, 1]]),
        "tensordot: cannot contract [2, 2] with [2, 2]: axis 0 of a is repeated in [0, 0]",
      ],
      [
        () => tensordot(zeros([2, 2]), zeros([2, 2]), "x" as never),
        'tensordot: cannot contract [2, 2] with [2, 2]: axes must be a non-negative integer or a pair [axesOfA, axesOfB], got "x"',
      ],
    ];
    for (const [f, message] of cases) assert.throws(f, { name: "ShapeError", message });
  });
});

Deno.test("einsum()", async (t) => {
  await t.step("explicit output: product, transpose, sums", () => {
    assert.deepEqual(einsum("ij,jk->ik", A, B).toArray(), [[19, 22], [43, 50]]);
    assert.deepEqual(einsum("ij->ji", A).toArray(), [[1, 3], [2, 4]]);
    assert.equal(einsum("ij->", A).item(), 10);
    assert.deepEqual(einsum("ij->j", A).toArray(), [4, 6]);
    assert.deepEqual(einsum("ij->ij", A).toArray(), A.toArray());
    assert.deepEqual(einsum("ij,jk->ki", A, B).toArray(), [[19, 43], [22, 50]]);
  });
  await t.step("implicit output: letters seen once, alphabetical", () => {
    assert.deepEqual(einsum("ij,jk", A, B).toArray(), [[19, 22], [43, 50]]);
    assert.equal(einsum("ij,ij", A, B).item(), 70);
    assert.deepEqual(einsum("ji", A).toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(einsum("i,j", tensor([1, 2]), tensor([3, 4])).toArray(), [[3, 4], [6, 8]]);
    assert.deepEqual(einsum("Ab", A).toArray(), A.toArray());
  });
  await t.step("repeated letters: trace and diagonal", () => {
    const M = reshape(arange(9), [3, 3]);
    assert.equal(einsum("ii", M).item(), 12);
    assert.deepEqual(einsum("ii->i", M).toArray(), [0, 4, 8]);
    const T = reshape(arange(18), [3, 3, 2]);
    assert.deepEqual(einsum("iij->j", T).toArray(), [0 + 8 + 16, 1 + 9 + 17]);
    assert.deepEqual(einsum("iii->i", reshape(arange(8), [2, 2, 2])).toArray(), [0, 7]);
  });
  await t.step("batches, three operands, scalars, spaces", () => {
    const X = reshape(arange(12), [2, 2, 3]);
    const Y = reshape(arange(12), [2, 3, 2]);
    const got = einsum("bij,bjk->bik", X, Y);
    assert.deepEqual(
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
    assert.deepEqual(einsum("ij,jk,kl->il", A, B, eye(2)).toArray(), [[19, 22], [43, 50]]);
    assert.deepEqual(einsum(",i->i", tensor(2), tensor([1, 2])).toArray(), [2, 4]);
    assert.deepEqual(einsum(" ij , jk -> ik ", A, B).toArray(), [[19, 22], [43, 50]]);
    assert.deepEqual(einsum("i,i,i->", tensor([1, 2]), tensor([3, 4]), tensor([5, 6])).item(), 63);
    // j is shared by operands 0 and 2 only; it must survive the first contraction.
    // Σ_j A[i, j] · (row sums of B)[j] = [1·11 + 2·15, 3·11 + 4·15].
    assert.deepEqual(einsum("ij,k,jk->i", A, tensor([1, 1]), B).toArray(), [41, 93]);
  });
  await t.step("edge shapes: empty axes", () => {
    assert.deepEqual(einsum("ij,jk->ik", zeros([2, 0]), zeros([0, 3])).toArray(), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    assert.deepEqual(einsum("ij->ji", zeros([0, 3])).shape, [3, 0]);
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
    for (const [f, message] of cases) assert.throws(f, { name: "ShapeError", message });
    assert.throws(() => einsum(5 as never, Z), {
      name: "ValueError",
      message: 'einsum: spec must be a string like "ij,jk->ik", got number; pass it first',
    });
    assert.throws(() => einsum("ij", [[1]] as never), {
      name: "ValueError",
      message:
        "einsum: operand 0 must be a Tensor or a number, got an array of length 1; build a tensor with tensor(…)",
    });
  });
  await t.step("agrees with transpose", () => {
    const X = randn([2, 3, 4], { seed: 9 });
    assertAllClose(einsum("ijk->kij", X), transpose(X, [2, 0, 1]));
  });
});
