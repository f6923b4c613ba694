/**
 * Trigonometric functions, NumPy's names and domains (radians; IEEE results outside a domain,
 * as `Math` gives). Each rule multiplies by a local derivative written with matcalc ops, so the
 * second derivative is right too.
 */
import { bind, type Primitive } from "../ad/node.ts";
import { raw, Tensor } from "../tensor.ts";
import { add } from "./add.ts";
import { zipWith } from "./broadcast.ts";
import { div } from "./div.ts";
import { where } from "./where.ts";
import { mul } from "./mul.ts";
import { neg } from "./neg.ts";
import { asTensor, type Operand } from "./operand.ts";
import { unaryPrim } from "./unary.ts";

const sinPrim = unaryPrim("sin", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.sin(A[i]);
}, (x) => cos(x));
const cosPrim = unaryPrim("cos", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.cos(A[i]);
}, (x) => neg(sin(x)));
// tan' = 1 + tan², from the output: no second trip through cos, and exact where cos is tiny.
const tanPrim = unaryPrim("tan", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.tan(A[i]);
}, (_x, y) => add(1, mul(y, y)));
const arctanPrim = unaryPrim("arctan", (A, out) => {
  for (let i = 0; i < A.length; i++) out[i] = Math.atan(A[i]);
}, (x) => div(1, add(1, mul(x, x))));

/**
 * Elementwise sine (radians), like `numpy.sin`.
 *
 * @example `sin' = cos`
 * ```ts
 * import { grad, sin, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(sin(tensor([0])).toArray(), [0]);
 * assertAlmostEquals(sin(Math.PI / 2).item(), 1);
 * assertAlmostEquals(grad((x) => sum(sin(x)), tensor([Math.PI])).item(), -1);
 * ```
 */
export function sin(x: Operand): Tensor {
  return bind(sinPrim, [asTensor("sin", x)], undefined);
}

/**
 * Elementwise cosine (radians), like `numpy.cos`.
 *
 * @example `cos' = −sin`
 * ```ts
 * import { cos, grad, sum, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(cos(tensor([0])).toArray(), [1]);
 * assertAlmostEquals(grad((x) => sum(cos(x)), tensor([Math.PI / 2])).item(), -1);
 * ```
 */
export function cos(x: Operand): Tensor {
  return bind(cosPrim, [asTensor("cos", x)], undefined);
}

/**
 * Elementwise tangent (radians), like `numpy.tan`. Near the poles `π/2 + kπ` it is large but
 * finite (`π/2` is not exactly representable).
 *
 * @example `tan' = 1 + tan²`
 * ```ts
 * import { grad, sum, tan, tensor } from "matcalc";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * assertAlmostEquals(tan(Math.PI / 4).item(), 1);
 * assertAlmostEquals(grad((x) => sum(tan(x)), tensor([Math.PI / 4])).item(), 2);
 * ```
 */
export function tan(x: Operand): Tensor {
  return bind(tanPrim, [asTensor("tan", x)], undefined);
}

/**
 * Elementwise inverse tangent, in `(−π/2, π/2)`, like `numpy.arctan`.
 *
 * @example `arctan' = 1 / (1 + x²)`
 * ```ts
 * import { arctan, grad, sum, tensor } from "matcalc";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * assertAlmostEquals(arctan(1).item(), Math.PI / 4);
 * assertAlmostEquals(grad((x) => sum(arctan(x)), tensor([1])).item(), 0.5);
 * ```
 */
export function arctan(x: Operand): Tensor {
  return bind(arctanPrim, [asTensor("arctan", x)], undefined);
}

/**
 * `x² + y²` with the origin replaced by 1: at `(0, 0)` both numerators of the partials are 0,
 * so the partials come out 0 (a finite choice, as PyTorch's 0/0 guard does not make: it gives
 * NaN) and never 0/0 = NaN. Written with `where` so the rule stays differentiable.
 */
function safeRadius2(y: Tensor, x: Tensor): Tensor {
  const r2 = add(mul(x, x), mul(y, y));
  const R = raw(r2);
  const zero = new Float64Array(R.length);
  for (let i = 0; i < R.length; i++) zero[i] = R[i] === 0 ? 1 : 0;
  return where(new Tensor(zero, r2.shape), 1, r2);
}

const arctan2Prim: Primitive = {
  name: "arctan2",
  forward: ([y, x]) => zipWith("arctan2", y, x, Math.atan2),
  // ∂/∂y atan2(y, x) = x / (x² + y²), ∂/∂x = −y / (x² + y²).
  vjp: (g, [y, x]) => {
    const r2 = safeRadius2(y, x);
    return [
      y._node === undefined ? null : div(mul(g, x), r2),
      x._node === undefined ? null : neg(div(mul(g, y), r2)),
    ];
  },
  jvp: ([dy, dx], [y, x]) => div(add(mul(x, dy), neg(mul(y, dx))), safeRadius2(y, x)),
};

/**
 * The angle of the point `(x, y)` from the positive x axis, in `[−π, π]`, elementwise with
 * NumPy broadcasting, like `numpy.arctan2(y, x)` (note the order: `y` first). Signed zeros and
 * infinities follow IEEE (`Math.atan2`).
 *
 * Derivative: `(x dy − y dx) / (x² + y²)`. At the origin, where the angle jumps, it is taken
 * as 0 (finite) rather than NaN.
 *
 * @example Quadrants, and the gradient `(−y, x) / r²`
 * ```ts
 * import { arctan2, grad, tensor } from "matcalc";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals(arctan2(tensor([1, 1, -1]), tensor([1, -1, -1])).toArray(), [
 *   Math.PI / 4, 3 * Math.PI / 4, -3 * Math.PI / 4,
 * ]);
 * const [gy, gx] = grad((y, x) => arctan2(y, x), [tensor(2), tensor(1)]);
 * assertAlmostEquals(gy.item(), 1 / 5);
 * assertAlmostEquals(gx.item(), -2 / 5);
 * ```
 */
export function arctan2(y: Operand, x: Operand): Tensor {
  return bind(arctan2Prim, [asTensor("arctan2", y, "y"), asTensor("arctan2", x, "x")], undefined);
}
