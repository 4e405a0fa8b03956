"""Deterministic serialisation: the same graph always gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from .ontology import bind_prefixes


def canonical(graph: Graph) -> Graph:
    """A copy whose blank nodes carry names derived from their content."""
    copy = bind_prefixes(Graph())
    for triple in to_canonical_graph(graph):
        copy.add(triple)
    return copy


def turtle_bytes(graph: Graph) -> bytes:
    return canonical(graph).serialize(format="turtle", encoding="utf-8")


def write_turtle(graph: Graph, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(turtle_bytes(graph))
    return path
