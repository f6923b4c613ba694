import { assertEquals, assertThrows } from "@std/assert";
import {
  arange,
  cumsum,
  jacfwd,
  jacrev,
  randn,
  reshape,
  ShapeError,
  tensor,
  ValueError,
  zeros,
} from "matcalc";
import { checkOrders } from "./derivs.ts";

Deno.test("cumsum()", async (t) => {
  const A = reshape(arange(6), [2, 3]);
  await t.step("flattened, per axis, negative axis (as numpy.cumsum)", () => {
    assertEquals(cumsum(A).toArray(), [0, 1, 3, 6, 10, 15]);
    assertEquals(cumsum(A, 0).toArray(), [[0, 1, 2], [3, 5, 7]]);
    assertEquals(cumsum(A, 1).toArray(), [[0, 1, 3], [3, 7, 12]]);
    assertEquals(cumsum(A, -1).toArray(), cumsum(A, 1).toArray());
    const B = reshape(arange(8), [2, 2, 2]);
    assertEquals(cumsum(B, 1).toArray(), [[[0, 1], [2, 4]], [[4, 5], [10, 12]]]);
  });
  await t.step("edge shapes: scalar, empty", () => {
    assertEquals(cumsum(tensor(5)).toArray(), [5]);
    assertEquals(cumsum(zeros([0, 3]), 0).shape, [0, 3]);
    assertEquals(cumsum(zeros([2, 0]), 1).shape, [2, 0]);
  });
  await t.step("Jacobian is lower-triangular ones; both modes; order 2 is 0", () => {
    const L = [[1, 0, 0], [1, 1, 0], [1, 1, 1]];
    assertEquals(jacfwd((v) => cumsum(v), tensor([1, 2, 3])).toArray(), L);
    assertEquals(jacrev((v) => cumsum(v), tensor([1, 2, 3])).toArray(), L);
    const x = randn([2, 3, 2], { seed: 6 });
    checkOrders((v) => cumsum(v, 1), x);
    checkOrders((v) => cumsum(v), x);
    assertEquals(jacrev((v) => cumsum(v, 0), A).shape, [2, 3, 2, 3]);
  });
  await t.step("errors", () => {
    assertThrows(() => cumsum(A, 2), ShapeError, "cumsum: axis 2 is out of bounds");
    assertThrows(
      () => cumsum(A, [0, 1] as unknown as number),
      ValueError,
      "cumsum: axis must be one integer",
    );
  });
});
