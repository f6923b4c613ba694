/**
 * @internal Two private primitives that let transforms assemble a Jacobian from its rows or
 * columns *differentiably*, so that `jacfwd(x => jacrev(f, x))` can see through the assembly.
 * They are each other's derivative: the VJP of stacking takes rows, the VJP of taking a row
 * stacks it with zero rows. Top-level transforms skip them and copy buffers directly.
 */
import { raw, Tensor } from "../tensor.ts";
import { zeros } from "../creation.ts";
import { bind, type Primitive } from "./node.ts";

const stackPrim: Primitive = {
  name: "stack",
  forward: (xs) => {
    const n = xs[0].size;
    const out = new Float64Array(xs.length * n);
    xs.forEach((x, i) => out.set(raw(x), i * n));
    return new Tensor(out, [xs.length, ...xs[0].shape]);
  },
  vjp: (g, xs) => xs.map((_, i) => row(g, i)),
  jvp: (ts) => stack(ts),
};

const rowPrim: Primitive<number> = {
  name: "row",
  forward: ([a], i) => {
    const n = a.size / a.shape[0];
    return new Tensor(raw(a).slice(i * n, (i + 1) * n), a.shape.slice(1));
  },
  vjp: (g, [a], _out, i) => [
    stack(Array.from({ length: a.shape[0] }, (_, k) => (k === i ? g : zeros(g.shape)))),
  ],
  jvp: ([da], _a, _out, i) => row(da, i),
};

/** @internal Stacks equally shaped tensors along a new axis 0 (at least one tensor). */
export function stack(xs: readonly Tensor[]): Tensor {
  return bind(stackPrim, xs, undefined);
}

/** @internal `a[i]`, the `i`-th slice along axis 0. */
export function row(a: Tensor, i: number): Tensor {
  return bind(rowPrim, [a], i);
}
