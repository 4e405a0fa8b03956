"""Every saved query gives the report's answer, on both embedded engines."""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from kg.query.saved import ENGINES, catalogue, open_graph, rows, run

ROOT = Path(__file__).resolve().parent.parent
QUERIES = catalogue(ROOT / "queries")
EXPECTED = Path(__file__).parent / "expected"


def same(a: str, b: str) -> bool:
    """Equal as numbers when both are numbers, else as text."""
    try:
        return Decimal(a.replace(",", "")) == Decimal(b.replace(",", ""))
    except InvalidOperation:
        return a == b


def read_expected(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(EXPECTED / f"{name}.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module", params=ENGINES)
def engine_graph(request, graph_file):
    return open_graph(graph_file, request.param)


def test_there_are_saved_queries():
    assert len(QUERIES) >= 4


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_has_header_and_order(query):
    for key in ("title", "title@en", "question", "report"):
        assert query.meta.get(key), f"{query.path.name} lacks '# {key}:'"
    assert re.search(r"\bORDER\s+BY\b", query.text, re.IGNORECASE), f"{query.path.name} has no ORDER BY"


def test_every_saved_query_has_a_theme():
    """The editor's menu groups queries by '# theme:'; each Chinese theme has one English name."""
    missing = [q.name for q in QUERIES if not (q.theme and q.meta.get("theme@en"))]
    assert missing == [], f"no '# theme:' and '# theme@en:' in {missing}"
    english: dict[str, set[str]] = {}
    for q in QUERIES:
        english.setdefault(q.theme_in("zh"), set()).add(q.theme_in("en"))
    assert all(len(names) == 1 for names in english.values()), english
    assert 3 <= len(english) < len(QUERIES) / 2


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_answers_as_the_report(query, engine_graph):
    assert (EXPECTED / f"{query.name}.csv").exists(), f"no expected answer tests/expected/{query.name}.csv"
    columns, expected = read_expected(query.name)
    result = run(engine_graph, query.text, "zh")
    assert [str(v) for v in result.vars] == columns
    got = rows(result)
    assert len(got) == len(expected), f"{len(got)} rows, expected {len(expected)}"
    for i, (g, e) in enumerate(zip(got, expected)):
        for col in columns:
            assert same(g[col], e[col]), f"row {i + 1}, {col}: got {g[col]!r}, report says {e[col]!r}"


def test_labels_follow_the_language(graph_file):
    graph = open_graph(graph_file)
    query = next(q for q in QUERIES if q.name == "b2c_exporters_2018")
    en = [r["country"] for r in rows(run(graph, query.text, "en"))]
    zh = [r["country"] for r in rows(run(graph, query.text, "zh"))]
    assert en[:4] == ["China", "United States", "United Kingdom", "Hong Kong, China"]
    assert zh[:4] == ["中国", "美国", "英国", "中国香港"]


def test_graph_has_many_labelled_entities(built):
    from rdflib import RDFS

    from kg.model.ontology import CBR

    labelled = {s for s in built.graph.subjects(RDFS.label) if str(s).startswith(str(CBR))}
    both = [s for s in labelled
            if {getattr(o, "language", None) for o in built.graph.objects(s, RDFS.label)} >= {"zh", "en"}]
    assert len(both) >= 200
    assert len(both) == len(labelled)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_saved_query_passes_the_endpoint_guard(query):
    """Regression: a variable named ?service was once taken for the SERVICE keyword and refused."""
    from kg.query.guards import guard, query_form

    guard(query.text)
    assert query_form(query.text) == "SELECT"
