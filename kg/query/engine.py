"""A pool of worker processes that answer SPARQL queries over the built graph, with limits.

Each worker holds the graph in its own Oxigraph store. A query goes to a free
worker; one that runs past the time limit is stopped (the process is killed and
replaced), so a runaway query never blocks the others. Results are written
in the worker by the one writer of each format (``kg.query.results``), at most
``max_rows`` rows (or triples), and the truncation is stated in the response.
The limits are ``kg.query.limits.Limits``.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from pathlib import Path

import pyoxigraph

from kg.query.answer import of_oxigraph
from kg.query.limits import Limits
from kg.query.results import serialize_boolean, serialize_graph, serialize_rows

ROW_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
# the server's names for graph formats (those of the SPARQL protocol's clients) -> the one writer's
WRITER_FORMATS = {"turtle": "turtle", "ntriples": "ntriples", "rdfxml": "xml", "jsonld": "json-ld"}


class QueryTimeout(RuntimeError):
    pass


# --------------------------------------------------------------------------- worker side

def execute(store, text: str, row_fmt: str, graph_fmt: str, max_rows: int) -> tuple[str, bytes, int | None]:
    """Run a query on a pyoxigraph store; return (media type, body, rows dropped or None)."""
    answer = of_oxigraph(store.query(text), max_rows)
    if answer.form == "boolean":
        fmt = "xml" if row_fmt == "xml" else "json"
        return ROW_TYPES[fmt], serialize_boolean(answer.boolean, fmt), None
    if answer.form == "rows":
        return ROW_TYPES[row_fmt], serialize_rows(answer.vars, answer.rows, row_fmt, max_rows if answer.dropped else None), \
            (answer.dropped or None)
    return GRAPH_TYPES[graph_fmt], serialize_graph(answer.triples, WRITER_FORMATS[graph_fmt]), (answer.dropped or None)


def _worker(files: list[str], conn) -> None:
    store = pyoxigraph.Store()
    for path in files:
        with open(path, "rb") as fh:
            store.bulk_load(fh, pyoxigraph.RdfFormat.TURTLE)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        text, row_fmt, graph_fmt, max_rows = job
        try:
            conn.send(("ok", execute(store, text, row_fmt, graph_fmt, max_rows)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the client as a query error
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


# --------------------------------------------------------------------------- server side

class _Worker:
    def __init__(self, files: list[str]):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(files, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float = 60) -> None:
        if not self.ready:
            if not self.conn.poll(timeout):
                raise RuntimeError("a query worker did not start")
            self.conn.recv()
            self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Engine:
    """Hands queries to worker processes; kills and replaces one that runs too long."""

    def __init__(self, files: list[Path], limits: Limits):
        self.files = [str(f) for f in files]
        self.limits = limits
        self._free: list[_Worker] = [_Worker(self.files) for _ in range(max(1, limits.workers))]
        self._lock = threading.Condition()
        for worker in self._free:
            worker.wait_ready()

    def _take(self) -> _Worker:
        with self._lock:
            while not self._free:
                self._lock.wait()
            return self._free.pop()

    def _give(self, worker: _Worker) -> None:
        with self._lock:
            self._free.append(worker)
            self._lock.notify()

    def run(self, text: str, row_fmt: str = "json", graph_fmt: str = "turtle") -> tuple[str, bytes, int | None]:
        """Blocking: the answer of one query, or QueryTimeout / SyntaxError / RuntimeError."""
        worker = self._take()
        try:
            worker.conn.send((text, row_fmt, graph_fmt, self.limits.max_rows))
            if not worker.conn.poll(self.limits.timeout):
                worker.kill()
                worker = _Worker(self.files)
                worker.wait_ready()
                raise QueryTimeout(f"the query was stopped after {self.limits.timeout:g} s (the server's time limit)")
            kind, payload = worker.conn.recv()
        finally:
            self._give(worker)
        if kind == "syntax":
            raise SyntaxError(payload)
        if kind == "error":
            raise RuntimeError(payload)
        return payload

    def close(self) -> None:
        with self._lock:
            for worker in self._free:
                worker.kill()
            self._free.clear()
