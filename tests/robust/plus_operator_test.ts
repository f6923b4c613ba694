/**
 * Issue 17.10: `+` on a tensor that is not a single number throws, as `*` does, instead of
 * silently joining the printed tensors as text. JavaScript passes the same hint ("default") for
 * `a + b` and `"W = " + W`, so text takes a template literal or String(W).
 */
// deno-lint-ignore-file no-explicit-any
import { assertEquals, assertThrows } from "@std/assert";
import { add, ShapeError, sum, type Tensor, tensor, zeros } from "matcalc";

const js = (t: Tensor) => t as any;
const MESSAGE = (shape: string) =>
  `Tensor: cannot use + (or ==) on a tensor of shape ${shape}: JavaScript would join the ` +
  `printed tensors as text; use add(a, b) for the elementwise sum, and \`\${W}\` or String(W) ` +
  `for text`;

Deno.test("+ on a tensor of any other size than 1 throws", async (t) => {
  const a = tensor([1, 2]), b = tensor([3, 4]);
  const cases: [string, () => unknown, string][] = [
    ["tensor + tensor (the issue's case)", () => js(a) + js(b), "[2]"],
    ["tensor + number", () => js(a) + 1, "[2]"],
    ["number + tensor", () => 1 + js(a), "[2]"],
    ["string + tensor", () => "W = " + js(a), "[2]"],
    ["tensor + string", () => js(a) + " is W", "[2]"],
    ["a matrix", () => js(tensor([[1, 2], [3, 4]])) + js(b), "[2, 2]"],
    ["an empty tensor", () => js(zeros([0])) + 1, "[0]"],
    ["== against a number", () => js(a) == 3, "[2]"],
    ["+=", () => {
      let c = js(a);
      c += js(b);
      return c;
    }, "[2]"],
  ];
  for (const [name, call, shape] of cases) {
    await t.step(name, () => {
      assertThrows(call, ShapeError, MESSAGE(shape));
    });
  }
  await t.step("* still throws with its own message", () => {
    assertThrows(
      () => js(a) * 2,
      ShapeError,
      "Tensor: cannot use a tensor of shape [2] as a number",
    );
  });
});

Deno.test("what keeps working", async (t) => {
  await t.step("size-1 tensors act as numbers, also with +", () => {
    assertEquals(js(tensor(1)) + js(tensor(2)), 3);
    assertEquals(js(tensor([[5]])) + 1, 6);
    assertEquals("loss " + js(sum(tensor([0.25, 0.25]))), "loss 0.5");
  });
  await t.step("text through a template literal or String()", () => {
    const W = tensor([1, 2]);
    assertEquals(`${W}`, W.toString());
    assertEquals("W = " + String(W), `W = ${W.toString()}`);
  });
  await t.step("add is the elementwise sum", () => {
    assertEquals(add(tensor([1, 2]), tensor([3, 4])).toArray(), [4, 6]);
  });
  await t.step("== between two tensors compares identity, as for any object", () => {
    const a = tensor([1]);
    assertEquals(js(a) == js(a), true);
    assertEquals(js(a) == js(tensor([1])), false);
  });
});
