/**
 * The pipe to a benchmark's helper process.
 *
 * @module
 */
/**
 * A helper process of a benchmark: one JSON request per line on its stdin, one JSON answer per
 * line on its stdout (`compare.ts` asks numpy and matcalc `{task, args, iters}`, and
 * `compare_revision.ts` asks each tree for a row's sample).
 */
export class Child {
  #proc: Deno.ChildProcess;
  #lines: AsyncIterator<string>;
  #w: WritableStreamDefaultWriter<Uint8Array>;
  #name: string;
  constructor(cmd: string, args: string[], env: Record<string, string>) {
    this.#name = [cmd, ...args].join(" ");
    this.#proc = new Deno.Command(cmd, {
      args,
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    this.#w = this.#proc.stdin.getWriter();
    this.#lines = this.#proc.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new (class extends TransformStream<string, string> {
        constructor() {
          let buf = "";
          super({
            transform(chunk, ctl) {
              buf += chunk;
              const parts = buf.split("\n");
              buf = parts.pop()!;
              for (const p of parts) ctl.enqueue(p);
            },
          });
        }
      })(),
    )[Symbol.asyncIterator]();
  }
  async ask(req: unknown): Promise<unknown> {
    await this.#w.write(new TextEncoder().encode(JSON.stringify(req) + "\n"));
    const { value, done } = await this.#lines.next();
    if (done) throw new Error(`benchmark helper exited: ${this.#name}`);
    return JSON.parse(value);
  }
  async close() {
    await this.#w.close();
    await this.#proc.status;
  }
}
