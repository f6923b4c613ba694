/**
 * `deno run -A tests/bench/mnist_profile.ts [rounds]`: times the MNIST softmax-regression epoch
 * of compare.ts alone (median of rounds); run with `--cpu-prof` to profile it.
 *
 * @module
 */
import { loadMnist, softmaxEpoch } from "./mnist_epoch.ts";

const digits = loadMnist();
const epoch = () => softmaxEpoch(digits);

const rounds = Number(Deno.args[0] ?? 30);
const times: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  epoch();
  times.push(performance.now() - t0);
}
console.log(times.map((t) => t.toFixed(1)).join(" "));
times.sort((a, b) => a - b);
console.log(
  `epoch median ${times[times.length >> 1].toFixed(2)} ms, min ${times[0].toFixed(2)} ms`,
);
