/**
 * Overhead of `liveLoss` on a 10,000-step training loop. The "step" is a busy-wait of a fixed
 * length, so the figure measures the monitor and not the garbage collector of a real step.
 * Jupyter mode draws real SVGs; a no-op broadcast stands in for the kernel socket (the send is
 * an async op that does not block the loop).
 *
 * ```sh
 * deno run -A tests/bench/live_overhead.ts [steps = 10000] [µs per step = 100]
 * ```
 *
 * @module
 */
import { liveLoss, type LiveLossOptions } from "../../kernel/mod.ts";
import { setJupyterApiForTesting } from "../../kernel/jupyter.ts";

const steps = Number(Deno.args[0] ?? 10_000);
const stepMs = Number(Deno.args[1] ?? 100) / 1000;

function work(): number {
  const until = performance.now() + stepMs;
  let x = 0;
  while (performance.now() < until) x++;
  return 1 / (x + 1);
}

interface Run {
  ms: number;
  renders: number;
  renderMs: number;
}

function run(options: LiveLossOptions | undefined, withWork: boolean): Run {
  const mon = options && liveLoss({ total: steps, series: ["train", "test"], ...options });
  const t0 = performance.now();
  for (let s = 1; s <= steps; s++) {
    const loss = withWork ? work() : 1 / s;
    mon?.push(s, { train: loss, test: 1.1 * loss });
  }
  mon?.done();
  const stats = mon?.stats() ?? { renders: 0, renderMs: 0 };
  return { ms: performance.now() - t0, ...stats };
}

function median(options: LiveLossOptions | undefined, withWork: boolean, reps = 5): Run {
  const runs = Array.from({ length: reps }, () => run(options, withWork));
  return runs.sort((a, b) => a.ms - b.ms)[Math.floor(reps / 2)];
}

setJupyterApiForTesting({ broadcast: () => Promise.resolve() });
median({}, false, 3); // warm up vega and the monitor
setJupyterApiForTesting(null);

const push = median({ output: "none" }, false, 7);
console.log(
  `push() alone: ${
    ((push.ms / steps) * 1000).toFixed(2)
  } µs per step (${steps} steps, record only)`,
);
const base = median(undefined, true, 3);
setJupyterApiForTesting({ broadcast: () => Promise.resolve() });
const live = median({}, true, 3);
setJupyterApiForTesting(null);
const over = live.ms - base.ms;
console.log(
  `${steps}-step loop at ${stepMs * 1000} µs/step: ${base.ms.toFixed(0)} ms bare, ` +
    `${live.ms.toFixed(0)} ms with the live Jupyter chart (${over >= 0 ? "+" : ""}${
      ((100 * over) / base.ms).toFixed(1)
    }% wall clock, on a shared machine)`,
);
console.log(
  `time spent drawing: ${live.renders} chart renders × ${
    (live.renderMs / live.renders).toFixed(0)
  } ms = ${live.renderMs.toFixed(0)} ms = ${
    ((100 * live.renderMs) / live.ms).toFixed(1)
  }% of the loop`,
);
