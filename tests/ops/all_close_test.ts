import assert from "@matcalc/assert";
import { allClose, assertAllClose, tensor, zeros } from "matcalc";

Deno.test("allClose()", async (t) => {
  await t.step("numpy rule |a − b| ≤ atol + rtol·|b|", () => {
    assert.equal(allClose(tensor([1, 2]), tensor([1, 2])), true);
    assert.equal(allClose(tensor([1e10]), tensor([1.00001e10])), true);
    assert.equal(allClose(tensor([1e-8]), tensor([1e-9])), true); // atol dominates
    assert.equal(allClose(tensor([1, 2]), [1, 2.1]), false);
    assert.equal(allClose(tensor([1, 2]), [1, 2.1], { atol: 0.2 }), true);
    assert.equal(allClose(tensor([100]), [101], { rtol: 0.01, atol: 0 }), true);
    assert.equal(allClose(tensor([100]), [102], { rtol: 0.01, atol: 0 }), false);
    // Asymmetric: b is the reference.
    assert.equal(allClose(tensor([0]), [1], { rtol: 1, atol: 0 }), true);
    assert.equal(allClose(tensor([1]), [0], { rtol: 1, atol: 0 }), false);
  });
  await t.step("broadcasting, numbers and nested arrays", () => {
    assert.equal(allClose(tensor([[1, 1], [1, 1]]), 1), true);
    assert.equal(allClose(tensor([[1, 2], [1, 2]]), tensor([1, 2])), true);
    assert.equal(allClose(3, [[3, 3]]), true);
  });
  await t.step("NaN and infinities", () => {
    assert.equal(allClose(tensor([NaN]), tensor([NaN])), false);
    assert.equal(allClose(tensor([NaN]), tensor([NaN]), { equalNan: true }), true);
    assert.equal(allClose(tensor([NaN]), tensor([1]), { equalNan: true }), false);
    assert.equal(allClose(tensor([Infinity]), tensor([Infinity])), true);
    assert.equal(allClose(tensor([Infinity]), tensor([-Infinity])), false);
    assert.equal(allClose(tensor([Infinity]), tensor([1e308])), false);
  });
  await t.step("empty tensors are trivially close", () => {
    assert.equal(allClose(zeros([0, 3]), zeros([0, 3])), true);
  });
  await t.step("errors", () => {
    assert.throws(() => allClose(zeros([2]), zeros([3])), {
      name: "ShapeError",
      message:
        "allClose: cannot broadcast [2] with [3]: axis -1 has sizes 2 and 3; sizes must match or one must be 1 (reshape or transpose one operand)",
    });
    assert.throws(() => allClose(zeros([2]), zeros([2]), { rtol: -1 }), {
      name: "ValueError",
      message: "allClose: rtol must be a finite number ≥ 0, got -1",
    });
    assert.throws(() => allClose(zeros([2]), zeros([2]), { atol: NaN }), {
      name: "ValueError",
      message: "allClose: atol must be a finite number ≥ 0, got NaN",
    });
    assert.throws(() => allClose("a" as never, zeros([2])), {
      name: "ValueError",
      message: "allClose: a must be a Tensor, a number or nested arrays of numbers, got string",
    });
  });
});

Deno.test("assertAllClose()", async (t) => {
  await t.step("passes silently when close", () => {
    assertAllClose(tensor([0.1 + 0.2]), [0.3]);
    assertAllClose(tensor([[1, 2]]), tensor([[1, 2 + 1e-9]]));
    assertAllClose(tensor([2, 2]), 2);
    assertAllClose(tensor([NaN]), [NaN], { equalNan: true });
  });
  await t.step("reports the worst index, both values, the difference and the tolerance", () => {
    assert.throws(() => assertAllClose(tensor([[1, 2], [3, 4]]), tensor([[1, 2.5], [3, 4.1]])), {
      name: "Error",
      message:
        "assertAllClose: 2 of 4 elements differ; worst at [0, 1]: actual 2, expected 2.5, |difference| 0.5 > tolerance 0.00002501 (atol 1e-8 + rtol 0.00001 · |expected|)",
    });
    assert.throws(() => assertAllClose(tensor([1]), 2, { msg: "grad of W", rtol: 0, atol: 0.5 }), {
      message:
        "assertAllClose: 1 of 1 elements differ (grad of W); worst at [0]: actual 1, expected 2, |difference| 1 > tolerance 0.5 (atol 0.5 + rtol 0 · |expected|)",
    });
  });
  await t.step("NaN is reported as such", () => {
    assert.throws(() => assertAllClose(tensor([1, NaN]), tensor([1, 2])), {
      message:
        "assertAllClose: 1 of 2 elements differ; worst at [1]: actual NaN, expected 2, NaN is never close (set equalNan to accept NaN = NaN)",
    });
  });
  await t.step("shapes must match unless one side is a scalar", () => {
    assert.throws(() => assertAllClose(zeros([3]), zeros([3, 1])), {
      name: "ShapeError",
      message:
        "assertAllClose: cannot compare actual of shape [3] with expected of shape [3, 1]: shapes must be equal (or one a scalar)",
    });
  });
});
