/**
 * Writes `gemm.wat`, the float64 matrix-product kernel, from one template: the register tile
 * (MR rows × NR columns of C held in f64x2 locals) is unrolled here because WAT has no macros.
 * Run by `deno task build:wasm` (`-- --wat` also writes the text to out/gemm.wat for reading);
 * `tests/perf/wasm_build_test.ts` checks that the committed gemm_wasm.ts is what it builds.
 *
 * @module
 */

import { KC, MC, MR, NARROW_N, NC, NR } from "./gemm_layout.ts";

/** Steps of the depth loop unrolled per iteration. */
export const UNROLL = 2;

const V = NR / 2; // f64x2 vectors per tile row

function acc(r: number, v: number): string {
  return `$c${r}_${v}`;
}

/** The register-tile kernel: C[MR×NR] (+)= Ap[MR×kc] · Bp[kc×NR] on packed panels. */
function microKernel(): string {
  const locals: string[] = [];
  for (let r = 0; r < MR; r++) for (let v = 0; v < V; v++) locals.push(`(local ${acc(r, v)} v128)`);
  for (let v = 0; v < V; v++) locals.push(`(local $b${v} v128)`);
  const load: string[] = [], store: string[] = [], body: string[] = [];
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < V; v++) {
      // Row r of the tile starts r*ldc bytes in; ldc is a parameter so edge tiles can use a
      // small scratch tile with the same code.
      load.push(
        `(local.set ${acc(r, v)} (v128.load offset=${v * 16} ` +
          `(i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const ${r})))))`,
      );
      store.push(
        `(v128.store offset=${v * 16} (i32.add (local.get $c) ` +
          `(i32.mul (local.get $ldc) (i32.const ${r}))) (local.get ${acc(r, v)}))`,
      );
    }
  }
  // One depth step at `u` steps past the panel pointers; the unrolled loop runs UNROLL of them.
  const step = (u: number): string[] => {
    const out: string[] = [];
    for (let v = 0; v < V; v++) {
      out.push(`(local.set $b${v} (v128.load offset=${v * 16 + u * NR * 8} (local.get $bp)))`);
    }
    for (let r = 0; r < MR; r++) {
      out.push(`(local.set $a (v128.load64_splat offset=${r * 8 + u * MR * 8} (local.get $ap)))`);
      for (let v = 0; v < V; v++) {
        // relaxed_madd lowers to vfmadd on FMA hardware; it never skips terms, so NaN and
        // Infinity propagate as in the plain loop.
        out.push(
          `(local.set ${acc(r, v)} (f64x2.relaxed_madd (local.get $a) (local.get $b${v}) ` +
            `(local.get ${acc(r, v)})))`,
        );
      }
    }
    return out;
  };
  for (let u = 0; u < UNROLL; u++) body.push(...step(u));
  const ind = "\n    ";
  return `
  ;; C[${MR}×${NR}] (+)= Ap · Bp over kc steps; Ap holds ${MR} values per step, Bp ${NR}. With
  ;; $first the tile is written, not accumulated: the accumulators start at zero (as all locals
  ;; do), so C never needs zeroing beforehand.
  (func $micro (param $kc i32) (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32)
    (param $first i32)
    (local $a v128)
    ${locals.join(" ")}
    (if (i32.eqz (local.get $first))
      (then
        ${load.join(ind + "    ")}))
    (block $done
      (br_if $done (i32.lt_s (local.get $kc) (i32.const ${UNROLL})))
      (loop $p
        ${body.join(ind + "    ")}
        (local.set $ap (i32.add (local.get $ap) (i32.const ${MR * 8 * UNROLL})))
        (local.set $bp (i32.add (local.get $bp) (i32.const ${NR * 8 * UNROLL})))
        (br_if $p (i32.ge_s (local.tee $kc (i32.sub (local.get $kc) (i32.const ${UNROLL})))
          (i32.const ${UNROLL})))))
    (block $done
      (br_if $done (i32.eqz (local.get $kc)))
      (loop $p
        ${step(0).join(ind + "    ")}
        (local.set $ap (i32.add (local.get $ap) (i32.const ${MR * 8})))
        (local.set $bp (i32.add (local.get $bp) (i32.const ${NR * 8})))
        (br_if $p (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))
    ${store.join(ind)})`;
}

/**
 * Packs slivers of width `W` whose `W` numbers per depth step are contiguous in the source:
 * `dst[jr*kc + p*W + j] = src[p*ld + jr + j]` for the `kc×nc` block at `src`, zero past `nc`.
 * That is B's layout for its NR-column slivers, and Aᵀ's for A's MR-row panels.
 */
function packContiguous(name: string, W: number, what: string): string {
  const copies = Array.from(
    { length: W / 2 },
    (_, v) =>
      `(v128.store offset=${v * 16} (local.get $dst) (v128.load offset=${v * 16} (local.get $s)))`,
  )
    .join("\n            ");
  return `
  ;; ${what}: dst[jr*kc + p*${W} + j] = src[p*ld + jr + j] for the kc×nc block at src, zero
  ;; past nc.
  (func $${name} (param $kc i32) (param $nc i32) (param $src i32) (param $ld i32) (param $dst i32)
    (local $jr i32) (local $p i32) (local $j i32) (local $s i32)
    (local.set $ld (i32.shl (local.get $ld) (i32.const 3)))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_s (local.get $jr) (local.get $nc)))
      (local.set $s (i32.add (local.get $src) (i32.shl (local.get $jr) (i32.const 3))))
      (local.set $p (i32.const 0))
      (if (i32.le_s (i32.add (local.get $jr) (i32.const ${W})) (local.get $nc))
        (then
          (block $pdone (loop $ploop
            (br_if $pdone (i32.ge_s (local.get $p) (local.get $kc)))
            ${copies}
            (local.set $dst (i32.add (local.get $dst) (i32.const ${W * 8})))
            (local.set $s (i32.add (local.get $s) (local.get $ld)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $ploop))))
        (else
          (block $pdone (loop $ploop
            (br_if $pdone (i32.ge_s (local.get $p) (local.get $kc)))
            (local.set $j (i32.const 0))
            (block $edone (loop $eloop
              (br_if $edone (i32.ge_s (local.get $j) (i32.const ${W})))
              (f64.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3)))
                (if (result f64) (i32.lt_s (i32.add (local.get $jr) (local.get $j)) (local.get $nc))
                  (then (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))))
                  (else (f64.const 0))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $eloop)))
            (local.set $dst (i32.add (local.get $dst) (i32.const ${W * 8})))
            (local.set $s (i32.add (local.get $s) (local.get $ld)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $ploop)))))
      (local.set $jr (i32.add (local.get $jr) (i32.const ${W})))
      (br $jloop))))
`;
}

/**
 * Packs panels of width `W` whose numbers for one depth step are a stride `ld` apart:
 * `dst[ir*kc + p*W + r] = src[(ir + r)*ld + p]` for the `mc×kc` block at `src`, zero past `mc`.
 * That is A's layout for its MR-row panels, and Bᵀ's for B's NR-column slivers.
 */
function packStrided(name: string, W: number, what: string): string {
  return `
  ;; ${what}: dst[ir*kc + p*${W} + r] = src[(ir + r)*ld + p] for the mc×kc block at src, zero
  ;; past mc.
  (func $${name} (param $mc i32) (param $kc i32) (param $src i32) (param $ld i32) (param $dst i32)
    (local $ir i32) (local $r i32) (local $p i32) (local $s i32) (local $d i32)
    (local.set $ld (i32.shl (local.get $ld) (i32.const 3)))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_s (local.get $ir) (local.get $mc)))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_s (local.get $r) (i32.const ${W})))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $p (i32.const 0))
        (if (i32.lt_s (i32.add (local.get $ir) (local.get $r)) (local.get $mc))
          (then
            (local.set $s (i32.add (local.get $src)
              (i32.mul (i32.add (local.get $ir) (local.get $r)) (local.get $ld))))
            (block $pdone (loop $ploop
              (br_if $pdone (i32.ge_s (local.get $p) (local.get $kc)))
              (f64.store (local.get $d) (f64.load (local.get $s)))
              (local.set $d (i32.add (local.get $d) (i32.const ${W * 8})))
              (local.set $s (i32.add (local.get $s) (i32.const 8)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $ploop))))
          (else
            (block $pdone (loop $ploop
              (br_if $pdone (i32.ge_s (local.get $p) (local.get $kc)))
              (f64.store (local.get $d) (f64.const 0))
              (local.set $d (i32.add (local.get $d) (i32.const ${W * 8})))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $ploop)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const ${W * 8}))))
      (local.set $ir (i32.add (local.get $ir) (i32.const ${W})))
      (br $iloop))))
`;
}

/** Dot form: a tile is DOT_R rows × DOT_C columns of C, each a dot product along k. */
export const DOT_R = 2;
export const DOT_C = 5;
/** Pairs of depth steps per iteration of the dot-form loop. */
export const DOT_U = 2;
/** Axpy form: a tile is 2·AX_V rows (AX_V f64x2 vectors down a column of C) × AX_C columns. */
export const AX_V = 2;
export const AX_C = 5;

/**
 * One dot-form tile: C[r, j] = Σ_p A[r, p] · Bt[j, p] for r < R, j < C, with A's rows and Bt's
 * rows both contiguous along p (A as stored, B stored transposed), so nothing is packed. Each
 * accumulator holds the even and odd terms; an odd last term loads with a zero partner.
 */
function dotTile(R: number, C: number): string {
  const L: string[] = [], init: string[] = [], out: string[] = [];
  for (let r = 0; r < R; r++) {
    L.push(`(local $a${r} v128)`);
    for (let j = 0; j < C; j++) L.push(`(local $s${r}_${j} v128)`);
  }
  L.push(`(local $bv v128)`);
  for (let r = 1; r < R; r++) L.push(`(local $pa${r} i32)`);
  for (let j = 1; j < C; j++) L.push(`(local $pb${j} i32)`);
  const pa = (r: number) => r === 0 ? "$a" : `$pa${r}`,
    pb = (j: number) => j === 0 ? "$b" : `$pb${j}`;
  for (let r = 1; r < R; r++) {
    init.push(
      `(local.set $pa${r} (i32.add (local.get $a) (i32.mul (local.get $k8) (i32.const ${r}))))`,
    );
  }
  for (let j = 1; j < C; j++) {
    init.push(
      `(local.set $pb${j} (i32.add (local.get $b) (i32.mul (local.get $k8) (i32.const ${j}))))`,
    );
  }
  // One pair of depth steps `u` pairs past the row pointers.
  const body = (load: string, u: number, out: string[]) => {
    for (let r = 0; r < R; r++) {
      out.push(`(local.set $a${r} (${load} offset=${u * 16} (local.get ${pa(r)})))`);
    }
    for (let j = 0; j < C; j++) {
      out.push(`(local.set $bv (${load} offset=${u * 16} (local.get ${pb(j)})))`);
      for (let r = 0; r < R; r++) {
        out.push(
          `(local.set $s${r}_${j} (f64x2.relaxed_madd (local.get $a${r}) (local.get $bv) (local.get $s${r}_${j})))`,
        );
      }
    }
  };
  const bump = (bytes: number) => [
    ...Array.from(
      { length: R },
      (_, r) => `(local.set ${pa(r)} (i32.add (local.get ${pa(r)}) (i32.const ${bytes})))`,
    ),
    ...Array.from(
      { length: C },
      (_, j) => `(local.set ${pb(j)} (i32.add (local.get ${pb(j)}) (i32.const ${bytes})))`,
    ),
  ];
  const step: string[] = [], pair: string[] = [], tail: string[] = [];
  for (let u = 0; u < DOT_U; u++) body("v128.load", u, step);
  step.push(...bump(16 * DOT_U));
  body("v128.load", 0, pair);
  pair.push(...bump(16));
  body("v128.load64_zero", 0, tail);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < C; j++) {
      out.push(
        `(f64.store offset=${
          j * 8
        } (i32.add (local.get $c) (i32.mul (local.get $n8) (i32.const ${r}))) ` +
          `(f64.add (f64x2.extract_lane 0 (local.get $s${r}_${j})) (f64x2.extract_lane 1 (local.get $s${r}_${j}))))`,
      );
    }
  }
  const ind = "\n    ";
  return `
  ;; C[${R}×${C}] = A[${R} rows] · Bt[${C} rows]ᵀ, rows k numbers long ($k8 bytes), C rows $n8 bytes apart.
  (func $dot_${R}_${C} (param $k i32) (param $a i32) (param $b i32) (param $c i32) (param $k8 i32) (param $n8 i32)
    (local $q i32)
    ${L.join(" ")}
    ${init.join(ind)}
    (local.set $q (local.get $k))
    (block $done
      (br_if $done (i32.lt_s (local.get $q) (i32.const ${2 * DOT_U})))
      (loop $l
        ${step.join(ind + "    ")}
        (br_if $l (i32.ge_s (local.tee $q (i32.sub (local.get $q) (i32.const ${2 * DOT_U})))
          (i32.const ${2 * DOT_U})))))
    (block $done
      (br_if $done (i32.lt_s (local.get $q) (i32.const 2)))
      (loop $l
        ${pair.join(ind + "    ")}
        (br_if $l (i32.ge_s (local.tee $q (i32.sub (local.get $q) (i32.const 2))) (i32.const 2)))))
    (if (local.get $q)
      (then
        ${tail.join(ind + "    ")}))
    ${out.join(ind)})`;
}

/**
 * One axpy-form tile: C[i, j] = Σ_p At[p, i] · B[p, j] for i < P, j < C, with A stored transposed
 * (`At` is k×m, so the P numbers for one p are contiguous) and B as stored; nothing is packed.
 * An odd P loads its last vector with a zero partner and stores one lane of it.
 */
function axpyTile(P: number, C: number): string {
  const V = Math.ceil(P / 2), half = P % 2 === 1;
  const L: string[] = [], step: string[] = [], out: string[] = [];
  for (let v = 0; v < V; v++) {
    L.push(`(local $a${v} v128)`);
    for (let j = 0; j < C; j++) L.push(`(local $s${v}_${j} v128)`);
  }
  L.push(`(local $bv v128)`);
  for (let v = 0; v < V; v++) {
    const load = half && v === V - 1 ? "v128.load64_zero" : "v128.load";
    step.push(`(local.set $a${v} (${load} offset=${v * 16} (local.get $a)))`);
  }
  for (let j = 0; j < C; j++) {
    step.push(`(local.set $bv (v128.load64_splat offset=${j * 8} (local.get $b)))`);
    for (let v = 0; v < V; v++) {
      step.push(
        `(local.set $s${v}_${j} (f64x2.relaxed_madd (local.get $a${v}) (local.get $bv) (local.get $s${v}_${j})))`,
      );
    }
  }
  for (let v = 0; v < V; v++) {
    for (let l = 0; l < (half && v === V - 1 ? 1 : 2); l++) {
      for (let j = 0; j < C; j++) {
        out.push(
          `(f64.store offset=${j * 8} (i32.add (local.get $c) (i32.mul (local.get $n8) (i32.const ${
            2 * v + l
          }))) ` +
            `(f64x2.extract_lane ${l} (local.get $s${v}_${j})))`,
        );
      }
    }
  }
  const ind = "\n    ";
  return `
  ;; C[${P}×${C}] = At[k×${P}]ᵀ · B[k×${C}]; At rows $m8 bytes apart, B rows $n8, C rows $n8.
  (func $axpy_${P}_${C} (param $k i32) (param $a i32) (param $b i32) (param $c i32) (param $m8 i32) (param $n8 i32)
    ${L.join(" ")}
    (block $done
      (br_if $done (i32.eqz (local.get $k)))
      (loop $l
        ${step.join(ind + "    ")}
        (local.set $a (i32.add (local.get $a) (local.get $m8)))
        (local.set $b (i32.add (local.get $b) (local.get $n8)))
        (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
    ${out.join(ind)})`;
}

/** The narrow kernels, their dispatch table and the exported driver `narrow`. */
function narrowFuncs(): string {
  const fns: string[] = [], names: string[] = [];
  for (let r = 1; r <= DOT_R; r++) {
    for (let j = 1; j <= DOT_C; j++) {
      fns.push(dotTile(r, j));
      names.push(`$dot_${r}_${j}`);
    }
  }
  const axBase = names.length;
  for (let r = 1; r <= 2 * AX_V; r++) {
    for (let j = 1; j <= AX_C; j++) {
      fns.push(axpyTile(r, j));
      names.push(`$axpy_${r}_${j}`);
    }
  }
  return `${fns.join("\n")}

  (type $tileT (func (param i32 i32 i32 i32 i32 i32)))
  (table $tiles ${names.length} funcref)
  (elem (table $tiles) (i32.const 0) func ${names.join(" ")})

  ;; C[m×n] = op(A)[m×k] · op(B)[k×n] for narrow C (n ≤ ${NARROW_N}), written (not accumulated),
  ;; reading the operands in place. $trans 0: A as stored (m×k) and B stored transposed (n×k),
  ;; dot products along k; $trans 1: A stored transposed (k×m) and B as stored (k×n), axpy
  ;; updates down columns of C.
  (func (export "narrow") (param $m i32) (param $k i32) (param $n i32) (param $a i32) (param $b i32)
    (param $c i32) (param $trans i32)
    (local $i i32) (local $j i32) (local $r i32) (local $cc i32) (local $k8 i32) (local $n8 i32)
    (local $m8 i32)
    (local.set $k8 (i32.shl (local.get $k) (i32.const 3)))
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $m8 (i32.shl (local.get $m) (i32.const 3)))
    (if (i32.eqz (local.get $trans))
      (then
        (block $idone (loop $iloop
          (br_if $idone (i32.ge_s (local.get $i) (local.get $m)))
          (local.set $r (select (i32.const ${DOT_R}) (i32.sub (local.get $m) (local.get $i))
            (i32.lt_s (i32.const ${DOT_R}) (i32.sub (local.get $m) (local.get $i)))))
          (local.set $j (i32.const 0))
          (block $jdone (loop $jloop
            (br_if $jdone (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $cc (select (i32.const ${DOT_C}) (i32.sub (local.get $n) (local.get $j))
              (i32.lt_s (i32.const ${DOT_C}) (i32.sub (local.get $n) (local.get $j)))))
            (call_indirect $tiles (type $tileT) (local.get $k)
              (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $k8)))
              (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $k8)))
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
              (local.get $k8) (local.get $n8)
              (i32.add (i32.mul (i32.sub (local.get $r) (i32.const 1)) (i32.const ${DOT_C}))
                (i32.sub (local.get $cc) (i32.const 1))))
            (local.set $j (i32.add (local.get $j) (i32.const ${DOT_C})))
            (br $jloop)))
          (local.set $i (i32.add (local.get $i) (i32.const ${DOT_R})))
          (br $iloop))))
      (else
        (block $idone (loop $iloop
          (br_if $idone (i32.ge_s (local.get $i) (local.get $m)))
          (local.set $r (select (i32.const ${2 * AX_V}) (i32.sub (local.get $m) (local.get $i))
            (i32.lt_s (i32.const ${2 * AX_V}) (i32.sub (local.get $m) (local.get $i)))))
          (local.set $j (i32.const 0))
          (block $jdone (loop $jloop
            (br_if $jdone (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $cc (select (i32.const ${AX_C}) (i32.sub (local.get $n) (local.get $j))
              (i32.lt_s (i32.const ${AX_C}) (i32.sub (local.get $n) (local.get $j)))))
            (call_indirect $tiles (type $tileT) (local.get $k)
              (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
              (local.get $m8) (local.get $n8)
              (i32.add (i32.const ${axBase})
                (i32.add (i32.mul (i32.sub (local.get $r) (i32.const 1)) (i32.const ${AX_C}))
                  (i32.sub (local.get $cc) (i32.const 1)))))
            (local.set $j (i32.add (local.get $j) (i32.const ${AX_C})))
            (br $jloop)))
          (local.set $i (i32.add (local.get $i) (i32.const ${2 * AX_V})))
          (br $iloop))))))
`;
}

/** `text` with every line indented by `pad`. */
function indent(text: string, pad: string): string {
  return text.split("\n").map((line) => pad + line).join("\n");
}

/**
 * A WAT loop over `$v = 0, size, 2·size, … < $total`, with `$len` set to each step's extent
 * (`size`, or what is left at the end), around `body`.
 */
function steps(v: string, len: string, total: string, size: number, body: string): string {
  const left = `(i32.sub (local.get $${total}) (local.get $${v}))`;
  return `(local.set $${v} (i32.const 0))
(block $${v}done (loop $${v}loop
  (br_if $${v}done (i32.ge_s (local.get $${v}) (local.get $${total})))
  (local.set $${len} (select (i32.const ${size}) ${left}
    (i32.lt_s (i32.const ${size}) ${left})))
${indent(body, "  ")}
  (local.set $${v} (i32.add (local.get $${v}) (i32.const ${size})))
  (br $${v}loop)))`;
}

/** The blocks of op(B) in the order gemm visits them: NC columns, then KC deep. */
function panels(body: string): string {
  return steps("jc", "nc", "n", NC, steps("pc", "kc", "k", KC, body));
}

/** `packb`: all of op(B) packed up front, for threads to share. */
function packbFunc(): string {
  const pack = `(call $packPanel (local.get $k) (local.get $n) (local.get $b) (local.get $trans)
  (local.get $jc) (local.get $pc) (local.get $kc) (local.get $nc)
  (i32.add (local.get $dst)
    (call $panelAt (local.get $k) (local.get $jc) (local.get $pc) (local.get $nc))))`;
  return `
  ;; All of op(B)[k×n] packed at dst, block by block as gemm reads it (packedBBytes bytes), so
  ;; threads that split the rows of C share one packing instead of each doing its own.
  (func (export "packb") (param $k i32) (param $n i32) (param $b i32) (param $trans i32)
    (param $dst i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
${indent(panels(pack), "    ")})`;
}

/** `gemm`: Goto-style loops around the register tile. */
function gemmFunc(): string {
  const packB = `(if (local.get $bpk)
  (then (local.set $bp (i32.add (local.get $bpk)
    (call $panelAt (local.get $k) (local.get $jc) (local.get $pc) (local.get $nc)))))
  (else
    (local.set $bp (local.get $wsb))
    (call $packPanel (local.get $k) (local.get $n) (local.get $b) (local.get $trans)
      (local.get $jc) (local.get $pc) (local.get $kc) (local.get $nc) (local.get $bp))))`;
  const packA = `(if (i32.and (local.get $trans) (i32.const 1))
  (then (call $packAT (local.get $kc) (local.get $mc)
    (i32.add (local.get $a)
      (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $lda)) (local.get $ic)) (i32.const 3)))
    (local.get $lda) (local.get $ap)))
  (else (call $packA (local.get $mc) (local.get $kc)
    (i32.add (local.get $a)
      (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $lda)) (local.get $pc)) (i32.const 3)))
    (local.get $lda) (local.get $ap))))`;
  const panelA =
    `(i32.add (local.get $ap) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 3)))`;
  const sliverB =
    `(i32.add (local.get $bp) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))`;
  const tile = `(local.set $cp (i32.add (local.get $c)
  (i32.shl (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $n))
    (i32.add (local.get $jc) (local.get $jr))) (i32.const 3))))
(if (i32.and (i32.eq (local.get $mr) (i32.const ${MR}))
      (i32.eq (local.get $nr) (i32.const ${NR})))
  (then
    (call $micro (local.get $kc) ${panelA}
      ${sliverB}
      (local.get $cp) (local.get $ldc) (i32.eqz (local.get $pc))))
  (else
    ;; C's corner goes through the scratch tile; on the first block there is nothing to
    ;; bring in, as the kernel writes the tile.
    (if (local.get $pc)
      (then (call $tile (local.get $cp) (local.get $ldc) (local.get $mr)
        (local.get $nr) (local.get $tmp) (i32.const 0))))
    (call $micro (local.get $kc) ${panelA}
      ${sliverB}
      (local.get $tmp) (i32.const ${NR * 8}) (i32.eqz (local.get $pc)))
    (call $tile (local.get $cp) (local.get $ldc) (local.get $mr) (local.get $nr)
      (local.get $tmp) (i32.const 1))))`;
  const blockA = `${packA}\n${steps("jr", "nr", "nc", NR, steps("ir", "mr", "mc", MR, tile))}`;
  return `
  ;; C[m×n] = op(A)[m×k] · op(B)[k×n] (k ≥ 1; C is written, its old contents never read); ws
  ;; points at WORKSPACE_BYTES of per-thread scratch.
  ;; Bit 1 of $trans: A is stored transposed (k rows of $lda ≥ m numbers), else as m rows of
  ;; $lda ≥ k; bit 2: B is stored transposed, n×k. Packing reads either layout. A nonzero $bpk
  ;; holds all of B already packed by packb, and $b is not read.
  (func (export "gemm") (param $m i32) (param $k i32) (param $n i32) (param $a i32) (param $b i32)
    (param $c i32) (param $ws i32) (param $trans i32) (param $lda i32) (param $bpk i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $nr i32) (local $ir i32) (local $mr i32) (local $ap i32) (local $bp i32)
    (local $tmp i32) (local $cp i32) (local $ldc i32) (local $wsb i32)
    (local.set $ap (local.get $ws))
    (local.set $wsb (i32.add (local.get $ws) (i32.const ${MC * KC * 8})))
    (local.set $tmp (i32.add (local.get $wsb) (i32.const ${KC * NC * 8})))
    (local.set $ldc (i32.shl (local.get $n) (i32.const 3)))
${indent(panels(`${packB}\n${steps("ic", "mc", "m", MC, blockA)}`), "    ")})`;
}

/**
 * The whole module text. `shared` picks a shared memory (for the worker threads); V8 bounds-checks
 * shared memories more expensively, so the single-thread path uses the unshared build.
 */
export function gemmWat(shared: boolean): string {
  // The block loops step by MR and NR inside MC and NC: a remainder would be read as a partial
  // panel that the packing never wrote (wrong products, found when trying a 4×6 tile).
  if (MC % MR !== 0 || NC % NR !== 0 || NR % 2 !== 0) {
    throw new Error(
      `gen_gemm: MC (${MC}) must be a multiple of MR (${MR}), NC (${NC}) of NR (${NR}), NR even`,
    );
  }
  return `;; Generated by lib/backend/wasm/gen_gemm.ts (deno task build:wasm); edit that file, not this.
;; Float64 C[m×n] = op(A)[m×k] · op(B)[k×n] (op: as stored, or transposed), all row-major,
;; addresses in bytes. Goto-style blocking: B is packed into KC×NC blocks of NR-column slivers,
;; A into MC×KC blocks of MR-row panels,
;; and the ${MR}×${NR} register tile streams through them. Zero padding only ever feeds tile
;; rows/columns that are discarded, so it never touches a result (0·Inf stays out of C).
(module
  (import "env" "memory" (memory 1 32768${shared ? " shared" : ""}))
${microKernel()}

${packContiguous("packB", NR, "NR-column slivers of B")}
${packStrided("packA", MR, "MR-row panels of A")}
${packContiguous("packAT", MR, "MR-row panels of A from Aᵀ (A stored k×m)")}
${packStrided("packBT", NR, "NR-column slivers of B from Bᵀ (B stored n×k)")}
${narrowFuncs()}
  ;; Moves an mr×nr corner of C (row stride ldc bytes) to or from the MR×NR scratch tile.
  (func $tile (param $c i32) (param $ldc i32) (param $mr i32) (param $nr i32) (param $t i32)
    (param $out i32)
    (local $r i32) (local $j i32) (local $cp i32) (local $tp i32)
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_s (local.get $r) (i32.const ${MR})))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_s (local.get $j) (i32.const ${NR})))
        (local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
          (i32.shl (local.get $j) (i32.const 3))))
        (local.set $tp (i32.add (local.get $t)
          (i32.shl (i32.add (i32.mul (local.get $r) (i32.const ${NR})) (local.get $j)) (i32.const 3))))
        (if (i32.and (i32.lt_s (local.get $r) (local.get $mr)) (i32.lt_s (local.get $j) (local.get $nr)))
          (then (if (local.get $out)
            (then (f64.store (local.get $cp) (f64.load (local.get $tp))))
            (else (f64.store (local.get $tp) (f64.load (local.get $cp))))))
          (else (if (i32.eqz (local.get $out)) (then (f64.store (local.get $tp) (f64.const 0))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop))))

  ;; Packs the kc×nc block of op(B) at depth pc, column jc into dst (bit 2 of $trans: B is
  ;; stored transposed, n×k).
  (func $packPanel (param $k i32) (param $n i32) (param $b i32) (param $trans i32) (param $jc i32)
    (param $pc i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (if (i32.and (local.get $trans) (i32.const 2))
      (then (call $packBT (local.get $nc) (local.get $kc)
        (i32.add (local.get $b)
          (i32.shl (i32.add (i32.mul (local.get $jc) (local.get $k)) (local.get $pc)) (i32.const 3)))
        (local.get $k) (local.get $dst)))
      (else (call $packB (local.get $kc) (local.get $nc)
        (i32.add (local.get $b)
          (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $n)) (local.get $jc)) (i32.const 3)))
        (local.get $n) (local.get $dst)))))

  ;; Byte offset of the (jc, pc) block in a whole packed B: the blocks of each NC-column strip
  ;; follow one another down the depth, each kc × (nc rounded up to NR) numbers.
  (func $panelAt (param $k i32) (param $jc i32) (param $pc i32) (param $nc i32) (result i32)
    (i32.shl (i32.add (i32.mul (local.get $jc) (local.get $k))
      (i32.mul (local.get $pc) (i32.and (i32.add (local.get $nc) (i32.const ${NR - 1}))
        (i32.const ${-NR})))) (i32.const 3)))

${packbFunc()}
${gemmFunc()}
)
`;
}
