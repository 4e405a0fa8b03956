"""`cbec-kg query` on the build's on-disk store (kg/query/answer.py's on_disk_store) answers as the parsed graph does, in every
format, and the whole command runs without loading rdflib; `--engine rdflib` prints what the store prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from kg.names import GRAPH_FILE, ONTOLOGY_FILE, STORE_DIR
from kg.query.answer import on_disk_store, write
from kg.query.catalogue import catalogue, prepare
from kg.query.saved import open_graph
from kg.query.sources import ask
from kg.rdfio.disk import write_disk_store

ROOT = Path(__file__).resolve().parent.parent
QUERIES = catalogue(ROOT / "queries")


@pytest.fixture(scope="module")
def parsed(graph_file):
    return open_graph(graph_file, "oxigraph")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_store_answers_as_the_parsed_graph(query, built, parsed):
    text = prepare(query.text, "zh")
    stored, answered = on_disk_store(built.dist / STORE_DIR, text), ask(parsed, text)   # each answer, printed twice
    assert write(stored, "table") == write(answered, "table")
    assert write(stored, "csv") == write(answered, "csv")


@pytest.mark.parametrize("fmt", ["table", "json", "xml"])
def test_ask_in_each_format(built, parsed, fmt):
    text = "ASK { ?s a <https://w3id.org/cbec-kg/ontology#Country> }"
    assert write(on_disk_store(built.dist / STORE_DIR, text), fmt) == write(ask(parsed, text), fmt)


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


BLANK = "CONSTRUCT { ?l ?p ?o } WHERE { ?l ?p ?o FILTER (isBlank(?l)) }"      # the ontology's lists: blank nodes


@pytest.fixture(scope="module")
def ontology_dist(built, tmp_path_factory) -> Path:
    """A dist/ holding the build's ontology alone (its Turtle, and an on-disk store of it): every blank node of the
    build is the ontology's, so BLANK answers here what it answers on the build (checked below), and rdflib's
    reference engine parses and scans 954 triples instead of the build's 14,000."""
    dist = tmp_path_factory.mktemp("ontology-dist")
    shutil.copyfile(built.dist / ONTOLOGY_FILE, dist / GRAPH_FILE)
    triples = pyoxigraph.parse(path=str(dist / GRAPH_FILE), format=pyoxigraph.RdfFormat.TURTLE)
    write_disk_store(dist / STORE_DIR, pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), b"")
    assert write(on_disk_store(dist / STORE_DIR, BLANK), "ntriples") == write(on_disk_store(built.dist / STORE_DIR, BLANK), "ntriples")
    return dist


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "xml"])
def test_the_reference_engine_prints_a_graph_as_the_store_does(ontology_dist, fmt, capsys, monkeypatch):
    from kg.cli import main

    monkeypatch.setenv("CBEC_KG_DIST", str(ontology_dist))
    printed = {}
    for engine in ("oxigraph", "rdflib"):
        assert main(["query", "-e", BLANK, "--engine", engine, "--format", fmt]) == 0
        printed[engine] = capsys.readouterr().out
    assert printed["oxigraph"] == printed["rdflib"]
    assert printed["oxigraph"].count("rdf-syntax-ns#first") >= 10 or printed["oxigraph"].count("rdf:first") >= 10
