"""Executes one notebook with nbclient, cell by cell, for kernel/run_notebooks.ts.

Cell by cell (rather than `jupyter nbconvert --execute`) so a failure can name the cell index,
and so the per-cell timeout can shrink to fit the overall deadline. Prints one line
`MATCALC_RESULT {json}` and always writes the (partially) executed notebook to `dst` (through a
temporary file in the same folder and a rename, so a failed write leaves no partial file).

With `--html-parts PATH` it also exports the HTML page with nbconvert, but every piece of
untrusted markup (text/html, image/svg+xml and text/markdown outputs, Markdown cells) replaced
by a token; PATH gets `{"page": ..., "fragments": [{"token", "kind", "markup"}]}` and the runner
sanitizes each fragment with DOMPurify (kernel/sanitize.ts) before putting it back. JavaScript
outputs are dropped, as Jupyter does for an untrusted notebook. (nbconvert 6.5's own clean_html
would also strip every SVG element, leaving a chart as a string of tick labels.)
"""
import argparse
import asyncio
import copy
import json
import os
import queue
import math
import secrets
import signal
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import (
    CellExecutionComplete,
    CellExecutionError,
    CellTimeoutError,
    DeadKernelError,
)
from nbclient.util import ensure_async, run_sync

BARRIER_MIME = "application/x-matcalc-barrier"


class Terminated(BaseException):
    """SIGTERM or SIGINT: stop the cell, shut the kernel down, exit non-zero."""

    def __init__(self, signum: int):
        super().__init__(f"terminated by {signal.Signals(signum).name}")
        self.signum = signum


class LateOutputClient(NotebookClient):
    """Gives every output to the cell that made it, however late Deno's kernel sends it.

    deno jupyter 2.9 sends some of a cell's messages (display_data from a synchronous loop, the
    execute_result, stdout) after the `status: idle` that closes the cell, and parents those
    still queued when the next request arrives to that next request. Stock nbclient drops the
    first kind and files the second under the next cell. So after each cell the client sends a
    barrier request that prints a one-time token on stdout and stderr and broadcasts it as a
    display: the kernel's queues are first in, first out, so every message that arrives before
    all three tokens, whichever request it names as parent, was made by the cell before the
    barrier. The barrier runs with `store_history: false` (execution counts are unchanged) and
    its tokens are never saved.
    """

    drain_seconds = 0.5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cell_of_msg = {}
        self.late_outputs = 0
        # Per cell index: outputs that came after the cell's idle under its own request, and
        # outputs that came under the barrier's (the next) request.
        self.late_by_cell = {}
        self.barriers = True

    def _count_late(self, index, how):
        counts = self.late_by_cell.setdefault(str(index), {"after_idle": 0, "next_request": 0})
        counts[how] += 1

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
            self._count_late(target[1], "after_idle")
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

    async def _async_barrier(self, cell, cell_index, timeout: float):
        """Collects every late output of `cell` (see the class docstring)."""
        assert self.kc is not None
        token = "matcalc-barrier-" + secrets.token_hex(8)
        code = (
            f'console.log("{token}"); console.error("{token}"); '
            f'Deno.jupyter.broadcast("display_data", {{ data: {{ "{BARRIER_MIME}": "{token}" }}, '
            "metadata: {}, transient: {} });"
        )
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
        # Everything parented to the barrier before its tokens belongs to the cell before it.
        self._cell_of_msg[msg_id] = (cell, cell_index)
        waiting = {"stdout", "stderr", "display"}
        idle = False
        end = time.monotonic() + timeout
        while waiting or not idle:
            left = end - time.monotonic()
            if left <= 0:
                raise CellTimeoutError(
                    f"the kernel did not answer the output barrier after cell {cell_index} "
                    f"within {timeout:g} s (still waiting for {sorted(waiting)})"
                )
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=left))
            except (queue.Empty, asyncio.TimeoutError):
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                kind, content = msg["msg_type"], msg["content"]
                if kind == "status":
                    idle = idle or content.get("execution_state") == "idle"
                    continue
                if kind in ("execute_input", "clear_output"):
                    continue
                if kind == "error":
                    raise RuntimeError(
                        f"output barrier failed: {content.get('ename')}: {content.get('evalue')}"
                    )
                if kind == "display_data" and content.get("data", {}).get(BARRIER_MIME) == token:
                    waiting.discard("display")
                    continue
                if kind == "stream" and token in content.get("text", ""):
                    waiting.discard(content.get("name"))
                    text = content["text"].replace(token + "\n", "").replace(token, "")
                    if not text:
                        continue
                    msg = copy.deepcopy(msg)
                    msg["content"]["text"] = text
                if kind == "execute_result" and not waiting:
                    continue  # the barrier's own value, if a kernel sends one
                self.late_outputs += 1
                self._count_late(cell_index, "next_request")
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass
                continue
            self._route(msg)
        # Its execute_reply, so the shell channel holds nothing stale for the next cell.
        while time.monotonic() < end:
            try:
                reply = await ensure_async(
                    self.kc.shell_channel.get_msg(timeout=max(0.01, end - time.monotonic()))
                )
            except (queue.Empty, asyncio.TimeoutError):
                break
            if reply["parent_header"].get("msg_id") == msg_id:
                break

    barrier = run_sync(_async_barrier)

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

    on_kernel_started = None

    async def async_start_new_kernel(self, **kwargs):
        # Known as soon as the process exists: a signal during the kernel's start-up must still
        # find (and end) it.
        await super().async_start_new_kernel(**kwargs)
        if self.on_kernel_started:
            self.on_kernel_started(self.kernel_pgid())

    def kernel_pgid(self):
        """The kernel's process group (jupyter_client starts it in a session of its own)."""
        try:
            return getattr(self.km.provisioner, "pgid", None) or os.getpgid(
                self.km.provisioner.process.pid
            )
        except Exception:
            return None


def write_atomic(path: str, text: str) -> None:
    """Writes `path` through a temporary file in its folder: complete or not there at all."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the page from a web server
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def export_html_parts(nb) -> dict:
    """The HTML page with every piece of untrusted markup replaced by a token, and the pieces."""
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown import markdown2html

    nonce = secrets.token_hex(6)
    fragments = []

    def token(kind: str, markup: str) -> str:
        t = f"MATCALCFRAGMENT{nonce}X{len(fragments)}END"
        fragments.append({"token": t, "kind": kind, "markup": markup})
        return t

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            # Untrusted output: no scripts, no widgets (Jupyter drops them the same way).
            for mime in ("application/javascript", "application/vnd.jupyter.widget-view+json"):
                data.pop(mime, None)
            data.pop(BARRIER_MIME, None)
            for mime, kind in (("text/html", "html"), ("image/svg+xml", "svg")):
                if mime in data:
                    value = data[mime]
                    data[mime] = token(kind, "".join(value) if isinstance(value, list) else value)
            if "text/markdown" in data:
                value = data["text/markdown"]
                data["text/markdown"] = "".join(value) if isinstance(value, list) else value

    exporter = HTMLExporter()
    exporter.register_filter("clean_html", lambda s: s)  # every fragment is sanitized later
    exporter.register_filter("markdown2html", lambda s, *a, **k: token(
        "html", markdown2html(s, *a, **k)
    ))
    page, _ = exporter.from_notebook_node(nb)
    return {"page": page, "fragments": fragments}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--kernel", default="deno")
    p.add_argument("--cell-timeout", type=int, default=300)
    p.add_argument("--deadline", type=float, default=1800)
    p.add_argument("--cwd", required=True)
    p.add_argument("--html-parts")
    p.add_argument("--pgid-file")
    p.add_argument("--rerun", action="store_true")
    p.add_argument("--no-barrier", action="store_true")
    a = p.parse_args()

    stopping = []

    def on_signal(signum, frame):
        # Once only: a second signal (the runner forwarding the terminal's ^C) must not break
        # the kernel shutdown that the first one started.
        if stopping:
            return
        stopping.append(signum)
        raise Terminated(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    start = time.monotonic()
    try:
        nb = nbformat.read(a.src, as_version=4)
    except Exception as e:  # not JSON, not a notebook, unreadable: one line, nothing written
        reason = str(e).strip().split("\n")[0] or type(e).__name__
        print("MATCALC_RESULT " + json.dumps({
            "status": "error", "cells": 0, "cell": None, "seconds": 0,
            "error": f"cannot read {a.src} as a notebook: {reason}",
        }), flush=True)
        return 1
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    result = {"status": "ok", "cells": code_cells, "cell": None, "error": None}
    client = None
    pgid = None

    def kernel_started(group):
        nonlocal pgid
        pgid = group
        if a.pgid_file and group:
            with open(a.pgid_file, "w") as f:
                f.write(str(group))

    try:
        client = LateOutputClient(
            nb,
            timeout=a.cell_timeout,
            kernel_name=a.kernel,
            resources={"metadata": {"path": a.cwd}},
            allow_errors=False,
            startup_timeout=120,
        )
        client.on_kernel_started = kernel_started
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
                        if not a.no_barrier:
                            client.barrier(cell, index, client.timeout)
                    except Exception as e:
                        result["cell"] = index
                        result["source"] = cell.source.split("\n")[0][:120]
                        if run == 1:
                            result["source"] += " (on the second run in the same kernel)"
                        raise e
            client.drain()
            result["late_outputs"] = client.late_outputs
            result["late_by_cell"] = client.late_by_cell
    except CellExecutionError as e:
        result["status"] = "error"
        result["error"] = f"{e.ename}: {e.evalue}"
    except (CellTimeoutError, TimeoutError) as e:
        result["status"] = "timeout"
        result["error"] = str(e).strip().split("\n")[0] or "cell timed out"
    except DeadKernelError as e:
        result["status"] = "error"
        result["error"] = f"kernel died: {e}"
    except Terminated as e:
        result["status"] = "terminated"
        result["error"] = str(e)
        result["signal"] = e.signum
    except Exception as e:  # kernel start failures, missing kernelspec, …
        result["status"] = "error"
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        # The kernel lives in a process group of its own: make sure nothing of it is left (also
        # when a signal came while it was starting, before its group was reported).
        if pgid is None and client is not None and client.km is not None:
            pgid = client.kernel_pgid()
        if pgid and pgid != os.getpgrp():
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass
        result["seconds"] = round(time.monotonic() - start, 2)
        try:
            write_atomic(a.dst, nbformat.writes(nb))
            result["executed"] = a.dst
        except OSError as e:
            result["write_error"] = f"cannot write {a.dst}: {e.strerror or e}"
        if a.html_parts and result["status"] != "terminated":
            try:
                write_atomic(a.html_parts, json.dumps(export_html_parts(nb)))
            except Exception as e:
                result["html_error"] = f"{type(e).__name__}: {e}"
        print("MATCALC_RESULT " + json.dumps(result), flush=True)
    return 0 if result["status"] == "ok" and "write_error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
