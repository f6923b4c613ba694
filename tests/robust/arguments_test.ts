import { assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  add,
  allClose,
  argmax,
  grad,
  gradientDescent,
  identityJacobian,
  jacobianOfMatmul,
  jvp,
  matmul,
  max,
  mean,
  randn,
  setThreads,
  ShapeError,
  softmax,
  sum,
  sumTo,
  takeRows,
  Tensor,
  tensor,
  transpose,
  unvec,
  ValueError,
  vec,
} from "matcalc";

/**
 * Arguments of the wrong kind, as the REPL and notebooks pass them (no type checker): each must
 * fail loudly, naming the op and what it got, never run with a default instead.
 */
const A = tensor([[1, 2], [3, 4]]);
// deno-lint-ignore no-explicit-any
const js = (v: unknown) => v as any;

Deno.test("options passed positionally or misspelled are refused", () => {
  const cases: [() => unknown, string][] = [
    [() => vec(A, js("C")), 'vec: options must be an object such as { order: … }, got string "C"'],
    [
      () => unvec(tensor([1, 2, 3, 4]), [2, 2], js("C")),
      'unvec: options must be an object such as { order: … }, got string "C"',
    ],
    [
      () => jacobianOfMatmul(A, A, js(1)),
      "jacobianOfMatmul: options must be an object such as { wrt: … }, got number 1",
    ],
    [
      () => allClose(A, A, js(1e-3)),
      "allClose: options must be an object such as { rtol: … }, got number 0.001",
    ],
    [() => randn([2], js(0)), "randn: options must be an object such as { seed: … }, got number 0"],
    [
      () => sum(A, 0, js(true)),
      "sum: options must be an object such as { keepdims: … }, got boolean true",
    ],
    [() => vec(A, js({ ordr: "C" })), 'vec: unknown option "ordr"; the options are order'],
    [
      () => max(A, 0, js({ keepDims: true })),
      'max: unknown option "keepDims"; the options are keepdims',
    ],
  ];
  cases.push([
    () =>
      gradientDescent({
        loss: (w: Tensor) => sum(w),
        params: A,
        lr: 0.1,
        steps: 2,
        ...js({ monitr: null }),
      }),
    'gradientDescent: unknown option "monitr"; the options are loss, params, lr, steps, onStep, ' +
    "metrics, evalEvery, monitor, label, divergence",
  ]);
  for (const [f, message] of cases) assertEquals(assertThrows(f, ValueError).message, message);
  // The options themselves still work.
  assertEquals(vec(A, { order: "C" }).toArray(), [1, 2, 3, 4]);
  assertEquals(mean(A, 0, { keepdims: true }).shape, [1, 2]);
});

Deno.test("axes and permutations of the wrong kind say what they got", () => {
  const cases: [() => unknown, string][] = [
    [() => sum(A, js(null)), "sum: axis must be an integer or an array of integers, got null"],
    [
      () => softmax(A, js({ axis: 0 })),
      "softmax: axis must be an integer or an array of integers, got an object (Object)",
    ],
    [() => sum(A, js("1")), 'sum: axis must be an integer or an array of integers, got string "1"'],
    [
      () => sum(A, js([0, "1"])),
      'sum: axis must be an integer or an array of integers, got string "1" in [0, 1]',
    ],
    [() => argmax(A, js([1])), "argmax: axis must be a single integer, got an array of length 1"],
    [
      () => transpose(A, js(1)),
      "transpose: perm must be an array of axes such as [1, 0], got number 1",
    ],
  ];
  for (const [f, message] of cases) assertEquals(assertThrows(f, ValueError).message, message);
  // NumPy's negative entries in a permutation.
  assertEquals(transpose(randn([2, 3, 4]), [-1, 0, 1]).shape, [4, 2, 3]);
  assertEquals(transpose(A, [-1, -2]).toArray(), [[1, 3], [2, 4]]);
  assertMatch(
    assertThrows(() => transpose(A, [-3, 0]), Error).message,
    /perm \[-3, 0\] is not a permutation/,
  );
});

Deno.test("shapes, tensors and counts of the wrong kind", () => {
  assertEquals(
    assertThrows(() => identityJacobian(js(3)), ShapeError).message,
    "identityJacobian: shape must be an array of non-negative integers, got 3",
  );
  assertMatch(
    assertThrows(() => identityJacobian([2.5]), Error).message,
    /identityJacobian: invalid shape \[2\.5\]/,
  );
  assertMatch(
    assertThrows(() => sumTo(js([1, 2]), [2]), ValueError).message,
    /^sumTo: a must be a Tensor or a number, got an array of length 2/,
  );
  assertEquals(
    assertThrows(() => new Tensor(js(["a", "b"]), [2]), ValueError).message,
    "Tensor: data must be a Float64Array, got an array of length 2; use " +
      "tensor(values), which copies and converts",
  );
  assertMatch(
    assertThrows(() => new Tensor(js(new Float32Array([0.1])), [1]), Error).message,
    /got an object \(Float32Array\)/,
  );
  assertEquals(
    assertThrows(() => setThreads(js("2")), ValueError).message,
    'setThreads: cannot use string "2" threads: expected an integer ≥ 1',
  );
  assertEquals(
    assertThrows(() => jvp((v: Tensor) => v, tensor([1, 2]), js([1, 1])), ValueError).message,
    "jvp: the tangent must be a Tensor shaped like x [2], got an array of numbers; " +
      "wrap it: tensor([1, 1])",
  );
  assertMatch(
    assertThrows(() => takeRows(A, js("0")), Error).message,
    /^takeRows: indices must be an array/,
  );
  // f(a, b) with one input fails deep inside an op with "got undefined": the error says why.
  assertEquals(
    assertThrows(() => grad((a: Tensor, b: Tensor) => sum(add(a, b)), tensor([1])), ValueError)
      .message,
    "add: operand must be a Tensor or a number, got undefined; build a tensor with " +
      "tensor(…) (grad: f declares 2 parameters but 1 input was given, so the others were " +
      "undefined; if it takes several tensors, pass them as an array, e.g. grad(f, [W, b]))",
  );
});

Deno.test("typed arrays and index tensors are read as their numbers", () => {
  assertEquals(tensor(new Float32Array([1, 2.5])).toArray(), [1, 2.5]);
  assertEquals(tensor(new Uint8Array([0, 255])).toArray(), [0, 255]);
  assertMatch(assertThrows(() => tensor(js(new BigInt64Array(2))), Error).message, /BigInt64Array/);
  assertEquals(takeRows(A, tensor([1, 0])).toArray(), [[3, 4], [1, 2]]);
  assertEquals(takeRows(A, js(new Int32Array([1]))).toArray(), [[3, 4]]);
  assertEquals(
    assertThrows(() => takeRows(A, [1.5]), Error).message,
    "takeRows: index 1.5 (position 0) is not an integer row number",
  );
  assertEquals(takeRows(A, argmax(tensor([[0, 1], [5, 0]]), 1)).toArray(), [[3, 4], [1, 2]]);
  assertEquals(matmul(tensor(new Int32Array([1, 2])), A).toArray(), [7, 10]);
});
