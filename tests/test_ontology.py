"""The ontology: labelled and defined, consistent under HermiT, exported for Protégé, checked by SHACL."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.checks.reason import consistency, infer
from kg.checks.shapes import load_shapes, violations
from kg.model.ontology import CBO, SKOS, load_ontology
from kg.query.saved import open_graph, rows, run
from kg.sheets.errors import CheckError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ONTOLOGY = load_ontology(ROOT / "ontology" / "cbec.ttl")
TERMS = sorted({s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for s in ONTOLOGY.subjects(RDF.type, t) if str(s).startswith(str(CBO))}, key=str)


def test_there_are_many_terms():
    assert len(TERMS) > 80


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t).split("#")[-1])
def test_every_term_has_labels_and_definitions(term):
    for prop in (RDFS.label, SKOS.definition):
        langs = sorted(v.language for v in ONTOLOGY.objects(term, prop))
        assert langs == ["en", "zh"], f"{term} {prop}: {langs}"


def test_ontology_metadata():
    from kg.model.ontology import ONTOLOGY_IRI

    for prop in ("title", "description", "license", "creator", "created"):
        assert ONTOLOGY.value(ONTOLOGY_IRI, URIRef(f"http://purl.org/dc/terms/{prop}"))
    assert ONTOLOGY.value(ONTOLOGY_IRI, OWL.versionIRI)


def test_rdfxml_export_loads_in_owlready2(built):
    world = owlready2.World()
    onto = world.get_ontology((built.dist / "ontology.owl").as_uri()).load()
    names = {c.name for c in onto.classes()}
    assert {"Country", "Platform", "Statistic", "BusinessModel"} <= names
    world.close()


def test_rdfxml_and_turtle_exports_hold_the_same_ontology(built):
    from rdflib.compare import isomorphic

    a, b = Graph(), Graph()
    a.parse(built.dist / "ontology.owl", format="xml")
    b.parse(built.dist / "ontology.ttl", format="turtle")
    assert isomorphic(a, b)


def test_built_graph_is_consistent(built):
    consistency(built.graph)   # raises CheckError if not


def test_inconsistent_fixture_names_the_individual(built):
    graph = Graph()
    graph += built.graph
    graph.parse(FIXTURES / "inconsistent.ttl", format="turtle")
    with pytest.raises(CheckError) as caught:
        consistency(graph)
    message = str(caught.value)
    assert "inconsistent" in message
    assert "atlantis" in message and "Country" in message and "Platform" in message


def test_shacl_passes_on_the_build(built):
    assert violations(built.graph, load_shapes(ROOT / "ontology" / "shapes.ttl")) == []


def test_shacl_fixture_without_unit_is_named(built):
    graph = Graph()
    graph += built.graph
    graph.parse(FIXTURES / "statistic-without-unit.ttl", format="turtle")
    found = violations(graph, load_shapes(ROOT / "ontology" / "shapes.ttl"))
    assert [(v.focus, v.path) for v in found] == [("cbr:stat-without-unit", "cbo:unit")]
    assert "unit" in found[0].message


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_build_fails_on_a_shacl_violation(project, capsys, engine):
    """A platform without an operator gets past the schema but not the shapes: exit 1, with either validator."""
    from kg.cli import main

    assert main(["--root", str(project.root), "build", "--quiet", "--no-reasoner", "--shacl", engine]) == 0
    (project.facts_dir / "zz-platform.yaml").write_text(
        "facts:\n  - id: lonely\n    class: Platform\n    label: {zh: 孤独平台, en: Lonely}\n    place: s2-2-3\n", encoding="utf-8")
    assert main(["--root", str(project.root), "build", "--no-reasoner", "--shacl", engine]) == 1
    err = capsys.readouterr().err
    assert f"SHACL shapes ontology/shapes.ttl ({engine})" in err
    assert "zz-platform.yaml:2: field 'operatedBy': a platform needs exactly one operator" in err


def test_inference_adds_inverses_and_transitive_part_of(built):
    inferred = infer(built.graph, ONTOLOGY)
    from kg.model.ontology import CBR

    assert (CBR.cainiao, CBO.subsidiaryOf, CBR.alibaba) in inferred
    assert (CBR.CN, CBO.hasPart, CBR.HK) in inferred
    assert (CBR.alibaba, RDF.type, CBO.Organization) in inferred
    assert not any(t in built.graph for t in inferred)


def test_saved_query_sees_inferred_facts(graph_file):
    text = (ROOT / "queries" / "alibaba_ecosystem.rq").read_text(encoding="utf-8")
    with_inferred = rows(run(open_graph(graph_file, inferred=True), text))
    without = rows(run(open_graph(graph_file, inferred=False), text))
    assert {"kind": "subsidiary", "name": "菜鸟网络"} in with_inferred
    assert {"kind": "subsidiary", "name": "菜鸟网络"} not in without


def test_reference_page_lists_every_term(built):
    html = (built.dist / "ontology.html").read_text(encoding="utf-8")
    for term in TERMS:
        assert f'id="{str(term).split("#")[-1]}"' in html
    assert "电商平台" in html and "e-commerce platform" in html


def test_reasoner_input_keeps_the_logic_and_drops_annotations(built):
    from kg.checks.reason import reasoner_ntriples

    lines = (built.dist / "cbec-kg.nt").read_bytes().splitlines()
    kept = set(reasoner_ntriples(b"\n".join(lines)).splitlines())
    label, definition = b"<http://www.w3.org/2000/01/rdf-schema#label>", b"<http://www.w3.org/2004/02/skos/core#definition>"
    assert not any(line.split(b" ", 2)[1] in (label, definition) for line in kept)    # as predicates
    types = [line for line in lines if b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in line]
    assert len(types) > 1000 and all(line in kept for line in types)       # declarations and memberships stay
    relations = [line for line in lines if b" <https://w3id.org/cbec-kg/ontology#operatedBy> " in line]
    assert relations and all(line in kept for line in relations)
    assert not any(b"XMLSchema#gYear>" in line or b"XMLSchema#date>" in line for line in kept)
    assert len(kept) < 0.8 * len(lines)
