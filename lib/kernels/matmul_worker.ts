/// <reference lib="deno.worker" />
/**
 * @internal A helper thread for {@link matmulKernel}: it instantiates the shared-memory gemm over
 * the caller's memory, then waits on a control word for row blocks of C to compute. It closes
 * itself after a second idle so a pool never keeps a script (or `deno test`) alive.
 *
 * @module
 */
import { CTL, IDLE_MS, STATE, warmUp } from "./matmul_protocol.ts";

self.onmessage = (e: MessageEvent) => {
  const { module, memory, ctl } = e.data as {
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    ctl: Int32Array;
  };
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as (
    ...args: number[]
  ) => void;
  warmUp(module, true);
  Atomics.store(ctl, CTL.state, STATE.idle);
  Atomics.notify(ctl, CTL.state);
  for (;;) {
    const s = Atomics.load(ctl, CTL.state);
    if (s === STATE.job) {
      gemm(
        ctl[CTL.m],
        ctl[CTL.k],
        ctl[CTL.n],
        ctl[CTL.a],
        ctl[CTL.b],
        ctl[CTL.c],
        ctl[CTL.ws],
        ctl[CTL.trans],
        ctl[CTL.lda],
      );
      Atomics.store(ctl, CTL.state, STATE.done);
      Atomics.notify(ctl, CTL.state);
    } else if (s === STATE.done) {
      Atomics.wait(ctl, CTL.state, STATE.done, IDLE_MS);
    } else if (Atomics.wait(ctl, CTL.state, STATE.idle, IDLE_MS) === "timed-out") {
      // Only an idle worker may close, and the caller only posts to an idle one: the
      // compare-exchange decides which of the two happens.
      if (Atomics.compareExchange(ctl, CTL.state, STATE.idle, STATE.closed) === STATE.idle) {
        self.close();
        return;
      }
    }
  }
};
