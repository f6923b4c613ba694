import { assertEquals, assertThrows } from "@std/assert";
import { grad, randn, ShapeError, tensor, trace, zeros } from "matcalc";

Deno.test("trace()", async (t) => {
  await t.step("square and rectangular matrices", () => {
    assertEquals(trace(tensor([[1, 2], [3, 4]])).item(), 5);
    assertEquals(trace(tensor([[1, 2, 3], [4, 5, 6]])).item(), 6);
  });
  await t.step("d tr(A)/dA = I", () => {
    const A = randn([3, 3], { seed: 1 });
    assertEquals(grad(trace, A).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
  await t.step("errors", () => {
    assertEquals(
      assertThrows(() => trace(zeros([3])), ShapeError).message,
      "trace: cannot take the trace of a tensor of shape [3]: it needs a matrix (rank 2); " +
        "use einsum for traces over other axes",
    );
  });
});
