"""A pool of worker processes that answer SPARQL queries over the built graph, with limits.

Each worker holds the graph in its own Oxigraph store. A query goes to a free
worker; one that runs past the time limit is stopped (the process is killed and
replaced), so a runaway query never blocks the others. Results are serialised
in the worker, at most ``max_rows`` rows (or triples), and the truncation is
stated in the response.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass
class Limits:
    """Safe defaults; each is a command-line option of ``cbec-kg serve``, whose defaults are these."""

    max_query_chars: int = 20_000
    max_body_bytes: int = 100_000
    max_rows: int = 10_000
    timeout: float = 10.0
    workers: int = 2


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """XML character data: ``xml.sax.saxutils.escape``'s rules (that module imports urllib.request: 0.1 s)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for char, entity in (entities or {}).items():
        text = text.replace(char, entity)
    return text


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as ``xml.sax.saxutils.quoteattr`` writes it."""
    text = escape(text, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


class QueryTimeout(RuntimeError):
    pass


# --------------------------------------------------------------------------- worker side

def _term_json(term) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _term_xml(term) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_cell(term) -> str:
    import pyoxigraph

    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _tsv_cell(term) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n")


def serialize_rows(variables: list[str], rows: list[list], fmt: str, truncated: int | None) -> bytes:
    """SPARQL 1.1 results in JSON, XML, CSV or TSV; a truncation is stated where the format allows."""
    if fmt == "json":
        doc: dict[str, Any] = {"head": {"vars": variables},
               "results": {"bindings": [{v: _term_json(t) for v, t in zip(variables, row) if t is not None}
                                        for row in rows]}}
        if truncated is not None:
            doc["head"]["link"] = [f"urn:cbec-kg:truncated:{truncated}"]
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        if truncated is not None:
            out.append(f'<link href="urn:cbec-kg:truncated:{truncated}"/>')
        out += ["</head>", "<results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)] + [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)] + ["\t".join(_tsv_cell(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in SPARQL 1.1 results JSON or XML (CSV and TSV have no form for it)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>").encode()
    raise ValueError("an ASK query gives yes or no: use --format table, json or xml")


def execute(store, text: str, row_fmt: str, graph_fmt: str, max_rows: int) -> tuple[str, bytes, int | None]:
    """Run a query on a pyoxigraph store; return (media type, body, rows dropped or None)."""
    import pyoxigraph

    from kg.query.answer import of_oxigraph  # here: kg.query.answer imports this module's writers

    answer = of_oxigraph(store.query(text), max_rows)
    if answer.form == "boolean":
        fmt = "xml" if row_fmt == "xml" else "json"
        return ROW_TYPES[fmt], serialize_boolean(answer.boolean, fmt), None
    if answer.form == "rows":
        return ROW_TYPES[row_fmt], serialize_rows(answer.vars, answer.rows, row_fmt, max_rows if answer.dropped else None), \
            (answer.dropped or None)
    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
               "rdfxml": pyoxigraph.RdfFormat.RDF_XML, "jsonld": pyoxigraph.RdfFormat.JSON_LD}
    body = pyoxigraph.serialize(answer.triples, format=formats[graph_fmt]) or b""
    return GRAPH_TYPES[graph_fmt], body, (answer.dropped or None)


def _worker(files: list[str], conn) -> None:
    import pyoxigraph

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
