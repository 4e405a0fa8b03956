"""`cbec-kg query` on the build's on-disk store (kg/query/answer.py's on_disk_store) answers as the parsed graph does, in every
format, and the whole command runs without loading rdflib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.names import STORE_DIR
from kg.query.answer import on_disk_store, write
from kg.query.catalogue import catalogue, prepare
from kg.query.saved import open_graph, run, serialize

ROOT = Path(__file__).resolve().parent.parent
QUERIES = catalogue(ROOT / "queries")


@pytest.fixture(scope="module")
def parsed(graph_file):
    return open_graph(graph_file, "oxigraph")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_store_answers_as_the_parsed_graph(query, built, parsed):
    text = prepare(query.text, "zh")
    store = built.dist / STORE_DIR
    assert write(on_disk_store(store, text), "table") == serialize(run(parsed, text), "table")
    assert write(on_disk_store(store, text), "csv") == serialize(run(parsed, text), "csv")


@pytest.mark.parametrize("fmt", ["table", "json", "xml"])
def test_ask_in_each_format(built, parsed, fmt):
    text = "ASK { ?s a <https://w3id.org/cbec-kg/ontology#Country> }"
    assert write(on_disk_store(built.dist / STORE_DIR, text), fmt) == serialize(run(parsed, text), fmt)


def test_inferred_triples_are_seen(built):
    import pyoxigraph

    inferred = next(iter(pyoxigraph.parse(path=str(built.dist / "inferred.ttl"), format=pyoxigraph.RdfFormat.TURTLE)))
    asserted = {str(t) for t in pyoxigraph.parse(path=str(built.dist / "cbec-kg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)}
    assert str(inferred) not in asserted
    text = f"ASK {{ {inferred.subject} {inferred.predicate} {inferred.object} }}"
    assert write(on_disk_store(built.dist / STORE_DIR, text), "table") == "yes"


def test_query_command_does_not_load_rdflib(built, monkeypatch):
    code = ("import sys; from kg.cli import main; rc = main(['query', 'b2c_exporters_2018']); "
            "print('rdflib' in sys.modules, rc, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"CBEC_KG_DIST": str(built.dist), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False 0", done.stderr
    assert "中国" in done.stdout and "UNCTAD" in done.stdout
