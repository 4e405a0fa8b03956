"""Saved SPARQL queries on the built graph with rdflib's API: opening the graph, running a query, its answer
(the catalogue itself is ``kg.query.catalogue``; its names are available here too; answers are printed by
``kg.query.answer.write``).

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

from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.query import Result

from kg.model.ontology import PREFIXES
from kg.names import INFERRED_FILE
from kg.query.answer import Answer, display_rows
from kg.query.catalogue import HEADER_RE, LANGS, SavedQuery, catalogue, prepare, resolve  # noqa: F401 - public here too
from kg.query.sources import ask, of_rdflib
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


def run(graph: Graph, text: str, lang: str = "zh") -> Result:
    """rdflib's result of ``text`` (``$lang`` filled) on ``graph``."""
    return graph.query(prepare(text, lang))


def answer_on(graph: Graph, text: str, lang: str = "zh") -> Answer:
    """The ``Answer`` of ``text`` (``$lang`` filled) on ``graph``, from the engine behind it (``kg.query.sources.ask``:
    Oxigraph's own over the store behind the graph, else rdflib's)."""
    return ask(graph, prepare(text, lang))


def rows(result: Result) -> list[dict[str, str]]:
    """SELECT rows as dicts of display strings, in the result's order."""
    return display_rows(of_rdflib(result))
