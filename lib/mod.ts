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
export { getThreads, setThreads } from "./kernels/threads.ts";
export { max, min } from "./ops/max.ts";
export { argmax } from "./ops/argmax.ts";
export { trace } from "./ops/trace.ts";
export { dot } from "./ops/dot.ts";
export { tensordot, type TensordotAxes } from "./ops/tensordot.ts";
export { einsum } from "./ops/einsum.ts";
export { kron } from "./ops/kron.ts";
export { commutation, unvec, vec, type VecOptions } from "./ops/vec.ts";
export { allClose, assertAllClose, type CloseOptions, type Comparable } from "./ops/all_close.ts";
export { concat, slice, stack } from "./ops/slice.ts";
export { clip, pow, where } from "./ops/elementwise_extra.ts";
export { scale } from "./ops/scale.ts";

export { stopGradient } from "./ad/engine.ts";
export { grad, type TensorFn, valueAndGrad } from "./ad/grad.ts";
export { vjp } from "./ad/vjp.ts";
export { jvp } from "./ad/jvp.ts";
export { jacfwd, jacobian, jacrev } from "./ad/jacobian.ts";
export { hessian } from "./ad/hessian.ts";
export {
  DEFAULT_FD_EPS,
  numericalGrad,
  numericalJacobian,
  type NumericalOptions,
} from "./ad/numerical.ts";
export {
  assertGrad,
  checkGrad,
  type CheckGradOptions,
  GradCheckError,
  GradCheckReport,
  type GradCheckWorst,
  type GradMode,
} from "./ad/check_grad.ts";
export { DEFAULT_DENSE_BUDGET, getDenseBudget, setDenseBudget } from "./ad/budget.ts";
export {
  DiagonalJacobian,
  diagonalJacobian,
  IdentityJacobian,
  identityJacobian,
  jacobianOfMatmul,
  KronJacobian,
  kronJacobian,
  StructuredJacobian,
} from "./ad/structured.ts";
export { fromLayout, type Layout, toLayout, toVecMatrix } from "./ad/layout.ts";
export { logsumexp } from "./nn/logsumexp.ts";
export { logSoftmax, softmax } from "./nn/softmax.ts";
export { crossEntropy } from "./nn/cross_entropy.ts";
export { mse } from "./nn/mse.ts";

export {
  gradientDescent,
  type GradientDescentOptions,
  type HistoryEntry,
  type StepInfo,
  type Stopped,
  TrainingError,
  type TrainingMonitor,
  type TrainResult,
} from "./train/gradient_descent.ts";
export { minibatches, type MinibatchOptions, takeRows } from "./train/minibatches.ts";
