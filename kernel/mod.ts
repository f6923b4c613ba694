/**
 * matcalc in Deno's Jupyter kernel: rich tensor display (HTML tables, LaTeX, Jacobian slices),
 * `latex`/`md` templates with live numbers, charts that render in every frontend (Plotly,
 * Vega-Lite v5 and a headless SVG), and live training curves.
 *
 * Importing this module installs the display hook, so tensors shown at the end of a cell render
 * as tables and matrices:
 *
 * ```ts ignore
 * import { tensor } from "matcalc";
 * import "matcalc/kernel";
 * tensor([[1, 2], [3, 4]]); // shown as an HTML table and a LaTeX bmatrix
 * ```
 *
 * @module
 */
import { installDisplayHook } from "./tensor_display.ts";
import { inJupyter } from "./jupyter.ts";

export { display, type DisplayOptions, inJupyter, type MimeBundle, mimeBundle } from "./jupyter.ts";
export {
  installDisplayHook,
  show,
  TensorView,
  type TensorViewOptions,
  toHtml,
  toLatex,
} from "./tensor_display.ts";
export { Latex, latex, Markdown, md } from "./math_text.ts";
export * from "./charts/mod.ts";
export {
  LiveLoss,
  liveLoss,
  type LiveLossOptions,
  type LossValue,
  trainingMonitor,
} from "./live.ts";

installDisplayHook();
restoreNotebookDir();
plainTextWithoutColours();

/**
 * Deno's kernel formats a cell's value as `text/plain` with ANSI colour codes unless
 * `Deno.noColor`; saved notebooks, HTML pages and most frontends then show the raw codes. In a
 * kernel, matcalc turns colours off (the kernel reads the flag at each display).
 */
function plainTextWithoutColours(): void {
  if (!inJupyter()) return;
  try {
    Object.defineProperty(Deno, "noColor", { value: true, configurable: true });
  } catch {
    // A Deno whose noColor cannot be redefined keeps its colours.
  }
}

/**
 * The matcalc kernelspec (see kernel/install.ts) starts Deno in the repository so that its
 * deno.json import map applies, and passes the notebook's folder in MATCALC_NOTEBOOK_DIR; going
 * back there makes relative file paths in the notebook mean what the user expects.
 */
function restoreNotebookDir(): void {
  try {
    const dir = Deno.env.get("MATCALC_NOTEBOOK_DIR");
    if (dir && Deno.cwd() !== dir) Deno.chdir(dir);
  } catch {
    // Without env or read permission there is nothing to restore.
  }
}
