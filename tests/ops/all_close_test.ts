import { assertEquals, assertThrows } from "@std/assert";
import { allClose, assertAllClose, ShapeError, tensor, ValueError, zeros } from "matcalc";

Deno.test("allClose()", async (t) => {
  await t.step("numpy rule |a − b| ≤ atol + rtol·|b|", () => {
    assertEquals(allClose(tensor([1, 2]), tensor([1, 2])), true);
    assertEquals(allClose(tensor([1e10]), tensor([1.00001e10])), true);
    assertEquals(allClose(tensor([1e-8]), tensor([1e-9])), true); // atol dominates
    assertEquals(allClose(tensor([1, 2]), [1, 2.1]), false);
    assertEquals(allClose(tensor([1, 2]), [1, 2.1], { atol: 0.2 }), true);
    assertEquals(allClose(tensor([100]), [101], { rtol: 0.01, atol: 0 }), true);
    assertEquals(allClose(tensor([100]), [102], { rtol: 0.01, atol: 0 }), false);
    // Asymmetric: b is the reference.
    assertEquals(allClose(tensor([0]), [1], { rtol: 1, atol: 0 }), true);
    assertEquals(allClose(tensor([1]), [0], { rtol: 1, atol: 0 }), false);
  });
  await t.step("broadcasting, numbers and nested arrays", () => {
    assertEquals(allClose(tensor([[1, 1], [1, 1]]), 1), true);
    assertEquals(allClose(tensor([[1, 2], [1, 2]]), tensor([1, 2])), true);
    assertEquals(allClose(3, [[3, 3]]), true);
  });
  await t.step("NaN and infinities", () => {
    assertEquals(allClose(tensor([NaN]), tensor([NaN])), false);
    assertEquals(allClose(tensor([NaN]), tensor([NaN]), { equalNan: true }), true);
    assertEquals(allClose(tensor([NaN]), tensor([1]), { equalNan: true }), false);
    assertEquals(allClose(tensor([Infinity]), tensor([Infinity])), true);
    assertEquals(allClose(tensor([Infinity]), tensor([-Infinity])), false);
    assertEquals(allClose(tensor([Infinity]), tensor([1e308])), false);
  });
  await t.step("empty tensors are trivially close", () => {
    assertEquals(allClose(zeros([0, 3]), zeros([0, 3])), true);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => allClose(zeros([2]), zeros([3])), ShapeError).message,
      "allClose: cannot broadcast [2] with [3]: axis -1 has sizes 2 and 3; sizes must match or one must be 1 (reshape or transpose one operand)",
    );
    assertEquals(
      assertThrows(() => allClose(zeros([2]), zeros([2]), { rtol: -1 }), ValueError).message,
      "allClose: rtol must be a finite number ≥ 0, got -1",
    );
    assertEquals(
      assertThrows(() => allClose(zeros([2]), zeros([2]), { atol: NaN }), ValueError).message,
      "allClose: atol must be a finite number ≥ 0, got NaN",
    );
    assertEquals(
      assertThrows(() => allClose("a" as never, zeros([2])), ValueError).message,
      "allClose: a must be a Tensor, a number or nested arrays of numbers, got string",
    );
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
    assertEquals(
      assertThrows(
        () => assertAllClose(tensor([[1, 2], [3, 4]]), tensor([[1, 2.5], [3, 4.1]])),
        Error,
      ).message,
      "assertAllClose: 2 of 4 elements differ; worst at [0, 1]: actual 2, expected 2.5, |difference| 0.5 > tolerance 0.00002501 (atol 1e-8 + rtol 0.00001 · |expected|)",
    );
    assertEquals(
      assertThrows(
        () => assertAllClose(tensor([1]), 2, { msg: "grad of W", rtol: 0, atol: 0.5 }),
        Error,
      ).message,
      "assertAllClose: 1 of 1 elements differ (grad of W); worst at [0]: actual 1, expected 2, |difference| 1 > tolerance 0.5 (atol 0.5 + rtol 0 · |expected|)",
    );
  });
  await t.step("NaN is reported as such", () => {
    assertEquals(
      assertThrows(() => assertAllClose(tensor([1, NaN]), tensor([1, 2])), Error).message,
      "assertAllClose: 1 of 2 elements differ; worst at [1]: actual NaN, expected 2, NaN is never close (set equalNan to accept NaN = NaN)",
    );
  });
  await t.step("shapes must match unless one side is a scalar", () => {
    assertEquals(
      assertThrows(() => assertAllClose(zeros([3]), zeros([3, 1])), ShapeError).message,
      "assertAllClose: cannot compare actual of shape [3] with expected of shape [3, 1]: shapes must be equal (or one a scalar)",
    );
  });
});
