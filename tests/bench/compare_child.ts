/**
 * The matcalc side of `compare.ts`, in a Deno process of its own, as numpy runs in a Python
 * process of its own: the V8 heap then holds matcalc's work alone, not the garbage of ml-matrix
 * and TensorFlow.js, whose rows run in the parent. `compare.ts` starts two: one with the parent's
 * `GLIBC_TUNABLES` (the tasks' huge pages) and one without (the "glibc default malloc" rows).
 *
 * Speaks the protocol of `compare_numpy.py`: one JSON request per line (`{task, args, iters}`),
 * answered with the seconds per call. `args.backend` and `args.threads` choose the backend and
 * its threads for the request (default: the native backend if it loads, 1 thread); `args.wake`
 * first wakes the wasm kernel's worker (untimed). `{task: "info"}` answers with `getBackend()`.
 *
 * @module
 */
import {
  type BackendName,
  getBackend,
  jacobian,
  jacobianOfMatmul,
  kron,
  matmul,
  mul,
  outer,
  randn,
  setBackend,
  setThreads,
  square,
  sub,
  sum,
  tanh,
  type Tensor,
  transpose,
  valueAndGrad,
  zeros,
} from "matcalc";
import { loadMnist, type MnistData, softmaxEpoch } from "./mnist_epoch.ts";

const rnd = (shape: number[], seed: number) => randn(shape, { seed });
let digits: MnistData | undefined;

/** The matcalc call timed for a row; seeds as in `compare.ts`, so every library sees one input. */
export function setup(task: string, a: Record<string, number>): () => unknown {
  switch (task) {
    case "matmul": {
      const A = rnd([a.n, a.n], 1), B = rnd([a.n, a.n], 2);
      return () => matmul(A, B);
    }
    case "kron": {
      const A = rnd([a.p, a.p], 3), B = rnd([a.p, a.p], 4);
      return () => kron(A, B);
    }
    case "outer": {
      const g = rnd([a.n], 5), x = rnd([a.n], 6);
      return () => outer(g, x);
    }
    case "contract": {
      const g = rnd([a.n], 5), J = jacobianOfMatmul(zeros([a.n, a.n]), rnd([a.n], 6));
      return () => J.contract(g);
    }
    case "materialize": {
      const W = rnd([a.m, a.n], 8), x = rnd([a.n], 7);
      return () => jacobianOfMatmul(W, x).materialize();
    }
    case "jacobian": {
      const x = rnd([a.n], 7), W = rnd([a.m, a.n], 8);
      return () => jacobian((w: Tensor) => matmul(w, x), W);
    }
    case "grad_lsq":
    case "grad_lsq_closed": {
      const W = rnd([a.n, a.n], 9), x = rnd([a.n], 10), t = rnd([a.n], 11);
      const loss = (w: Tensor) => mul(0.5, sum(square(sub(matmul(w, x), t))));
      if (task === "grad_lsq") return () => valueAndGrad(loss, W);
      return () => {
        const r = sub(matmul(W, x), t);
        return [mul(0.5, sum(square(r))), outer(r, x)];
      };
    }
    case "grad_mlp":
    case "grad_mlp_closed": {
      const X = rnd([a.batch, a.d], 12), W1 = mul(0.05, rnd([a.d, a.h], 13));
      const W2 = mul(0.05, rnd([a.h, a.o], 14)), Y = rnd([a.batch, a.o], 15);
      const loss = (w1: Tensor, w2: Tensor) =>
        mul(0.5 / a.batch, sum(square(sub(matmul(tanh(matmul(X, w1)), w2), Y))));
      if (task === "grad_mlp") return () => valueAndGrad(loss, [W1, W2]);
      return () => {
        const H = tanh(matmul(X, W1));
        const R = mul(1 / a.batch, sub(matmul(H, W2), Y));
        const gW2 = matmul(transpose(H), R);
        const gW1 = matmul(transpose(X), mul(matmul(R, transpose(W2)), sub(1, square(H))));
        return [gW1, gW2];
      };
    }
    case "mnist": {
      const data = digits ??= loadMnist();
      return () => softmaxEpoch(data);
    }
  }
  throw new Error(`compare_child: unknown task ${task}`);
}

/** Sets the backend and threads a request asks for. */
function configure(args: Record<string, unknown>): void {
  setBackend((args.backend as BackendName | undefined) ?? defaultBackend);
  setThreads((args.threads as number | undefined) ?? 1);
}

const defaultBackend = getBackend().name;

if (import.meta.main) {
  const cache = new Map<string, () => unknown>();
  let buf = "";
  const enc = new TextEncoder();
  const answer = (v: unknown) => Deno.stdout.write(enc.encode(JSON.stringify(v) + "\n"));
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const line of lines) {
      const req = JSON.parse(line) as {
        task: string;
        args: Record<string, number | string | boolean>;
        iters: number;
      };
      if (req.task === "info") {
        await answer({ ...getBackend(), tunables: Deno.env.get("GLIBC_TUNABLES") ?? null });
        continue;
      }
      const { backend: _b, threads: _t, wake, ...shape } = req.args;
      const key = JSON.stringify([req.task, shape]);
      if (!cache.has(key)) cache.set(key, setup(req.task, shape as Record<string, number>));
      const f = cache.get(key)!;
      configure(req.args);
      if (wake) {
        // The wasm kernel's worker closes after a second idle; a restarted one needs a moment
        // before a product uses it, so the sample would otherwise time single-threaded products.
        f();
        await new Promise((r) => setTimeout(r, 300));
        f();
      }
      const t0 = performance.now();
      for (let i = 0; i < req.iters; i++) f();
      await answer((performance.now() - t0) / 1e3 / req.iters);
    }
  }
}
