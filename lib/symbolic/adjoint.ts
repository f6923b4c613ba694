/**
 * @internal Reads the gradient off a differential: when `dL = tr(Aᵀ dX)` (Magnus–Neudecker
 * identification; the Matrix Cookbook, chapter 2), `∂L/∂X = A`. The adjoint of the linear map
 * `dX ↦ dL` is pushed through the expression node by node: ⟨C, P dX Q⟩ = ⟨Pᵀ C Qᵀ, dX⟩,
 * ⟨C, M ⊙ dX⟩ = ⟨M ⊙ C, dX⟩, ⟨c, tr(dX)⟩ = ⟨c I, dX⟩, ⟨c, sum(dX)⟩ = ⟨c 1, dX⟩.
 *
 * @module
 */
import {
  add,
  call,
  div,
  type Expr,
  EYE,
  had,
  hasD,
  kindOf,
  mul,
  neg,
  num,
  ones,
  t,
} from "./expr.ts";
import { inner } from "./differential.ts";

/** Thrown when a differential has a form the identification cannot read (then only numbers). */
export class NotIdentifiable extends Error {}

/**
 * The expression `G` with `⟨C, e⟩ = ⟨G, dX⟩` for the linear-in-`dX` expression `e` and the
 * cotangent `C` (the kind of `e`): the gradient of `⟨C, e⟩`, unsimplified.
 */
export function adjoint(e: Expr, C: Expr): Expr {
  switch (e.op) {
    case "d":
      return C;
    case "add": {
      const parts = e.terms.filter(hasD).map((x) => adjoint(x, C));
      return parts.length === 1 ? parts[0] : add(...parts);
    }
    case "neg":
      return adjoint(e.a, neg(C));
    case "t":
      return adjoint(e.a, t(C));
    case "mul": {
      const i = e.factors.findIndex(hasD);
      if (i < 0 || e.factors.slice(i + 1).some(hasD)) {
        throw new NotIdentifiable("a product is not linear in the differential");
      }
      const P = e.factors.slice(0, i), Q = e.factors.slice(i + 1);
      const f = e.factors[i];
      if (kindOf(f) === "scalar") {
        // ⟨C, s M⟩ = s ⟨C, M⟩: the rest of the product, M, pairs with C.
        const rest = [...P, ...Q];
        return adjoint(f, inner(rest.length === 0 ? num(1) : mul(...rest), C));
      }
      const left = P.length === 0 ? [] : [t(mul(...P))];
      const right = Q.length === 0 ? [] : [t(mul(...Q))];
      return adjoint(f, mul(...left, C, ...right));
    }
    case "hadamard":
    case "div": {
      if (e.op === "div" && hasD(e.b)) {
        throw new NotIdentifiable("the differential is in a denominator");
      }
      const [lin, other] = hasD(e.a) ? [e.a, e.b] : [e.b, e.a];
      const cot = e.op === "div" ? div(C, other) : had(other, C);
      // A scalar broadcast over a matrix pairs with the sum of the cotangent.
      if (kindOf(lin) === "scalar" && kindOf(e) !== "scalar") {
        return adjoint(lin, call("sum", cot));
      }
      return adjoint(lin, cot);
    }
    case "call": {
      const [a] = e.args;
      switch (e.fn) {
        case "tr":
          return adjoint(a, kindOf(a) === "scalar" ? C : mul(C, EYE));
        case "sum":
          return adjoint(a, kindOf(a) === "scalar" ? C : mul(C, ones(kindOf(a))));
        case "diag":
          return adjoint(a, call("diag", C));
        default:
          throw new NotIdentifiable(`no adjoint for ${e.fn}`);
      }
    }
    default:
      throw new NotIdentifiable(`no adjoint for ${e.op}`);
  }
}
