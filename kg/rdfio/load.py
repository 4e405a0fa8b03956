"""``cbec-kg load``: push the built graph into an external store over the SPARQL 1.1 Graph Store HTTP Protocol.

The graph is sent in one ``PUT`` (which replaces the target graph as a whole,
so a failed upload leaves the store as it was), with a progress bar on stderr,
then read back with ``GET`` and counted. Only when the store holds exactly the
triples sent is the load reported as done; otherwise the command fails.
"""

from __future__ import annotations

import base64
import io
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.sheets.errors import ServiceError


class LoadError(ServiceError):
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


class _Credentials:
    """Sign requests with HTTP Basic or Digest credentials before they are sent.

    urllib answers a 401 challenge by sending the request again, which for an upload means sending the body twice;
    some stores (Virtuoso) reset the connection while the unauthenticated body is still being written. So the
    challenge is fetched once with a bodiless request, and every later request carries its answer up front.
    """

    def __init__(self, endpoint: str, user: str, password: str):
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint, user, password)
        self.digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self.basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.challenge: tuple[str, dict] | None = None

    def learn(self, header: str | None) -> None:
        """Keep the challenge of a ``WWW-Authenticate`` header (Digest preferred over Basic)."""
        if not header:
            return
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() == "digest":
            self.challenge = ("digest", urllib.request.parse_keqv_list([item for item in urllib.request.parse_http_list(rest) if item]))
        elif scheme.lower() == "basic" and self.challenge is None:
            self.challenge = ("basic", {})

    def sign(self, request: urllib.request.Request) -> urllib.request.Request:
        if self.challenge is not None:
            scheme, challenge = self.challenge
            value = f"Basic {self.basic}" if scheme == "basic" else f"Digest {self.digest.get_authorization(request, challenge)}"
            request.add_unredirected_header("Authorization", value)
        return request


def _refused(endpoint: str, exc: urllib.error.HTTPError) -> LoadError:
    detail = exc.read()[:300].decode("utf-8", "replace").strip()
    return LoadError(f"{endpoint} refused the graph: HTTP {exc.code} {exc.reason}: {detail}")


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
    opener = urllib.request.build_opener()
    credentials = _Credentials(endpoint, user, password or "") if user is not None else None
    t0 = time.monotonic()

    def check() -> urllib.request.Request:
        request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        return credentials.sign(request) if credentials else request

    if credentials is not None:
        # A bodiless request first: it brings the store's challenge, and a store that rejects the credentials
        # says so here, before megabytes are sent.
        for attempt in range(2):
            try:
                with opener.open(check(), timeout=timeout) as response:
                    response.read()
                break
            except urllib.error.HTTPError as exc:
                if exc.code == 401 and attempt == 0:
                    credentials.learn(exc.headers.get("WWW-Authenticate"))
                    exc.read()
                    continue
                if exc.code in (401, 403):
                    raise _refused(endpoint, exc) from None
                break  # e.g. 404 for a graph not there yet: the credentials were not refused
            except OSError as exc:
                raise LoadError(f"could not reach {endpoint}: {getattr(exc, 'reason', exc)}") from None
    body = _Progress(data, f"loading {path.name} into <{graph}>", quiet=quiet)
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": "application/n-triples", "Content-Length": str(len(data))})
    if credentials is not None:
        credentials.sign(request)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise _refused(endpoint, exc) from None
    except OSError as exc:
        raise LoadError(f"could not reach {endpoint}: {getattr(exc, 'reason', exc)}") from None
    try:
        with opener.open(check(), timeout=timeout) as response:
            held = count_ntriples(response.read())
    except (urllib.error.HTTPError, OSError) as exc:
        raise LoadError(f"the upload finished but <{graph}> could not be read back: {exc}") from None
    if held != sent:
        raise LoadError(f"<{graph}> holds {held} triples after the load, not the {sent} sent: not loaded")
    return LoadReport(graph, sent, len(data), time.monotonic() - t0)
