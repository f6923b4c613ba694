/**
 * matcalc: float64 tensors, Kronecker/vec algebra and explicit Jacobians, for seeing how matrix
 * calculus works.
 *
 * Jacobian convention, used by every function that returns one: `jacobian(f, x).shape` is
 * `[...f(x).shape, ...x.shape]`, so for `y = W x` with `W: [m, n]` it is `[m, m, n]`.
 *
 * @module
 */
export { ShapeError, ValueError } from "./shape_error.ts";
export { type NestedArray, Tensor } from "./tensor.ts";
export { arange, eye, full, linspace, ones, tensor, zeros } from "./creation.ts";
export { rand, randn, type RandomOptions } from "./random.ts";

export type { Operand } from "./ops/operand.ts";
export { add } from "./ops/add.ts";
export { sub } from "./ops/sub.ts";
export { mul } from "./ops/mul.ts";
export { div } from "./ops/div.ts";
export { neg } from "./ops/neg.ts";
export { abs, exp, log, relu, sigmoid, sign, sqrt, square, step, tanh } from "./ops/unary.ts";
export { sum } from "./ops/sum.ts";
export { mean } from "./ops/mean.ts";
export { broadcastTo } from "./ops/broadcast_to.ts";
export { sumTo } from "./ops/sum_to.ts";
export { reshape } from "./ops/reshape.ts";
export { transpose } from "./ops/transpose.ts";
export { matmul } from "./ops/matmul.ts";
export { outer } from "./ops/outer.ts";

export { stopGradient } from "./ad/engine.ts";
export { grad, type TensorFn, valueAndGrad } from "./ad/grad.ts";
export { vjp } from "./ad/vjp.ts";
export { jvp } from "./ad/jvp.ts";
