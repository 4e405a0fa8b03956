"""``cbec-kg load``: push the built graph into an external store over the SPARQL 1.1 Graph Store HTTP Protocol.

The graph is sent in one ``PUT`` (which replaces the target graph as a whole,
so a failed upload leaves the store as it was), with a progress bar on stderr,
then read back with ``GET`` and counted. Only when the store holds exactly the
triples sent is the load reported as done; otherwise the command fails.
"""

from __future__ import annotations

import io
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class LoadError(RuntimeError):
    """The store refused the graph, was down, or holds something else afterwards."""


@dataclass
class LoadReport:
    graph: str
    triples: int
    bytes: int
    seconds: float


class _Progress(io.RawIOBase):
    """A readable body that draws a progress bar as the HTTP client reads it."""

    def __init__(self, data: bytes, label: str, stream=None, quiet: bool = False):
        self.data, self.pos, self.label, self.quiet = data, 0, label, quiet
        self.stream = stream or sys.stderr
        self.last = -1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.data[self.pos:self.pos + min(len(buffer), 256 * 1024)]
        buffer[:len(chunk)] = chunk
        self.pos += len(chunk)
        self._draw()
        return len(chunk)

    def _draw(self) -> None:
        if self.quiet:
            return
        done = int(40 * self.pos / max(1, len(self.data)))
        if done != self.last:
            self.last = done
            self.stream.write(f"\r{self.label} [{'#' * done}{'.' * (40 - done)}] {self.pos / 1e6:6.2f} MB")
            if self.pos >= len(self.data):
                self.stream.write("\n")
            self.stream.flush()


def _opener(url: str, user: str | None, password: str | None):
    handlers = []
    if user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def graph_url(endpoint: str, graph: str) -> str:
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"


def count_ntriples(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.strip() and not line.lstrip().startswith(b"#"))


def load(path: Path, endpoint: str, graph: str, user: str | None = None, password: str | None = None,
         timeout: float = 300, quiet: bool = False) -> LoadReport:
    data = path.read_bytes()
    sent = count_ntriples(data)
    url = graph_url(endpoint, graph)
    opener = _opener(endpoint, user, password)
    t0 = time.monotonic()
    check = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    if user is not None:
        # Authenticate on a small request first: a store that rejects the credentials says so here,
        # before megabytes are sent (some close the connection mid-upload instead of answering 401).
        try:
            with opener.open(check, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                detail = exc.read()[:300].decode("utf-8", "replace").strip()
                raise LoadError(f"{endpoint} refused the graph: HTTP {exc.code} {exc.reason}: {detail}") from None
        except OSError as exc:
            raise LoadError(f"could not reach {endpoint}: {getattr(exc, 'reason', exc)}") from None
    # With authentication the first request is answered by a challenge and sent again: a stream would be spent
    # by then, so the body goes as bytes (the bar then jumps from start to end).
    body = _Progress(data, f"loading {path.name} into <{graph}>", quiet=quiet) if user is None else data
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": "application/n-triples", "Content-Length": str(len(data))})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip()
        raise LoadError(f"{endpoint} refused the graph: HTTP {exc.code} {exc.reason}: {detail}") from None
    except OSError as exc:
        raise LoadError(f"could not reach {endpoint}: {getattr(exc, 'reason', exc)}") from None
    try:
        with opener.open(check, timeout=timeout) as response:
            held = count_ntriples(response.read())
    except (urllib.error.HTTPError, OSError) as exc:
        raise LoadError(f"the upload finished but <{graph}> could not be read back: {exc}") from None
    if held != sent:
        raise LoadError(f"<{graph}> holds {held} triples after the load, not the {sent} sent: not loaded")
    return LoadReport(graph, sent, len(data), time.monotonic() - t0)
