"""Saved SPARQL queries: the catalogue, running them, and printing results.

A saved query is ``queries/NAME.rq`` and opens with a header of comments::

    # title: 2018 年 B2C 跨境电商前十国家/地区
    # title@en: Top ten B2C cross-border sellers of 2018
    # question: Which ten economies sold most through B2C cross-border e-commerce in 2018?
    # report: 表1 (table1)
    # theme: 表格
    # theme@en: Tables

The theme groups the queries in the editor's menu.

Labels come back in the language asked for: a query writes ``$lang`` where it
wants the language tag, and ``prepare`` puts ``"zh"`` or ``"en"`` there before
the query runs, on any engine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from kg.model.ontology import PREFIXES
from kg.model.rules import decimal_text
from kg.names import INFERRED_FILE

LANGS = ("zh", "en")
ENGINES = ("oxigraph", "rdflib")
HEADER_RE = re.compile(r"^#\s*([\w@-]+):\s*(.*?)\s*$")
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.int, XSD.long}


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> SavedQuery:
        text = path.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = HEADER_RE.match(line)
            if m:
                meta[m.group(1)] = m.group(2)
        return cls(path.stem, path, text, meta)

    def title_in(self, lang: str) -> str:
        return self.meta.get(f"title@{lang}") or self.meta.get("title", "")

    @property
    def theme(self) -> str:
        return self.meta.get("theme", "")

    def theme_in(self, lang: str) -> str:
        """The theme that groups this query in menus, in ``lang`` (Chinese when there is no translation)."""
        return self.meta.get(f"theme@{lang}") or self.meta.get("theme", "")


def catalogue(folder: Path) -> list[SavedQuery]:
    return [SavedQuery.read(p) for p in sorted(folder.glob("*.rq"))]


def resolve(name: str, folder: Path) -> SavedQuery:
    """A saved query by name, or a .rq file by path."""
    path = Path(name)
    if path.suffix == ".rq" and path.exists():
        return SavedQuery.read(path)
    candidate = folder / f"{name}.rq"
    if candidate.exists():
        return SavedQuery.read(candidate)
    names = [q.name for q in catalogue(folder)]
    import difflib

    close = difflib.get_close_matches(name, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else " ('cbec-kg queries' lists them)"
    raise LookupError(f"no saved query '{name}'{hint}")


def prepare(text: str, lang: str = "zh") -> str:
    """Fill the ``$lang`` parameter with a language tag literal."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}': use one of {', '.join(LANGS)}")
    return "\n".join(line if line.lstrip().startswith("#") else re.sub(r"\$lang\b", f'"{lang}"', line)
                     for line in text.split("\n"))


def open_graph(path: Path, engine: str = "oxigraph", inferred: bool = True) -> Graph:
    """The built graph, loaded into Oxigraph (the default) or rdflib's memory store.

    With ``inferred``, the materialised inferences (``inferred.ttl`` beside it) are
    loaded into the same default graph, so queries see them.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    graph = Graph(store="Oxigraph") if engine == "oxigraph" else Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.parse(path, format="turtle")
    extra = path.parent / INFERRED_FILE
    if inferred and extra.exists():
        graph.parse(extra, format="turtle")
    return graph


def run(graph: Graph, text: str, lang: str = "zh") -> Result:
    return graph.query(prepare(text, lang))


def cell(term) -> str:
    """A result term as a person reads it: numbers canonical, IRIs prefixed."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.datatype in NUMERIC:
            return decimal_text(Decimal(str(term)))
        return str(term)
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(term).startswith(str(ns)):
                return f"{prefix}:{str(term)[len(str(ns)):]}"
    return str(term)


def rows(result: Result) -> list[dict[str, str]]:
    """SELECT rows as dicts of display strings, in the result's order."""
    names = [str(v) for v in result.vars or []]
    return [{n: cell(row[i]) for i, n in enumerate(names)} for row in _rows(result)]


def _rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """A SELECT result's rows as tuples (rdflib's result type also covers ASK and CONSTRUCT answers)."""
    for row in result:
        yield tuple(cast(tuple, row))


def table(result: Result) -> str:
    names = [str(v) for v in result.vars or []]
    body = [[r[n] for n in names] for r in rows(result)]
    widths = [max([_width(n)] + [_width(row[i]) for row in body]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def serialize(result: Result, fmt: str) -> str:
    """Serialise a result in a SPARQL 1.1 results format (or Turtle/JSON-LD for graphs)."""
    if fmt == "table":
        if result.type == "SELECT":
            return table(result)
        if result.type == "ASK":
            return "yes" if result.askAnswer else "no"
        fmt = "turtle"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in ("turtle", "json-ld", "nt", "xml"):
            raise ValueError(f"a {result.type} query gives a graph: use --format turtle or json-ld")
        graph = result.graph
        if graph is None:
            raise ValueError(f"the {result.type} query gave no graph")
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        return graph.serialize(format=fmt)
    if fmt not in ("csv", "tsv", "json", "xml"):
        raise ValueError(f"a {result.type} query gives rows: use --format table, csv, tsv, json or xml")
    if fmt == "tsv":        # rdflib parses TSV results but has no serialiser for them
        names = [str(v) for v in result.vars or []]
        lines = ["\t".join(f"?{n}" for n in names)]
        for row in _rows(result):
            lines.append("\t".join("" if term is None else term.n3().replace("\t", "\\t").replace("\n", "\\n")
                                   for term in row))
        return "\n".join(lines) + "\n"
    buffer = io.BytesIO()
    result.serialize(buffer, format=fmt, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
