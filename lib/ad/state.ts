/**
 * @internal Global tracer state. Transforms nest (`hessian` runs `grad` inside `jacobian`), so
 * this is a depth, not a flag.
 */
export const tracerState = {
  /** How many differentiated user functions are running right now. */
  userDepth: 0,
  /** How many transforms are active (a `vjp` pullback called later counts from where it runs). */
  transformDepth: 0,
  /** Whether ops record autodiff nodes; off while an outermost backward pass runs. */
  record: true,
  /** The name of the innermost transform, for error messages. */
  transform: "",
  /** How many public transform calls (grad, vjp, jacobian, …) are running right now. */
  session: 0,
  /**
   * Counts outermost transform calls. Kernels may keep a copy of an operand for the length of
   * one call (the backward product of a training step reuses the forward's batch), and the
   * epoch tells them when a copy belongs to an earlier call, whose buffers users may since have
   * written.
   */
  epoch: 0,
};
