"""Exports: every RDF file reads back to the build's graph, with rdflib and with Oxigraph."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import _TripleCanonicalizer, graph_diff

from kg.rdfio.export import FILES, GRAPHS, Exports

RDF_FORMATS = {"turtle": ("turtle", pyoxigraph.RdfFormat.TURTLE), "ntriples": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
               "jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD), "rdfxml": ("xml", pyoxigraph.RdfFormat.RDF_XML)}


def shape(graph: Graph) -> int:
    """rdflib's hash of ``graph`` up to blank-node names: ``rdflib.compare.isomorphic(a, b)`` is exactly
    ``shape(a) == shape(b)`` (it computes both and compares them), so a graph compared several times is hashed once."""
    return _TripleCanonicalizer(graph).to_hash()


@pytest.fixture(scope="module")
def read():
    """``read(path, format)``: the file read by rdflib, and its ``shape``. Each content is read and hashed once for
    the module (the tests only read the graphs): the Turtle export is the reference itself, and the export
    command's output has the build's JSON-LD bytes (asserted), so those bytes are not read again."""
    done: dict[tuple[bytes, str], tuple[Graph, int]] = {}

    def read(path: Path, fmt: str) -> tuple[Graph, int]:
        key = (hashlib.sha256(Path(path).read_bytes()).digest(), fmt)
        if key not in done:
            graph = Graph().parse(path, format=fmt)
            done[key] = (graph, shape(graph))
        return done[key]
    return read


@pytest.fixture(scope="module")
def reference(built, read) -> tuple[Graph, int]:
    """The build's Turtle read by rdflib, and its shape."""
    return read(built.dist / "cbec-kg.ttl", "turtle")


@pytest.fixture(scope="module")
def with_inferred(reference, built) -> int:
    """The shape of the build's Turtle and its inferences, read by rdflib."""
    graph = Graph()
    graph += reference[0]
    return shape(graph.parse(built.dist / "inferred.ttl", format="turtle"))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_round_trips(built, read, reference, fmt):
    parser, ox_format = RDF_FORMATS[fmt]
    path = built.dist / FILES[fmt]
    back, back_shape = read(path, parser)
    if back_shape != reference[1]:                         # not isomorphic
        _, missing, added = graph_diff(reference[0], back)
        pytest.fail(f"{fmt}: {len(missing)} missing, e.g. {sorted(missing)[:3]}; {len(added)} added, e.g. {sorted(added)[:3]}")
    with open(path, "rb") as fh:
        assert len(list(pyoxigraph.parse(fh, format=ox_format))) == len(reference[0])


@pytest.mark.parametrize("fmt,parser,ox", [("trig", "trig", pyoxigraph.RdfFormat.TRIG),
                                           ("nquads", "nquads", pyoxigraph.RdfFormat.N_QUADS)])
def test_dataset_exports_keep_three_named_graphs(built, with_inferred, fmt, parser, ox):
    ds = Dataset()
    ds.parse(built.dist / FILES[fmt], format=parser)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == set(GRAPHS.values())
    union = Graph()
    for g in ds.graphs():
        for t in g:
            union.add(t)
    assert shape(union) == with_inferred                    # isomorphic
    facts = ds.graph(URIRef(GRAPHS["facts"]))
    assert (URIRef("https://w3id.org/cbec-kg/resource/aliexpress"), None, None) in facts
    with open(built.dist / FILES[fmt], "rb") as fh:
        assert sum(1 for _ in pyoxigraph.parse(fh, format=ox)) == sum(len(g) for g in ds.graphs())


def test_graphml_for_gephi(built):
    g = nx.read_graphml(built.dist / FILES["graphml"])
    assert g.nodes["aliexpress"]["label"] == "速卖通" and g.nodes["aliexpress"]["label_en"] == "AliExpress"
    edges = {(u, v, d["property"]) for u, v, d in g.edges(data=True)}
    assert ("aliexpress", "alibaba", "operatedBy") in edges
    assert not any(n.startswith("t1-") for n in g.nodes)      # statistics stay in the CSV
    assert g.number_of_nodes() > 200


def test_statistics_csv(built):
    text = (built.dist / FILES["csv"]).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    stats = set(built.graph.subjects(RDF.type, URIRef("https://w3id.org/cbec-kg/ontology#Statistic")))
    assert len(rows) == len(stats) > 280      # one row a figure: a figure printed again (a Mention) is not a row
    gb = next(r for r in rows if r["id"] == "t1-GB-sales")
    assert (gb["value_as_printed"], gb["unit"], gb["normalized_value"], gb["period"], gb["stated_in"], gb["cites_source"]) == \
        ("400", "亿美元", "40000000000", "2018", "table1", "src-unctad-ecommerce-2018")
    revenue = next(r for r in rows if r["id"] == "t2-alibaba-b2c-revenue")
    assert revenue["value_as_printed"] == "40,383" and revenue["value"] == "40383"


def test_export_command(built, read, reference, tmp_path, monkeypatch, capsys):
    from kg.cli import main

    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    out = tmp_path / "x.jsonld"
    assert main(["export", "--format", "jsonld", "--out", str(out)]) == 0
    assert read(out, "json-ld")[1] == reference[1]         # isomorphic
    # the command's bytes are the build's own (blank-node labels kept), and so is every format written again
    # from the build's Turtle files, as the command writes them
    assert out.read_bytes() == (built.dist / FILES["jsonld"]).read_bytes()
    exports = Exports.of_files(built.dist / FILES["turtle"], built.dist / "ontology.ttl", built.dist / "inferred.ttl")
    assert [fmt for fmt, name in FILES.items() if exports.bytes(fmt) != (built.dist / name).read_bytes()] == []
