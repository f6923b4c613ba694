// tanh's reverse rule runs as one loop in the outermost sweep (lib/ops/unary.ts: fusedVjp) and as
// matcalc ops when an enclosing transform records it; both must give the same bits, NaN,
// infinities and signed zeros included.
import { assert, assertEquals } from "@std/assert";
import { grad, jvp, mul, sub, sum, tanh, type Tensor, tensor, vjp } from "../../lib/mod.ts";

const X = tensor([0, -0, 0.5, -3, 20, -20, 1e-300, Infinity, -Infinity, NaN, 0.1, 2]);
const G = tensor([1, -2, 0.25, 3, -1, 2, 5, 1, -1, 1, Infinity, -0]);

function sameBits(a: Tensor, b: Tensor, what: string) {
  assertEquals(a.shape, b.shape, what);
  a.data.forEach((v, i) => assert(Object.is(v, b.data[i]), `${what}[${i}]: ${v} vs ${b.data[i]}`));
}

Deno.test("tanh's fused reverse rule gives the traced rule's bits", () => {
  // Outermost sweep: the fused loop.
  const fused = vjp(tanh, X)[1](G);
  // The rule written out with matcalc ops, as the traced sweep runs it.
  const y = tanh(X);
  sameBits(fused, mul(G, sub(1, mul(y, y))), "fused vs ops");
  // Inside an enclosing transform the sweep records, so the traced rule runs: the gradient
  // computed under jvp (forward over reverse) has the same value as the outermost one.
  const w = tensor(Array.from(G.data));
  const f = (x: Tensor) => sum(mul(w, tanh(x)));
  const [gOuter] = [grad(f, X)];
  const [gInner] = jvp((x: Tensor) => grad(f, x), [X], [tensor(new Array(X.size).fill(0))]);
  sameBits(gOuter, gInner, "outermost vs recorded");
});
