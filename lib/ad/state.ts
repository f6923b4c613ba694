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
};
