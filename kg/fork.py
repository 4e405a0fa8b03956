"""Work shared with forked processes: a step run in a child (``Child``), bytes handed to one (``Handoff``), and a
step run by a thread of this process (``Background``: for work that must not run in a forked child).

The build forks after loading the graph, so each child starts with the graph in
its memory; results travel back pickled through a pipe. Where ``os.fork`` is
missing, or ``CBEC_KG_NO_FORK`` is set, the work runs in the calling process
(the outputs are the same: a test builds both ways and compares the bytes).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path


class Child:
    """Work running in a forked process: ``wait`` gives its result (or raises its error), ``cancel`` stops it."""

    def __init__(self, work: Callable[[], list[Path]]):
        self.result: list[Path] | None = None
        self.pid = None
        if not hasattr(os, "fork") or os.environ.get("CBEC_KG_NO_FORK"):
            self.result = work()  # where fork is missing, or when CBEC_KG_NO_FORK is set: done right here
            return
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send back the result or the error, and leave without the parent's clean-up
            code = 0
            try:
                os.close(read)
                try:
                    payload = pickle.dumps(("ok", work()))
                except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                    try:
                        payload = pickle.dumps(("error", exc))
                    except Exception:  # noqa: BLE001 - an error that cannot be pickled goes back as its text
                        payload = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
                with os.fdopen(write, "wb") as fh:
                    fh.write(payload)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.read = pid, read

    def wait(self) -> list[Path]:
        if self.pid is None:
            return self.result or []
        with os.fdopen(self.read, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not data:
            raise RuntimeError(f"a forked step of the build stopped (status {status})")
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            os.close(self.read)
            self.pid = None


class Handoff:
    """Bytes one process makes and a process forked from it needs later: written to ``path``, then announced on
    a pipe. Made before the fork; the child calls ``receive`` (which waits), the parent ``send``."""

    def __init__(self, path: Path):
        self.path = path
        self.read, self.write = os.pipe()
        self.parent = os.getpid()
        self.unforked = False

    def send(self, data: bytes) -> None:
        if not self.unforked:
            self.path.write_bytes(data)
            os.write(self.write, b"1")
        self.close()

    def close(self) -> None:
        for fd in (self.read, self.write):
            if fd >= 0:
                os.close(fd)
        self.read = self.write = -1

    def receive(self) -> bytes:
        if os.getpid() == self.parent:  # not forked (CBEC_KG_NO_FORK): the caller makes the data itself
            self.unforked = True
            return b""
        os.close(self.write)
        with os.fdopen(self.read, "rb") as fh:
            if fh.read(1) != b"1":
                raise RuntimeError("the build stopped before handing over its inferences")
        data = self.path.read_bytes()
        self.path.unlink()
        return data


class Background:
    """Work running in a thread of this process: ``wait`` gives its result (or raises its error)."""

    def __init__(self, work: Callable[[], list[Path]]):
        self.result: list[Path] = []
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = work()
            except BaseException as exc:  # noqa: BLE001 - raised again by wait()
                self.error = exc

        self.thread = threading.Thread(target=run, name="cbec-kg-background", daemon=True)
        self.thread.start()

    def wait(self) -> list[Path]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result
