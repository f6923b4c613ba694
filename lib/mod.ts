/**
 * matcalc: float64 tensors, Kronecker/vec algebra and explicit Jacobians, for seeing how matrix
 * calculus works.
 *
 * Jacobian convention, used by every function that returns one: `jacobian(f, x).shape` is
 * `[...f(x).shape, ...x.shape]`, so for `y = W x` with `W: [m, n]` it is `[m, m, n]`.
 *
 * Transforms take the function and the point together, `grad(f, x)` (JAX writes
 * `jax.grad(f)(x)`); pass `[W, b]` to differentiate by several arguments of `f`.
 *
 * @example The question matcalc starts from: ∂y/∂W for y = W x
 * ```ts
 * import { jacobian, matmul, randn, tensor } from "matcalc";
 * import { assertEquals } from "@std/assert";
 *
 * const W = randn([2, 3], { seed: 0 }), x = tensor([1, 2, 3]);
 * const J = jacobian((W) => matmul(W, x), W);
 * assertEquals(J.shape, [2, 2, 3]); // J[i, j, k] = δ_ij x_k
 * console.log(J);
 * // Tensor([[[1, 2, 3],
 * //          [0, 0, 0]],
 * //
 * //         [[0, 0, 0],
 * //          [1, 2, 3]]], shape=[2, 2, 3])
 * assertEquals(J.toArray(), [
 *   [[1, 2, 3], [0, 0, 0]], // ∂y_0/∂W: x in row 0
 *   [[0, 0, 0], [1, 2, 3]], // ∂y_1/∂W: x in row 1
 * ]);
 * ```
 *
 * @module
 */

// Tensors, errors, creation
export { ShapeError, ValueError } from "./errors.ts";
export { type NestedArray, Tensor } from "./tensor.ts";
export { arange, eye, full, linspace, ones, tensor, zeros } from "./creation.ts";
export { rand, randn, type RandomOptions } from "./random.ts";

// Elementwise (NumPy broadcasting)
export type { Operand } from "./ops/operand.ts";
export { add } from "./ops/add.ts";
export { sub } from "./ops/sub.ts";
export { mul } from "./ops/mul.ts";
export { div } from "./ops/div.ts";
export { neg } from "./ops/neg.ts";
export { scale } from "./ops/scale.ts";
export { abs, exp, log, relu, sigmoid, sign, sqrt, square, step, tanh } from "./ops/unary.ts";
export { pow } from "./ops/pow.ts";
export { clip } from "./ops/clip.ts";
export { where } from "./ops/where.ts";
export { maximum, minimum } from "./ops/maximum.ts";

// Reductions
export { sum } from "./ops/sum.ts";
export { prod } from "./ops/prod.ts";
export { mean } from "./ops/mean.ts";
export { max, min } from "./ops/max.ts";
export { argmax } from "./ops/argmax.ts";

// Movement
export { broadcastTo, sumTo } from "./ops/sum.ts";
export { reshape } from "./ops/reshape.ts";
export { transpose } from "./ops/transpose.ts";
export { concat, slice, stack } from "./ops/slice.ts";

// Indexing as in NumPy (also Tensor's .T, .ndim and .get(i, j, …))
export { expandDims, squeeze } from "./ops/squeeze.ts";
export { take } from "./ops/take.ts";
import "./ops/indexing.ts";

// Products and contractions
export { matmul } from "./ops/matmul.ts";
export { dot } from "./ops/dot.ts";
export { outer } from "./ops/outer.ts";
export { trace } from "./ops/trace.ts";
export { tensordot, type TensordotAxes } from "./ops/tensordot.ts";
export { einsum } from "./ops/einsum.ts";

// Kronecker and vec algebra
export { kron } from "./ops/kron.ts";
export { commutation, unvec, vec, type VecOptions } from "./ops/vec.ts";

// Printing (NumPy's print options)
export { getPrintOptions, type PrintOptions, setPrintOptions, withPrintOptions } from "./format.ts";

// Comparison
export { allClose, assertAllClose, type CloseOptions, type Comparable } from "./ops/all_close.ts";

// Trigonometric, hyperbolic, log/exp and matrix helpers (issue 14, linalg2)
export { arctan, arctan2, cos, sin, tan } from "./ops/trig.ts";
export { cosh, sinh } from "./ops/hyperbolic.ts";
export { expm1, log1p, softplus } from "./ops/log_exp.ts";
export { cumsum } from "./ops/cumsum.ts";
export { tril, triu } from "./ops/triangular.ts";
export { diag, diagonal } from "./ops/diagonal.ts";

// Norms, matrix functions and their derivatives (issue 14, linalg2)
export { norm, type NormOptions, type NormOrder } from "./linalg/norm.ts";
export { expm } from "./linalg/expm.ts";
export { frechet } from "./linalg/frechet.ts";
export { matrixPower } from "./linalg/matrix_power.ts";
export { pinv } from "./linalg/pinv.ts";
export { KronHessian, leastSquaresHessian } from "./ad/kron_hessian.ts";
import "./linalg/result_display.ts"; // eigh/svd/qr/slogdet results display as labelled tensors

// Autodiff
export { stopGradient } from "./ad/engine.ts";
export { grad, type TensorFn, valueAndGrad } from "./ad/grad.ts";
export { vjp } from "./ad/vjp.ts";
export { jvp } from "./ad/jvp.ts";
export { jacfwd, jacobian, jacrev } from "./ad/jacobian.ts";
export { hessian } from "./ad/hessian.ts";

// Checking derivatives numerically
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

// Structured Jacobians, layouts and the dense budget
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
export { DEFAULT_DENSE_BUDGET, getDenseBudget, setDenseBudget } from "./ad/budget.ts";

// Losses and softmax
export { logsumexp } from "./nn/logsumexp.ts";
export { logSoftmax, softmax } from "./nn/softmax.ts";
export { crossEntropy } from "./nn/cross_entropy.ts";
export { mse } from "./nn/mse.ts";

// Training
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

// Symbolic: matrix calculus by differentials, step by step
export { derive, type DeriveOptions } from "./symbolic/derive.ts";
export { Derivation, type DerivationStep, type SymbolicValues } from "./symbolic/derivation.ts";
export { SymbolicCheck } from "./symbolic/check.ts";
export type { Kind as SymbolicKind } from "./symbolic/expr.ts";

// Performance
export { getThreads, maxThreads, setThreads } from "./backend/threads.ts";

// Compute backend (native BLAS/LAPACK or WebAssembly)
export { type BackendInfo, type BackendName, getBackend, setBackend } from "./backend/backend.ts";

// Linear algebra
export { det } from "./linalg/det.ts";
export { logdet, slogdet, SlogdetResult } from "./linalg/slogdet.ts";
export { inv } from "./linalg/inv.ts";
export { solve } from "./linalg/solve.ts";
export { solveTriangular } from "./linalg/solve_triangular.ts";
export { cholesky } from "./linalg/cholesky.ts";
export { eigh, EighResult } from "./linalg/eigh.ts";
export { svd, SvdResult } from "./linalg/svd.ts";
export { qr, QrResult } from "./linalg/qr.ts";
