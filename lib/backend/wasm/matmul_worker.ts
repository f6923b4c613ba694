/// <reference lib="deno.worker" />
/**
 * @internal A helper thread for {@link matmulKernel}: it instantiates the shared-memory gemm over
 * the caller's memory, then waits on its control words for products to help with, and claims
 * their row blocks alongside the caller. It closes itself after a second idle so a pool never
 * keeps a script (or `deno test`) alive.
 *
 * @module
 */
import {
  CTL,
  type Gemm,
  help,
  IDLE_MS,
  type PackB,
  readJob,
  STATE,
  waitWhile,
  warmUp,
} from "./matmul_protocol.ts";

self.onmessage = (e: MessageEvent) => {
  const { module, memory, ctl, sync } = e.data as {
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    ctl: Int32Array;
    sync: Int32Array;
  };
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const gemm = ex.gemm as Gemm, packb = ex.packb as PackB;
  warmUp(module, true);
  Atomics.store(ctl, CTL.state, STATE.idle);
  Atomics.notify(ctl, CTL.state);
  // Between products a worker spins as the last product asked (not before the first).
  let spin = 0;
  for (;;) {
    const s = Atomics.load(ctl, CTL.state);
    if (s === STATE.job) {
      const job = readJob(ctl);
      spin = job.spin;
      help(gemm, packb, memory, job, sync);
      Atomics.store(ctl, CTL.state, STATE.done);
      Atomics.notify(ctl, CTL.state);
    } else if (s === STATE.done) {
      waitWhile(ctl, CTL.state, STATE.done, spin, IDLE_MS);
    } else if (!waitWhile(ctl, CTL.state, STATE.idle, spin, IDLE_MS)) {
      // Only an idle worker may close, and the caller only posts to an idle one: the
      // compare-exchange decides which of the two happens.
      if (Atomics.compareExchange(ctl, CTL.state, STATE.idle, STATE.closed) === STATE.idle) {
        self.close();
        return;
      }
    }
  }
};
