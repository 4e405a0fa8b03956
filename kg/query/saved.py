"""Saved SPARQL queries: running them through rdflib's API, and printing results (the catalogue itself is
``kg.query.catalogue``; its names are available here too).

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

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pyoxigraph
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from kg.model.ontology import PREFIXES
from kg.names import INFERRED_FILE
from kg.query.answer import Answer, display_rows, of_oxigraph, write
from kg.query.catalogue import HEADER_RE, LANGS, SavedQuery, catalogue, prepare, resolve  # noqa: F401 - public here too
from kg.rdfio.disk import open_disk_store
from kg.rdfio.serialize import oxigraph_store
from kg.rdfio.store import as_graph

ENGINES = ("oxigraph", "rdflib")


def open_graph(path: Path, engine: str = "oxigraph", inferred: bool = True) -> Graph:
    """The built graph, loaded into Oxigraph (the default) or rdflib's memory store.

    With ``inferred``, the materialised inferences (``inferred.ttl`` beside it) are
    loaded into the same default graph, so queries see them. Oxigraph reads the files
    itself (its parser, bulk-loaded) and rdflib's API is given over its default graph,
    so that ``oxigraph_store`` finds the store behind it (for charts and views).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    files = [path] + ([path.parent / INFERRED_FILE] if inferred and (path.parent / INFERRED_FILE).exists() else [])
    if engine == "oxigraph":
        store = pyoxigraph.Store()
        for file in files:
            store.bulk_load(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)
        return as_graph(store)
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for file in files:
        graph.parse(file, format="turtle")
    return graph


def open_asserted(graph_file: Path, store_dir: Path) -> Graph:
    """The asserted graph (ontology + facts: each fact has a place) with rdflib's API: over the build's on-disk
    store when there is one (nothing to parse), else parsed from ``graph_file`` into rdflib's memory store."""
    if (store_dir / "CURRENT").exists():
        return as_graph(open_disk_store(store_dir))
    return open_graph(graph_file, "rdflib", inferred=False)


def run(graph: Graph, text: str, lang: str = "zh") -> Result:
    """rdflib's result of ``text`` (``$lang`` filled) on ``graph``."""
    return graph.query(prepare(text, lang))


def answer_on(graph: Graph, text: str, lang: str = "zh") -> Answer:
    """The ``Answer`` of ``text`` (``$lang`` filled) on ``graph``: Oxigraph's own, from the store behind the graph
    (run as rdflib's API would run it there: its default graph, the graph's prefixes known), else rdflib's."""
    prepared = prepare(text, lang)
    store = oxigraph_store(graph)
    if store is None:
        return of_rdflib(graph.query(prepared))
    return of_oxigraph(store.query(prepared, prefixes={p: str(ns) for p, ns in graph.namespaces()}))


def of_rdflib(result: Result) -> Answer:
    """rdflib's answer as an ``Answer`` (``kg.query.answer``): the reference engine's adapter."""
    if result.type == "ASK":
        return Answer("boolean", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        names = [str(v) for v in result.vars or []]
        return Answer("rows", names, [[oxigraph_term(t) for t in row] for row in _rows(result)])
    graph = result.graph if result.graph is not None else Graph()
    return Answer("graph", triples=[pyoxigraph.Triple(*(oxigraph_term(t) for t in triple)) for triple in graph])


def rows(result: Result) -> list[dict[str, str]]:
    """SELECT rows as dicts of display strings, in the result's order."""
    return display_rows(of_rdflib(result))


def _rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """A SELECT result's rows as tuples (rdflib's result type also covers ASK and CONSTRUCT answers)."""
    for row in result:
        yield tuple(cast(tuple, row))


def serialize(result: Result, fmt: str) -> str:
    """Serialise a result in a SPARQL 1.1 results format or as a table (``kg.query.answer.write``, whichever engine
    answered); a graph as rdflib writes it (Turtle, JSON-LD, N-Triples, RDF/XML), the reference's own output."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in ("turtle", "json-ld", "nt", "xml"):
            raise ValueError(f"a {result.type} query gives a graph: use --format turtle or json-ld")
        graph = result.graph
        if graph is None:
            raise ValueError(f"the {result.type} query gave no graph")
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        return graph.serialize(format=fmt)
    return write(of_rdflib(result), fmt)


def oxigraph_term(term):
    """An rdflib term as the same pyoxigraph term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype or XSD.string)))
    return pyoxigraph.BlankNode(str(term))
