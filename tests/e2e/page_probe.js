// Runs inside the classic Jupyter Notebook 6 page (injected by e2e.ts): reads what is on screen,
// cell by cell, next to what the kernel sent (the output models), so the checks compare the two.
// Plain JS on purpose: it is evaluated by the browser, not by Deno.
(() => {
  const MATH = ".MathJax, .MathJax_Display, .MathJax_CHTML, .MathJax_SVG, mjx-container";
  const MATH_ERROR = ".MathJax_Error, merror, .MathJax_Preview:not(:empty) + .MathJax_Error";
  const CHART_MIMES = [
    "image/svg+xml",
    "application/vnd.plotly.v1+json",
    "application/vnd.vegalite.v5+json",
    "application/vnd.vegalite.v4+json",
  ];
  const nb = () => globalThis.Jupyter.notebook;

  function hash(s) {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
    return `${(h >>> 0).toString(16)}:${s.length}`;
  }

  // Drawing commands in the paths under `el`: grows as a live curve gains points.
  function pathPoints(el) {
    let n = 0;
    for (const p of el.querySelectorAll("svg path")) {
      n += ((p.getAttribute("d") || "").match(/[MLHVCSQTA]/gi) || []).length;
    }
    return n;
  }

  function visible(el) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 10 && r.height > 10 && style.visibility !== "hidden" &&
      style.display !== "none";
  }

  // One chart's drawing: line paths (vega `mark-line`), point symbols, heatmap cells, any path.
  function svgInfo(svg) {
    const count = (sel) => svg.querySelectorAll(sel).length;
    return {
      visible: visible(svg),
      paths: count("path"),
      linePaths: count("g.mark-line path"),
      symbolPaths: count("g.mark-symbol.role-mark path"),
      rectPaths: count("g.mark-rect.role-mark path"),
      images: count("image"),
    };
  }

  // The running cell (first one still showing In [*]) and a signature of its charts.
  function sample() {
    const cells = nb().get_cells();
    const running = cells.findIndex((c) => c.cell_type === "code" && c.input_prompt_number === "*");
    let sig = null, points = 0, text = "";
    if (running >= 0) {
      const out = cells[running].output_area.element[0];
      const paths = Array.from(out.querySelectorAll("svg path"), (p) => p.getAttribute("d"));
      if (paths.length) sig = hash(paths.join("|"));
      points = pathPoints(out);
      text = out.innerText.slice(0, 300);
    }
    return { running, busy: nb().kernel_busy, sig, points, text };
  }

  function outputInfo(model, el) {
    const data = model.data || {};
    const mimes = Object.keys(data);
    const fig = data["application/vnd.plotly.v1+json"];
    const html = typeof data["text/html"] === "string" ? data["text/html"] : "";
    const info = {
      type: model.output_type,
      mimes,
      ename: model.ename,
      evalue: model.evalue,
      isChart: CHART_MIMES.some((m) => mimes.includes(m)),
      plotly: fig ?? null,
      traces: fig && Array.isArray(fig.data)
        ? fig.data.map((t) => ({ type: t.type || "scatter", mode: t.mode || "" }))
        : [],
      htmlHasTable: /<table/i.test(html),
      hasLatex: mimes.includes("text/latex"),
      text: model.output_type === "stream"
        ? String(model.text).slice(0, 500)
        : String(data["text/plain"] ?? "").slice(0, 300),
      dom: null,
    };
    if (el) {
      info.dom = {
        svgs: Array.from(el.querySelectorAll("svg"), svgInfo),
        tables: el.querySelectorAll("table").length,
        math: el.querySelectorAll(MATH).length,
        mathErrors: el.querySelectorAll(MATH_ERROR).length,
        errorClass: el.querySelectorAll(".output_error").length,
        subareaClass: (el.querySelector(".output_subarea") || {}).className || "",
        visible: visible(el),
      };
    }
    return info;
  }

  // Everything the checks need, after MathJax has finished typesetting.
  async function report() {
    const mj = globalThis.MathJax;
    if (mj && mj.Hub && mj.Hub.Queue) await new Promise((resolve) => mj.Hub.Queue(resolve));
    const cells = nb().get_cells().map((cell, index) => {
      const el = cell.element[0];
      const source = cell.get_text();
      const base = {
        index,
        type: cell.cell_type,
        head: source.split("\n")[0].slice(0, 120),
        source,
        prompt: cell.cell_type === "code" ? cell.input_prompt_number : null,
      };
      if (cell.cell_type === "markdown") {
        // `$` that is not escaped: the cell is meant to have math in it.
        const wantsMath = /(^|[^\\])\$/.test(source);
        return {
          ...base,
          rendered: cell.rendered,
          wantsMath,
          math: el.querySelectorAll(MATH).length,
          mathErrors: el.querySelectorAll(MATH_ERROR).length,
          outputs: [],
        };
      }
      if (cell.cell_type !== "code") return { ...base, outputs: [] };
      const areas = cell.output_area.element.children(".output_area").toArray();
      const models = cell.output_area.outputs;
      const aligned = areas.length === models.length;
      const out = cell.output_area.element[0];
      const paths = Array.from(out.querySelectorAll("svg path"), (p) => p.getAttribute("d"));
      return {
        ...base,
        aligned,
        sig: paths.length ? hash(paths.join("|")) : null,
        points: pathPoints(out),
        outputs: models.map((m, i) => outputInfo(m, aligned ? areas[i] : null)),
        cellDom: {
          svgs: Array.from(cell.output_area.element[0].querySelectorAll("svg"), svgInfo),
          tables: cell.output_area.element[0].querySelectorAll("table").length,
          math: cell.output_area.element[0].querySelectorAll(MATH).length,
        },
      };
    });
    return {
      mathJax: Boolean(mj && mj.Hub),
      mathJaxUrl: (document.querySelector("script[src*='MathJax']") || {}).src || "",
      kernelName: nb().kernel ? nb().kernel.name : "",
      cells,
    };
  }

  globalThis.__e2e = { sample, report };
})();
