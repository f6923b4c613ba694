/**
 * Issue 16.5: reductions of empty inputs never return a silent NaN. A mean over an empty axis
 * (0/0) throws a ValueError naming the op and the shape, as max/min/argmax already did; mse and
 * crossEntropy of an empty batch say so in their own name. Reductions with a defined value on
 * empty input keep it: sum is 0, logsumexp is −∞ (log of an empty sum), softmax is empty.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  argmax,
  crossEntropy,
  logSoftmax,
  logsumexp,
  max,
  mean,
  min,
  mse,
  softmax,
  sum,
  tensor,
  ValueError,
  zeros,
} from "matcalc";

Deno.test("reductions over an empty axis throw, naming the op and shape", async (t) => {
  const cases: [string, () => unknown, string][] = [
    [
      "mean of [0]",
      () => mean(zeros([0])),
      "mean: cannot average a tensor of shape [0] over axes [0]",
    ],
    [
      "mean of [0, 3]",
      () => mean(zeros([0, 3])),
      "mean: cannot average a tensor of shape [0, 3] over axes [0, 1]",
    ],
    [
      "mean of [2, 0] over axis 1",
      () => mean(zeros([2, 0]), 1),
      "mean: cannot average a tensor of shape [2, 0] over axes [1]",
    ],
    [
      "mean of [2, 0] over axis −1, keepdims",
      () => mean(zeros([2, 0]), -1, { keepdims: true }),
      "over axes [1]",
    ],
    [
      "mean of [0, 0] over axis 0",
      () => mean(zeros([0, 0]), 0),
      "mean: cannot average a tensor of shape [0, 0] over axes [0]",
    ],
    [
      "mean over axes [0, 1] of [3, 0, 2]",
      () => mean(zeros([3, 0, 2]), [0, 1]),
      "over axes [0, 1]",
    ],
    [
      "mse of [0]",
      () => mse(zeros([0]), zeros([0])),
      "mse: pred and target of shape [0] are empty",
    ],
    [
      "mse of [0, 4]",
      () => mse(zeros([0, 4]), zeros([0, 4])),
      "mse: pred and target of shape [0, 4] are empty",
    ],
    [
      "crossEntropy of [0, 3] with indices",
      () => crossEntropy(zeros([0, 3]), []),
      "crossEntropy: logits of shape [0, 3] hold no examples",
    ],
    [
      "crossEntropy of [0, 3] one-hot",
      () => crossEntropy(zeros([0, 3]), zeros([0, 3])),
      "crossEntropy: logits of shape [0, 3] hold no examples",
    ],
    [
      "crossEntropy of [2, 0, 3]",
      () => crossEntropy(zeros([2, 0, 3]), zeros([2, 0])),
      "crossEntropy: logits of shape [2, 0, 3] hold no examples",
    ],
    [
      "crossEntropy with no classes",
      () => crossEntropy(zeros([2, 0]), zeros([2, 0])),
      "crossEntropy: logits of shape [2, 0] have no classes",
    ],
    ["max of [0]", () => max(zeros([0])), "max: cannot reduce a tensor of shape [0] over axes [0]"],
    [
      "min of [2, 0] over axis 1",
      () => min(zeros([2, 0]), 1),
      "min: cannot reduce a tensor of shape [2, 0] over axes [1]",
    ],
    [
      "argmax of [0]",
      () => argmax(zeros([0])),
      "argmax: cannot take the argmax of an empty tensor",
    ],
  ];
  for (const [name, call, message] of cases) {
    await t.step(name, () => {
      assertThrows(call, ValueError, message);
    });
  }
});

Deno.test("reductions with a defined value on empty input keep it", async (t) => {
  await t.step("a mean over non-empty axes of an empty tensor is empty, not NaN", () => {
    const r = mean(zeros([0, 3]), 1);
    assertEquals(r.shape, [0]);
    assertEquals(mean(zeros([3, 0]), 0).shape, [0]);
  });
  await t.step("sum is 0", () => {
    assertEquals(sum(zeros([0])).item(), 0);
    assertEquals(sum(zeros([2, 0]), 1).toArray(), [0, 0]);
  });
  await t.step("logsumexp is −∞, the log of an empty sum (as scipy)", () => {
    assertEquals(logsumexp(zeros([0])).item(), -Infinity);
    assertEquals(logsumexp(zeros([2, 0]), 1).toArray(), [-Infinity, -Infinity]);
  });
  await t.step("softmax and logSoftmax of an empty axis are empty", () => {
    assertEquals(softmax(zeros([0])).shape, [0]);
    assertEquals(logSoftmax(zeros([2, 0])).shape, [2, 0]);
  });
  await t.step("non-empty inputs are unaffected", () => {
    assertEquals(mean(tensor([1, 2, 3, 4])).item(), 2.5);
    assertEquals(mse(tensor([1, 2]), tensor([1, 4])).item(), 2);
  });
});
