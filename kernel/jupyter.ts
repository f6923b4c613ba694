/**
 * The one place that talks to Deno's Jupyter kernel. Everything goes through
 * `Deno.jupyter.broadcast`, not `Deno.jupyter.display`: broadcast is an eager op that sends its
 * message while a synchronous training loop is still running, whereas `display` first awaits a
 * formatting step and so only sends after the loop (and out of order with broadcasts).
 *
 * @module
 */

/** A Jupyter MIME bundle: MIME type to content (strings, or JSON for `application/*+json`). */
export type MimeBundle = Record<string, unknown>;

/** @internal The part of `Deno.jupyter` matcalc uses. */
export interface JupyterApi {
  broadcast(msgType: string, content: Record<string, unknown>): Promise<void>;
}

let override: JupyterApi | undefined | null = null;

/** @internal Replaces the kernel API in tests (`null` restores the real one). */
export function setJupyterApiForTesting(api: JupyterApi | undefined | null): void {
  override = api;
}

/** @internal Deno's Jupyter API, or `undefined` outside a kernel (where touching it throws). */
export function jupyterApi(): JupyterApi | undefined {
  if (override !== null) return override;
  try {
    const api = (Deno as unknown as { jupyter?: JupyterApi }).jupyter;
    return typeof api?.broadcast === "function" ? api : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this code runs inside Deno's Jupyter kernel. */
export function inJupyter(): boolean {
  return jupyterApi() !== undefined;
}

/** Options for {@linkcode display}. */
export interface DisplayOptions {
  /** Names the output so a later call with `update: true` can replace it in place. */
  displayId?: string;
  /** Replace the output shown earlier under `displayId` instead of adding a new one. */
  update?: boolean;
}

const DISPLAY = Symbol.for("Jupyter.display");

/**
 * The MIME bundle Jupyter would show for `value`: its own `Jupyter.display` bundle, a raw bundle
 * as is, or plain text.
 *
 * @example A tensor's bundle after importing matcalc/kernel
 * ```ts
 * import { tensor } from "matcalc";
 * import { mimeBundle } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * const b = mimeBundle(tensor([[1, 2]]));
 * assertEquals(Object.keys(b).sort(), ["text/html", "text/latex", "text/plain"]);
 * ```
 */
export function mimeBundle(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const fn = (value as Record<symbol, unknown>)[DISPLAY];
    if (typeof fn === "function") {
      const b = fn.call(value);
      if (b && typeof b === "object" && !(b instanceof Promise)) return b as MimeBundle;
    }
    if (isBundle(value)) return value as MimeBundle;
  }
  return { "text/plain": typeof value === "string" ? value : Deno.inspect(value) };
}

function isBundle(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => /^[a-z]+\/[-+.\w]+$/.test(k));
}

/**
 * Shows `value` (anything with a `Jupyter.display` bundle, such as a tensor or a chart, a raw
 * MIME bundle, or any other value as text) as a cell output, optionally replacing an earlier
 * output in place. Outside Jupyter it prints the plain-text form and returns `false`; it never
 * throws because of the frontend.
 *
 * @example Outside a kernel it prints plain text
 * ```ts
 * import { tensor } from "matcalc";
 * import { display } from "matcalc/kernel";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(display(tensor([1, 2]), { displayId: "v" }), false);
 * ```
 */
export function display(value: unknown, options: DisplayOptions = {}): boolean {
  const bundle = mimeBundle(value);
  if (sendBundle(bundle, options)) return true;
  if (!options.update) console.log(String(bundle["text/plain"] ?? ""));
  return false;
}

/** @internal Broadcasts a bundle; `false` when there is no kernel or the send failed. */
export function sendBundle(bundle: MimeBundle, options: DisplayOptions = {}): boolean {
  const api = jupyterApi();
  if (!api) return false;
  const transient = options.displayId ? { display_id: options.displayId } : {};
  try {
    const p = api.broadcast(options.update ? "update_display_data" : "display_data", {
      data: bundle,
      metadata: {},
      transient,
    });
    // A frontend that went away must not crash the training loop that is displaying.
    p?.catch?.(() => {});
    return true;
  } catch {
    return false;
  }
}

let counter = 0;
/** @internal A display id unique within this kernel. */
export function newDisplayId(prefix: string): string {
  counter++;
  return `matcalc-${prefix}-${Date.now().toString(36)}-${counter}`;
}
