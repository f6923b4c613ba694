import type { Tensor } from "../tensor.ts";
import { tracerState } from "./state.ts";

/**
 * @internal A primitive op: its forward computation and its two derivative rules, side by side.
 *
 * Shape convention for the rules: `vjp` returns one cotangent per input with the shape of the
 * *output's broadcast view* of that input or the input's own shape; the engine sums broadcast
 * axes away, so rules never deal with broadcasting. `jvp` receives one tangent per input (zeros
 * are materialized for constant inputs) and returns the output's tangent.
 * Rules must be written with matcalc ops, never with raw buffers, so that they are themselves
 * differentiable: that is what makes `hessian` (reverse over reverse, forward over reverse) work.
 */
export interface Primitive<P = undefined> {
  readonly name: string;
  forward(inputs: readonly Tensor[], params: P): Tensor;
  vjp(g: Tensor, inputs: readonly Tensor[], out: Tensor, params: P): (Tensor | null)[];
  jvp(tangents: readonly Tensor[], inputs: readonly Tensor[], out: Tensor, params: P): Tensor;
}

/** @internal Which primitive made a traced tensor, from which inputs, with which parameters. */
export class Node {
  constructor(
    // deno-lint-ignore no-explicit-any
    readonly prim: Primitive<any>,
    readonly inputs: readonly Tensor[],
    readonly params: unknown,
  ) {}
}

/**
 * @internal Runs a primitive: computes the forward value and, when any input is traced and
 * recording is on, remembers how it was made.
 */
export function bind<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
  const out = prim.forward(inputs, params);
  if (tracerState.record) {
    for (const t of inputs) {
      if (t._node !== undefined) {
        out._node = new Node(prim, inputs, params);
        break;
      }
    }
  }
  return out;
}
