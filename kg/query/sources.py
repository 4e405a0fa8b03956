"""Asking SPARQL of whatever holds the triples, through one function: ``ask(source, text)`` gives an ``Answer``
(``kg.query.answer``) for every internal caller (the build's counts, the checks, charts, views).

* a pyoxigraph store: Oxigraph answers over its default graph;
* an rdflib graph over an Oxigraph store (``kg.rdfio.store.as_graph``): the store behind it answers, as rdflib's
  API would ask it (its default graph, the graph's prefixes known);
* any other rdflib graph: rdflib answers, through ``of_rdflib``, the adapter of rdflib's engine, which the
  differential tests keep as the reference.

This module loads rdflib; answering from the build's store (``kg.query.answer.on_disk_store``) does not need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pyoxigraph
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from kg.query.answer import Answer, of_oxigraph
from kg.rdfio.serialize import oxigraph_store


def ask(source: pyoxigraph.Store | Graph, text: str) -> Answer:
    """The answer of ``text`` on ``source`` (a pyoxigraph store or an rdflib graph), from the engine behind it."""
    if isinstance(source, pyoxigraph.Store):
        return of_oxigraph(source.query(text))
    store = oxigraph_store(source)
    if store is None:
        return of_rdflib(source.query(text))
    return of_oxigraph(store.query(text, prefixes={p: str(ns) for p, ns in source.namespaces()}))


def of_rdflib(result: Result) -> Answer:
    """rdflib's answer as an ``Answer``: the reference engine's adapter."""
    if result.type == "ASK":
        return Answer("boolean", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        names = [str(v) for v in result.vars or []]
        return Answer("rows", names, [[oxigraph_term(t) for t in row] for row in _rows(result)])
    graph = result.graph if result.graph is not None else Graph()
    return Answer("graph", triples=[pyoxigraph.Triple(*(oxigraph_term(t) for t in triple)) for triple in graph])


def _rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """A SELECT result's rows as tuples (rdflib's result type also covers ASK and CONSTRUCT answers)."""
    for row in result:
        yield tuple(cast(tuple, row))


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
