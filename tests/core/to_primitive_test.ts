import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  grad,
  mean,
  ShapeError,
  stopGradient,
  sum,
  type Tensor,
  tensor,
  ValueError,
} from "matcalc";

/**
 * What JavaScript does with a tensor where it wants a primitive (`<`, `*`, `+`, templates), as
 * in the REPL and notebooks; TypeScript's checker refuses `tensor < number`, hence `js()`.
 */
const js = (t: Tensor) => t as unknown as number;
Deno.test("Tensor as a JavaScript primitive", async (t) => {
  await t.step("a size-1 tensor acts as its number", () => {
    const loss = sum(tensor([0.25, 0.25]));
    const best = 1;
    assertEquals(js(loss) < best, true);
    assertEquals(js(loss) > 0, true);
    assertEquals(Number(loss), 0.5);
    assertEquals(+loss * 2, 1);
    assertEquals(Number(tensor([[3]])), 3);
    assertEquals("loss " + loss, "loss 0.5");
  });

  await t.step("text contexts get the printed tensor", () => {
    const W = tensor([1, 2, 3]);
    assertStrictEquals(`${W}`, W.toString());
    assertEquals("W = " + String(W), `W = ${W.toString()}`);
    assertStrictEquals(`${mean(W)}`, mean(W).toString());
  });

  await t.step("any other size throws instead of giving NaN", () => {
    const W = tensor([1, 2, 3]);
    for (const f of [() => Number(W), () => +W, () => js(W) < 2]) {
      assertEquals(
        assertThrows(f, ShapeError).message,
        "Tensor: cannot use a tensor of shape [3] as a number (in <, *, Number(), …): " +
          "it has 3 elements, not 1; use matcalc ops (mul, add, …) for elementwise arithmetic, " +
          "or sum()/item() for one number",
      );
    }
    assertThrows(() => Number(tensor([])), ShapeError);
  });

  await t.step("inside grad, a traced number is refused; stopGradient opts out", () => {
    const w = tensor([1, -2]);
    // `s * 2` would drop the derivative: the escape error says so.
    assertThrows(() => grad((v: Tensor) => js(sum(v)) * 2 as never, w), ValueError);
    // Control flow on a value, made explicit, keeps the derivative of the branch taken.
    const g = grad((v: Tensor) => (Number(stopGradient(sum(v))) < 0 ? sum(v) : mean(v)), w);
    assertEquals(g.toArray(), [1, 1]);
  });

  await t.step("JSON.stringify writes nested arrays", () => {
    assertEquals(JSON.stringify(tensor([[1, 2], [3, 4]])), "[[1,2],[3,4]]");
    assertEquals(JSON.stringify({ loss: tensor(0.5) }), '{"loss":0.5}');
  });
});
