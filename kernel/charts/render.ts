import "./quiet.ts";
import * as vega from "vega";
import * as vl from "vega-lite";

/** A Vega-Lite v5 specification (a plain JSON object). */
export type VegaLiteSpec = Record<string, unknown>;

/** The `$schema` that Deno's kernel and JupyterLab 4 recognize as Vega-Lite v5. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** @internal Compiles a Vega-Lite spec to Vega, throwing vega-lite's own error if invalid. */
export function compileVegaLite(spec: VegaLiteSpec): Record<string, unknown> {
  // deno-lint-ignore no-explicit-any
  return vl.compile(spec as any).spec as unknown as Record<string, unknown>;
}

interface HeadlessView {
  run(): unknown;
  padding(): { left: number; right: number; top: number; bottom: number };
  background(): string;
  loader(): unknown;
  finalize(): void;
  _origin: [number, number];
  _viewWidth: number;
  _viewHeight: number;
  _scenegraph: { root: unknown };
}

/**
 * Renders a Vega-Lite spec to an SVG string, synchronously: `view.toSVG()` does the same work
 * behind promises, which cannot settle while a synchronous training loop holds the thread, so
 * live charts would only update after the loop. The result is byte-identical to `toSVG()` for
 * specs without external images or data URLs.
 */
export function renderSvg(spec: VegaLiteSpec): string {
  // deno-lint-ignore no-explicit-any
  const runtime = vega.parse(compileVegaLite(spec) as any);
  const view = new vega.View(runtime, { renderer: "none" }) as unknown as HeadlessView;
  try {
    view.run();
    const pad = view.padding(), origin = view._origin;
    // deno-lint-ignore no-explicit-any
    const Renderer = (vega as any).renderModule("svg").headless;
    const r = new Renderer(view.loader());
    r.initialize(
      null,
      Math.max(0, view._viewWidth + pad.left + pad.right),
      Math.max(0, view._viewHeight + pad.top + pad.bottom),
      [pad.left + origin[0], pad.top + origin[1]],
      1,
    ).background(view.background());
    r.render(view._scenegraph.root);
    return r.svg() as string;
  } finally {
    view.finalize();
  }
}

/**
 * @internal Vega's colour scheme `name` (case-insensitive): an interpolator over [0, 1] for
 * continuous schemes, a list of colours for discrete ones, `undefined` if vega has no such scheme.
 */
export function vegaScheme(name: string): ((t: number) => string) | string[] | undefined {
  return (vega as unknown as { scheme(name: string): ((t: number) => string) | string[] })
    .scheme(name) ?? undefined;
}
