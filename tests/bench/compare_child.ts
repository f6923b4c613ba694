/**
 * A second matcalc process for `compare.ts`, started without `GLIBC_TUNABLES` so the table shows
 * what the memory-bound rows cost under glibc's default malloc (4 KiB page faults) beside the
 * huge-page runs. Speaks the same protocol as `compare_numpy.py`: one JSON request per line
 * (`{task, args, iters}`), answered with the seconds per call.
 *
 * @module
 */
import { jacobianOfMatmul, kron, outer, randn, type Tensor, zeros } from "matcalc";

const rnd = (shape: number[], seed: number) => randn(shape, { seed });

/**
 * The matcalc call timed for a memory-bound row; `compare.ts` times the same closures in its
 * own process, so the two processes differ only in their malloc settings.
 */
export function setup(task: string, a: Record<string, number>): () => Tensor {
  switch (task) {
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
  }
  throw new Error(`compare_child: unknown task ${task}`);
}

if (import.meta.main) {
  const cache = new Map<string, () => Tensor>();
  let buf = "";
  const enc = new TextEncoder();
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const line of lines) {
      const req = JSON.parse(line) as { task: string; args: Record<string, number>; iters: number };
      const key = JSON.stringify([req.task, req.args]);
      if (!cache.has(key)) cache.set(key, setup(req.task, req.args));
      const f = cache.get(key)!;
      const t0 = performance.now();
      for (let i = 0; i < req.iters; i++) f();
      await Deno.stdout.write(
        enc.encode(JSON.stringify((performance.now() - t0) / 1e3 / req.iters) + "\n"),
      );
    }
  }
}
