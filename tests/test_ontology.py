"""The ontology: labelled and defined, consistent under HermiT, exported for Protégé, checked by SHACL."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pyoxigraph
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


def test_inconsistent_fixture_names_the_individual():
    """HermiT over the ontology and the fixture: the fixture contradicts the ontology by itself, so it contradicts it
    beside any data too (OWL is monotonic: more triples never make an inconsistent graph consistent), and the
    built data (consistent, test above) would only add 10,000 triples to copy and send; the message is the same."""
    graph = Graph()
    graph += ONTOLOGY
    graph.parse(FIXTURES / "inconsistent.ttl", format="turtle")
    with pytest.raises(CheckError) as caught:
        consistency(graph)
    message = str(caught.value)
    assert "inconsistent" in message
    assert "atlantis" in message and "Country" in message and "Platform" in message


SHAPES = load_shapes(ROOT / "ontology" / "shapes.ttl")
PER_TARGET = 12   # focus nodes of each shape's target in the sample


def focus_sample(store: pyoxigraph.Store) -> list[str]:
    """The first PER_TARGET focus nodes (by IRI) of every target of the shapes, in the built graph."""
    from kg.checks.shapes import SH

    wanted: set[str] = set()
    for cls in sorted(SHAPES.objects(None, SH.targetClass), key=str):
        found = store.query(f"SELECT DISTINCT ?s WHERE {{ ?s a/<{RDFS.subClassOf}>* <{cls}> }} ORDER BY ?s LIMIT {PER_TARGET}")
        wanted |= {row["s"].value for row in found}
    for prop in sorted(SHAPES.objects(None, SH.targetSubjectsOf), key=str):
        found = store.query(f"SELECT DISTINCT ?s WHERE {{ ?s <{prop}> ?o }} ORDER BY ?s LIMIT {PER_TARGET}")
        wanted |= {row["s"].value for row in found}
    return sorted(wanted)


def sample_graph(store: pyoxigraph.Store, nodes: list[str], extra: Graph | None = None) -> Graph:
    """What the shapes read about ``nodes`` (and about the subjects of ``extra``): every triple of them and of the
    resources they lead to (a value's class is checked, and a resource that has a class is itself a focus node),
    and the ontology's class tree. pySHACL on the whole build took 99 s; here every shape still has at least
    PER_TARGET real focus nodes, and the build's own validator (the shapes compiled to SPARQL) checks them all."""
    from kg.model.ontology import CBR
    from kg.rdfio.store import memory_graph

    start = set(nodes) | ({str(o) for o in extra.objects() if isinstance(o, URIRef)} if extra is not None else set())
    todo, reached = sorted(start), set(start)
    while todo:
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(todo.pop()), None, None, pyoxigraph.DefaultGraph()):
            o = q.object
            if isinstance(o, pyoxigraph.NamedNode) and o.value.startswith(str(CBR)) and o.value not in reached:
                reached.add(o.value)
                todo.append(o.value)
    graph = memory_graph(store, lambda q: q.subject.value in reached or q.predicate.value == str(RDFS.subClassOf))
    if extra is not None:
        graph += extra
    return graph


def both_validators(graph: Graph) -> tuple[list, list]:
    """(pySHACL's violations, the SPARQL-compiled shapes' violations) on ``graph``."""
    from kg.checks import shacl_sparql
    from kg.rdfio.serialize import store_of

    return violations(graph, SHAPES), shacl_sparql.violations(store_of(graph), SHAPES)


@pytest.fixture(scope="module")
def built_store(built) -> pyoxigraph.Store:
    from kg.rdfio.serialize import oxigraph_store

    store = oxigraph_store(built.graph)
    assert store is not None
    return store


def test_shacl_passes_on_the_build(built_store):
    nodes = focus_sample(built_store)
    assert len(nodes) >= 5 * PER_TARGET   # every target has real focus nodes in the report's data
    reference, compiled = both_validators(sample_graph(built_store, nodes))
    assert reference == [] and compiled == []


def test_shacl_fixture_without_unit_is_named(built_store):
    """The fixture and what it leads to (its measure, place and table, and theirs): its triples all have its own
    subject, so they can change the shapes' results on it alone, and the sample around the other focus nodes is
    clean (test_shacl_passes_on_the_build); pySHACL reads 200 triples, not the sample's 3,000."""
    fixture = Graph().parse(FIXTURES / "statistic-without-unit.ttl", format="turtle")
    assert set(fixture.subjects()) == {URIRef("https://w3id.org/cbec-kg/resource/stat-without-unit")}
    reference, compiled = both_validators(sample_graph(built_store, [], fixture))
    assert [(v.focus, v.path) for v in reference] == [("cbr:stat-without-unit", "cbo:unit")]
    assert "unit" in reference[0].message
    assert [(v.focus, v.path) for v in compiled] == [("cbr:stat-without-unit", "cbo:unit")]


def test_shacl_sample_loses_a_required_value(built_store):
    """The sample is what the shapes read: take one figure's measure out of it and both validators say so."""
    nodes = focus_sample(built_store)
    graph = sample_graph(built_store, nodes)
    figure = next(s for s in sorted(graph.subjects(RDF.type, CBO.Statistic), key=str))
    graph.remove((figure, CBO.measure, None))
    reference, compiled = both_validators(graph)
    name = graph.namespace_manager.normalizeUri(figure)
    assert [(v.focus, v.path) for v in reference] == [(name, "cbo:measure")]
    assert reference == compiled


SMALL_SHEETS = ("schema.json", "report.yaml", "units.yaml", "sources.yaml", "organisations.yaml", "places.yaml",
                "table1.yaml", "alibaba.yaml", "business-models.yaml")


@pytest.fixture()
def small_project(tmp_path):
    """The report's structure, units, sources and a few sheets: enough for every shape to have focus nodes, small
    enough for pySHACL (a whole build took it 90 s)."""
    import shutil

    from kg.project import Project

    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "facts").mkdir()
    for name in SMALL_SHEETS:
        shutil.copy(ROOT / "facts" / name, tmp_path / "facts" / name)
    return Project.find(tmp_path)


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_build_fails_on_a_shacl_violation(small_project, capsys, engine):
    """A platform without an operator gets past the schema but not the shapes: exit 1, with either validator."""
    from kg.cli import main

    project = small_project

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
