"""Executes one notebook with nbclient, cell by cell, for kernel/run_notebooks.ts.

Cell by cell (rather than `jupyter nbconvert --execute`) so a failure can name the cell index,
and so the per-cell timeout can shrink to fit the overall deadline. Prints one line
`MATCALC_RESULT {json}` and always writes the (partially) executed notebook to `dst`, and with
`--html PATH` its HTML page.

The HTML export keeps SVG outputs drawn: nbconvert 6.5 (Debian 12) passes `image/svg+xml`
through lxml's `clean_html`, which drops every SVG element and leaves only the text, so a chart
would show as a string of tick labels on a page without scripts. SVGs are instead sanitized as
XML (scripts, foreignObject, event handlers and javascript: links removed) and inlined.
"""
import argparse
import asyncio
import json
import queue
import math
import signal
import sys
import time

import xml.etree.ElementTree as ET

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import (
    CellExecutionComplete,
    CellExecutionError,
    CellTimeoutError,
    DeadKernelError,
)
from nbclient.util import ensure_async, run_sync


SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def safe_svg(svg: str) -> str:
    """The SVG with anything executable removed; empty if it does not parse as XML."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return ""
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag.split("}")[-1].lower()
            if tag in ("script", "foreignobject", "iframe", "object", "embed"):
                parent.remove(child)
        for name in list(parent.attrib):
            local = name.split("}")[-1].lower()
            value = parent.attrib[name].strip().lower()
            if local.startswith("on") or value.startswith("javascript:") or (
                local == "href" and not value.startswith("#")
            ):
                del parent.attrib[name]
    return ET.tostring(root, encoding="unicode")


class LateOutputClient(NotebookClient):
    """Keeps outputs that Deno's kernel publishes after the cell's `status: idle`.

    deno jupyter 2.9 sometimes sends a cell's execute_result (or a display_data) just after the
    idle status that closes the cell; stock nbclient then drops it because the next cell's poll
    ignores other parents, and the notebook is saved with a silently empty output. Here every
    message is routed to the cell whose request it answers, however late it arrives, and after
    the last cell the channel is drained briefly. Failures are unaffected: they come from the
    shell channel's execute_reply, which nbclient still checks.
    """

    drain_seconds = 0.5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cell_of_msg = {}
        self.late_outputs = 0

    def _route(self, msg, current_id=None) -> bool:
        """Processes `msg` into its cell; True when it closed the current cell."""
        parent = msg["parent_header"].get("msg_id")
        target = self._cell_of_msg.get(parent)
        if target is None:
            return False
        if parent != current_id and msg["msg_type"] in (
            "execute_result", "display_data", "update_display_data", "stream", "error"
        ):
            self.late_outputs += 1
        try:
            self.process_message(msg, *target)
        except CellExecutionComplete:
            return parent == current_id
        return False

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        self._cell_of_msg[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if self._route(msg, parent_msg_id):
                return

    async def _async_drain(self):
        assert self.kc is not None
        end = time.monotonic() + self.drain_seconds
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=left))
            except (queue.Empty, asyncio.TimeoutError):
                return
            self._route(msg)

    drain = run_sync(_async_drain)


def export_html(nb, path: str) -> None:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import default_filters

    clean = default_filters["clean_html"]
    exporter = HTMLExporter()
    exporter.register_filter(
        "clean_html", lambda s: safe_svg(s) if s.lstrip().startswith("<svg") else clean(s)
    )
    body, _ = exporter.from_notebook_node(nb)
    with open(path, "w", encoding="utf-8") as f:
        f.write(body)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--kernel", default="deno")
    p.add_argument("--cell-timeout", type=int, default=300)
    p.add_argument("--deadline", type=float, default=1800)
    p.add_argument("--cwd", required=True)
    p.add_argument("--html")
    p.add_argument("--rerun", action="store_true")
    a = p.parse_args()

    def on_term(signum, frame):
        # SystemExit unwinds through setup_kernel(), which shuts the kernel down.
        raise SystemExit(f"terminated by signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    start = time.monotonic()
    nb = nbformat.read(a.src, as_version=4)
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    result = {"status": "ok", "cells": code_cells, "cell": None, "error": None}
    try:
        client = LateOutputClient(
            nb,
            timeout=a.cell_timeout,
            kernel_name=a.kernel,
            resources={"metadata": {"path": a.cwd}},
            allow_errors=False,
            startup_timeout=120,
        )
        with client.setup_kernel():
            # --rerun runs every cell a second time in the same kernel, as "Run All" twice
            # would: notebooks must survive that (no `const` clashes, no state that breaks).
            for run in range(2 if a.rerun else 1):
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    remaining = a.deadline - (time.monotonic() - start)
                    if remaining <= 0:
                        raise CellTimeoutError(
                            f"overall timeout of {a.deadline:g} s reached before this cell"
                        )
                    client.timeout = max(1, min(a.cell_timeout, math.ceil(remaining)))
                    try:
                        client.execute_cell(cell, index)
                    except Exception as e:
                        result["cell"] = index
                        result["source"] = cell.source.split("\n")[0][:120]
                        if run == 1:
                            result["source"] += " (on the second run in the same kernel)"
                        raise e
            client.drain()
            result["late_outputs"] = client.late_outputs
    except CellExecutionError as e:
        result["status"] = "error"
        result["error"] = f"{e.ename}: {e.evalue}"
    except (CellTimeoutError, TimeoutError) as e:
        result["status"] = "timeout"
        result["error"] = str(e).strip().split("\n")[0] or "cell timed out"
    except DeadKernelError as e:
        result["status"] = "error"
        result["error"] = f"kernel died: {e}"
    except SystemExit as e:
        result["status"] = "timeout"
        result["error"] = str(e)
    except Exception as e:  # kernel start failures, missing kernelspec, …
        result["status"] = "error"
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        result["seconds"] = round(time.monotonic() - start, 2)
        nbformat.write(nb, a.dst)
        if a.html:
            try:
                export_html(nb, a.html)
                result["html"] = a.html
            except Exception as e:
                result["html_error"] = f"{type(e).__name__}: {e}"
        print("MATCALC_RESULT " + json.dumps(result), flush=True)
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
