/**
 * The Matrix Cookbook's chapter 2 identities that MatrixCalculus.org's syntax can express, each
 * derived by `derive`, compared with the Cookbook's printed form, and checked numerically
 * against autodiff and central differences (`Derivation.check`).
 *
 * Sections of chapter 2 (Petersen & Pedersen, The Matrix Cookbook, 2012):
 *   2.1.2 determinants   ∂det(X)/∂X = det(X) X⁻ᵀ; ∂det(AXB)/∂X = det(AXB) Aᵀ(AXB)⁻ᵀBᵀ
 *                        (= det(AXB) X⁻ᵀ for square A, B); ∂log det(X)/∂X = X⁻ᵀ;
 *                        ∂log det(XᵀX)/∂X = 2X(XᵀX)⁻¹ (printed X((XᵀX)⁻¹ + (XᵀX)⁻ᵀ))
 *                        [the printed form of each is in IDENTITIES below]
 *   2.2 inverses         ∂X⁻¹ = −X⁻¹(∂X)X⁻¹ (order 4: −X⁻¹ ⊗ X⁻ᵀ row-major);
 *                        ∂aᵀX⁻¹b/∂X = −X⁻ᵀabᵀX⁻ᵀ; ∂tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ
 *   2.4.1 first order    ∂xᵀa/∂x = a; ∂aᵀXb/∂X = abᵀ; ∂aᵀXᵀb/∂X = baᵀ; ∂(Xa)/∂X (order 3)
 *   2.4.2 second order   ∂xᵀBx/∂x = (B + Bᵀ)x; ∂bᵀXᵀXc/∂X = X(bcᵀ + cbᵀ);
 *                        ∂(Bx + b)ᵀC(Dx + d)/∂x = BᵀC(Dx + d) + DᵀCᵀ(Bx + b)
 *   2.5 traces           ∂tr(X)/∂X = I; ∂tr(XA)/∂X = Aᵀ; ∂tr(AXB)/∂X = AᵀBᵀ;
 *                        ∂tr(AXᵀB)/∂X = BA; ∂tr(XᵀA)/∂X = A; ∂tr(X²)/∂X = 2Xᵀ;
 *                        ∂tr(X²B)/∂X = (XB + BX)ᵀ; ∂tr(XᵀBX)/∂X = BX + BᵀX; ∂tr(XXᵀ)/∂X = 2X;
 *                        ∂tr(X³)/∂X = 3(X²)ᵀ
 *   2.6 norms            ∂‖x‖₂/∂x = x/‖x‖₂; ∂‖X‖_F/∂X = X/‖X‖_F
 *   2.8 elementwise      ∂sum(exp(x))/∂x = exp(x)
 */
import { assert, assertEquals } from "@std/assert";
import { add, derive, eye, matmul, randn, scale, transpose } from "matcalc";

const R = randn([3, 3], { seed: 11 });
const values = {
  A: randn([3, 3], { seed: 1 }),
  B: randn([3, 3], { seed: 2 }),
  C: randn([3, 3], { seed: 3 }),
  D: randn([3, 3], { seed: 4 }),
  // Well conditioned, positive determinant: det, log det and the inverse are all defined.
  X: add(matmul(R, transpose(R)), scale(eye(3), 3)),
  x: randn([3], { seed: 5 }),
  y: randn([3], { seed: 6 }),
  z: randn([3], { seed: 7 }),
};

// [section, expression, variable, the printed result (the Cookbook's form)]
const IDENTITIES: [string, string, string, string][] = [
  ["2.1.2", "det(X)", "X", "det(X)*inv(X)'"],
  ["2.1.2", "det(A*X*B)", "X", "det(A*X*B)*A'*inv(A*X*B)'*B'"],
  ["2.1.2", "logdet(X)", "X", "inv(X)'"],
  ["2.1.2", "logdet(X'*X)", "X", "X*(inv(X'*X) + inv(X'*X)')"],
  ["2.2", "inv(X)", "X", "-kron(inv(X), inv(X)')"],
  ["2.2", "y'*inv(X)*z", "X", "-inv(X)'*y*z'*inv(X)'"],
  ["2.2", "tr(A*inv(X)*B)", "X", "-inv(X)'*A'*B'*inv(X)'"],
  ["2.4.1", "x'*y", "x", "y"],
  ["2.4.1", "y'*X*z", "X", "y*z'"],
  ["2.4.1", "y'*X'*z", "X", "z*y'"],
  ["2.4.1", "X*y", "X", "kron(eye, y')"],
  ["2.4.2", "x'*B*x", "x", "(B + B')*x"],
  ["2.4.2", "y'*X'*X*z", "X", "X*(z*y' + y*z')"],
  ["2.4.2", "(B*x + y)'*C*(D*x + z)", "x", "B'*C*(D*x + z) + D'*C'*(B*x + y)"],
  ["2.5", "tr(X)", "X", "eye"],
  ["2.5", "tr(X*A)", "X", "A'"],
  ["2.5", "tr(A*X*B)", "X", "A'*B'"],
  ["2.5", "tr(A*X'*B)", "X", "B*A"],
  ["2.5", "tr(X'*A)", "X", "A"],
  ["2.5", "tr(X^2)", "X", "2*X'"],
  ["2.5", "tr(X^2*B)", "X", "B'*X' + X'*B'"],
  ["2.5", "tr(X'*B*X)", "X", "(B + B')*X"],
  ["2.5", "tr(X*X')", "X", "2*X"],
  ["2.5", "tr(X^3)", "X", "3*X'^2"],
  ["2.6", "norm2(x)", "x", "x/norm2(x)"],
  ["2.6", "norm2(X)", "X", "X/norm2(X)"],
  ["2.8", "sum(exp(x))", "x", "exp(x)"],
];

for (const [section, expr, wrt, expected] of IDENTITIES) {
  Deno.test(`derive() Cookbook ${section}: ∂(${expr})/∂${wrt}`, () => {
    const d = derive(expr, wrt);
    const report = d.check(values);
    assert(report.ok, report.toString());
    // The printed result may differ from the Cookbook's only by an equivalent rewriting; check
    // the text we commit to, so a simplifier change that makes it read worse is caught.
    assertEquals(d.toString(), expected);
  });
}
