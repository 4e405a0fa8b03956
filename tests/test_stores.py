"""Differential test: every saved query gives the same answer on the embedded engine, Oxigraph server and Virtuoso."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from SPARQLWrapper import JSON

from kg.query.remote import client_for
from kg.query.saved import catalogue, open_graph, prepare, rows, run
from tests.support.stores import GRAPH_FACTS, GRAPH_INFERRED, start_oxigraph

ROOT = Path(__file__).resolve().parent.parent
QUERIES = catalogue(ROOT / "queries")


@pytest.fixture(scope="module")
def stores(built, virtuoso):
    """Oxigraph's server, started here, and the session's Virtuoso (conftest), both holding the build."""
    oxigraph = start_oxigraph({GRAPH_FACTS: built.dist / "cbec-kg.nt", GRAPH_INFERRED: built.dist / "inferred.ttl"})
    try:
        yield {"oxigraph": oxigraph, "virtuoso": virtuoso}
    finally:
        oxigraph.close()


def value(binding: dict | None) -> object:
    if binding is None:
        return ""
    text = binding["value"]
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def normal(row: dict, columns: list[str]) -> tuple:
    out = []
    for c in columns:
        v = row.get(c, "")
        try:
            out.append(Decimal(v.replace(",", "")) if isinstance(v, str) and v else v)
        except InvalidOperation:
            out.append(v)
    return tuple(out)


def remote_rows(endpoint: str, text: str, columns: list[str]) -> list[tuple]:
    client = client_for(endpoint, text)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    return [tuple(value(b.get(c)) for c in columns) for b in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def embedded(built):
    return open_graph(built.dist / "cbec-kg.ttl")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_same_answer_on_three_engines(query, embedded, stores):
    text = prepare(query.text, "zh")
    result = run(embedded, text, "zh")
    columns = [str(v) for v in result.vars]
    expected = [normal(r, columns) for r in rows(result)]
    for name, store in sorted(stores.items()):
        got = remote_rows(store.endpoint, text, columns)
        assert got == expected, f"{name} differs on {query.name}: first rows {got[:3]} vs {expected[:3]}"
