"""Deterministic serialisation: the same graph always gives the same bytes.

Triples are written in sorted N-Triples order through Oxigraph's Turtle writer
(fast, and it groups a subject's triples). Blank nodes must already carry
stable labels: the ontology, the only source of blank nodes, is canonicalised
when it is loaded (``kg.model.ontology.canonical``).
"""

from __future__ import annotations

import pyoxigraph
from rdflib import Graph

from kg.model.ontology import PREFIXES
from kg.rdfio.disk import load_ntriples


def oxigraph_store(graph: Graph) -> pyoxigraph.Store | None:
    """The Oxigraph store behind an rdflib graph, when the graph is the store's default graph (see ``kg.rdfio.store.as_graph``)."""
    store = getattr(graph.store, "_inner", None)
    if isinstance(store, pyoxigraph.Store) and str(graph.identifier) == "urn:x-rdflib:default":
        return store
    return None


def triple_count(graph: Graph) -> int:
    """``len(graph)``, from the store's own count when the graph is an Oxigraph store's only graph (oxrdflib counts
    distinct triples with a query: 3.8 s at 10^6)."""
    store = oxigraph_store(graph)
    if store is not None and next(iter(store.named_graphs()), None) is None:
        return len(store)
    return len(graph)


def sorted_lines(data: bytes) -> bytes:
    """The non-empty lines, sorted (as bytes: UTF-8's byte order is the code points' order), each ending with a
    newline. Every caller passes a serialised graph, whose lines are distinct already."""
    lines = data.split(b"\n")
    lines.sort()
    start = next((i for i, line in enumerate(lines) if line), len(lines))  # empty lines sort first
    return b"\n".join(lines[start:]) + b"\n" if start < len(lines) else b""


def sorted_ntriples(graph: Graph) -> bytes:
    """Canonical N-Triples, one triple a line, sorted (straight from Oxigraph when the graph lives there)."""
    store = oxigraph_store(graph)
    if store is not None:
        return sorted_lines(dump(store, pyoxigraph.DefaultGraph()))
    # rdflib's N-Triples leave some characters raw that Oxigraph escapes (control characters): written again by
    # Oxigraph, every caller gets one form (the JSON-LD writer copies literals' escapes as they are).
    data = graph.serialize(format="nt", encoding="utf-8")
    return sorted_lines(pyoxigraph.serialize(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES),
                                             format=pyoxigraph.RdfFormat.N_TRIPLES) or b"")


def dump(store: pyoxigraph.Store, graph: pyoxigraph.DefaultGraph | pyoxigraph.NamedNode) -> bytes:
    """One graph of a store as N-Triples (empty bytes for an empty graph)."""
    return store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph) or b""


def prefix_map() -> dict[str, str]:
    """The project's prefixes for Oxigraph's writers, in a stable order."""
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def turtle_from_ntriples(data: bytes) -> bytes:
    triples = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefix_map()) or b""


def store_of(graph: Graph) -> pyoxigraph.Store:
    """The Oxigraph store behind the graph, or a copy of the graph in a new one."""
    store = oxigraph_store(graph)
    if store is None:
        store = pyoxigraph.Store()
        load_ntriples(store, sorted_ntriples(graph))
    return store
