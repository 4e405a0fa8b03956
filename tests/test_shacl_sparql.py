"""The SPARQL SHACL validator (kg.shacl_sparql) against pySHACL (kg.shapes), the reference."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from kg.checks import shapes as reference
from kg.checks.shacl_sparql import Unsupported, compile_shapes, violations
from kg.checks.shapes import SH, load_shapes
from kg.model.ontology import CBO, CBR, bind_prefixes
from kg.rdfio.serialize import oxigraph_store
from kg.rdfio.store import memory_graph

SHAPES_FILE = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"
EX = Namespace("http://example.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")   # not rdflib.XSD: pytest's collection probes it and rdflib warns


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(SHAPES_FILE)


@pytest.fixture(scope="module")
def checks(shapes) -> list:
    """The report's shapes compiled once for the module (compile_shapes reads only the shapes)."""
    return compile_shapes(shapes)


@pytest.fixture(scope="module")
def base(built) -> Graph:
    """An in-memory copy of the built graph (ontology and data), bound to the project's prefixes; tests change it
    only through :func:`mutated`, which undoes their changes. Copied from the store behind it (the same terms and
    prefixes as ``graph += built.graph``, in 70% of the time)."""
    return memory_graph(oxigraph_store(built.graph))


def store_of(graph: Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def test_report_graph_has_no_violations(built, shapes):
    checks = compile_shapes(shapes)
    assert len(checks) >= 27                      # every property shape of shapes.ttl gives at least one check
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built.dist / "cbec-kg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) > 5000
    assert violations(store, shapes, checks) == []


# --- mutations of the built graph, each breaking one constraint --------------------------------------------------

def nth(graph: Graph, cls: URIRef, n: int = 0, having: URIRef | None = None) -> URIRef:
    """The n-th (sorted) resource typed ``cls`` directly, optionally one that has ``having``."""
    found = sorted(s for s in graph.subjects(RDF.type, cls) if having is None or (s, having, None) in graph)
    return found[n]


def replace(graph: Graph, subject, predicate, value) -> None:
    graph.remove((subject, predicate, None))
    graph.add((subject, predicate, value))


def drop_label(graph: Graph, subject, lang: str) -> None:
    for label in list(graph.objects(subject, RDFS.label)):
        if label.language == lang:
            graph.remove((subject, RDFS.label, label))


def zh_hant(graph: Graph) -> None:
    # pySHACL's languageIn ("zh") takes zh-Hant: a second Chinese label on one Place, the only one on another (no violation)
    graph.add((nth(graph, CBO.Country, 2), RDFS.label, Literal("中華", lang="zh-Hant")))
    drop_label(graph, nth(graph, CBO.Country, 3), "zh")
    graph.add((nth(graph, CBO.Country, 3), RDFS.label, Literal("國家", lang="zh-Hant")))


def bad_period(graph: Graph) -> None:
    replace(graph, nth(graph, CBO.Statistic, 20), CBO.period, Literal("FY2017"))
    replace(graph, nth(graph, CBO.Statistic, 21), CBO.period, Literal("2016\n"))     # Python's $ takes a final newline


MUTATIONS = {
    "drop a statistic's value": (lambda g: g.remove((nth(g, CBO.Statistic, 0), CBO.value, None)), "cbo:value"),
    "a second value": (lambda g: g.add((nth(g, CBO.Statistic, 1), CBO.value, Literal("12345.5", datatype=XSD.decimal))), "cbo:value"),
    "value as a string": (lambda g: replace(g, nth(g, CBO.Statistic, 2), CBO.value, Literal("4")), "cbo:value"),
    "ill-typed decimal": (lambda g: replace(g, nth(g, CBO.Statistic, 3), CBO.normalizedValue, Literal("4,5", datatype=XSD.decimal)),
                          "cbo:normalizedValue"),
    "printed value with a language": (lambda g: replace(g, nth(g, CBO.Statistic, 4), CBO.printedValue, Literal("4", lang="en")),
                                      "cbo:printedValue"),
    "drop a zh label": (lambda g: drop_label(g, nth(g, CBO.Country, 0), "zh"), "rdfs:label"),
    "a second en label": (lambda g: g.add((nth(g, CBO.Country, 1), RDFS.label, Literal("Another name", lang="en"))), "rdfs:label"),
    "zh-Hant label": (zh_hant, "rdfs:label"),
    "statedIn a non-ReportPart": (lambda g: replace(g, nth(g, CBO.Statistic, 5), CBO.statedIn, nth(g, CBO.Country, 4)), "cbo:statedIn"),
    "platform without statedIn": (lambda g: g.remove((nth(g, CBO.Platform, 0), CBO.statedIn, None)), "cbo:statedIn"),
    "platform with two operators": (lambda g: g.add((nth(g, CBO.Platform, 1), CBO.operatedBy, nth(g, CBO.Company, 5))), "cbo:operatedBy"),
    "operator a literal": (lambda g: replace(g, nth(g, CBO.Platform, 2), CBO.operatedBy, Literal("Alibaba")), "cbo:operatedBy"),
    "period not matching the pattern": (bad_period, "cbo:period"),
    "date typed xsd:string": (lambda g: replace(g, nth(g, CBO.Platform, 0, having=CBO.date), CBO.date, Literal("2012")), "cbo:date"),
    "ill-typed date": (lambda g: g.add((CBR["made-up"], CBO.date, Literal("2013-02-30", datatype=XSD.date))), "cbo:date"),
    "two years": (lambda g: g.add((nth(g, CBO.Statistic, 6, having=CBO.year), CBO.year, Literal(1999))), "cbo:year"),
    "year a string on an untyped node": (lambda g: g.add((CBR["no-class"], CBO.year, Literal("1999"))), "cbo:year"),
    "unit without factor": (lambda g: g.remove((nth(g, CBO.Unit, 0), CBO.factor, None)), "cbo:factor"),
    "report part without lineStart": (lambda g: g.remove((nth(g, CBO.Section, 0), CBO.lineStart, None)), "cbo:lineStart"),
    "company without labels": (lambda g: g.remove((nth(g, CBO.Company, 0), RDFS.label, None)), "rdfs:label"),
}


class Recording:
    """A graph as the mutations see it, noting each triple they add or remove and whether the graph held it before:
    what changed, and undoing it, cost what the mutations touched, not two copies of the whole graph."""

    def __init__(self, graph: Graph):
        self.graph, self.held = graph, {}

    def __getattr__(self, name: str):
        return getattr(self.graph, name)

    def __contains__(self, triple) -> bool:
        return triple in self.graph

    def add(self, triple) -> None:
        self.held.setdefault(triple, triple in self.graph)
        self.graph.add(triple)

    def remove(self, pattern) -> None:
        for triple in list(self.graph.triples(pattern)):
            self.held.setdefault(triple, True)
        self.graph.remove(pattern)

    def changed(self) -> set:
        """The triples added or removed (only a touched triple can differ from before)."""
        return {t for t, before in self.held.items() if (t in self.graph) != before}

    def undo(self) -> None:
        for t, before in self.held.items():
            (self.graph.add if before else self.graph.remove)(t)


@contextlib.contextmanager
def mutated(base: Graph, *mutations) -> Iterator[set]:
    """``base`` changed in place by ``mutations`` (copying the graph cost more than the checks), with the triples
    they added or removed; undone afterwards."""
    recording = Recording(base)
    try:
        for mutate in mutations:
            mutate(recording)
        yield recording.changed()
    finally:
        recording.undo()


def sized(graph: Graph, changed: set) -> Graph:
    """What the shapes read about the nodes that ``changed`` (triples added or removed) touched: their triples and
    those of every resource they lead to (a value's class is checked, and a resource with a class is itself a focus
    node), and the class tree.

    The shapes read a focus node's own values and those values' classes; a change that touches no rdf:type can
    therefore only change the results on the nodes it touched, and the report's graph has none: pySHACL finds on
    this graph what it finds on the whole one (the "all at once" case runs both validators on the whole graph)."""
    assert changed and RDF.type not in {p for _, p, _ in changed}
    todo = sorted({s for s, _, _ in changed})
    reached = set(todo)
    while todo:
        for o in graph.objects(todo.pop()):
            if isinstance(o, URIRef) and o.startswith(str(CBR)) and o not in reached:
                reached.add(o)
                todo.append(o)
    out = bind_prefixes(Graph())
    for node in reached:
        for t in graph.triples((node, None, None)):
            out.add(t)
    for t in graph.triples((None, RDFS.subClassOf, None)):
        out.add(t)
    return out


@pytest.mark.parametrize("mutation", [*MUTATIONS, "all at once"])
def test_agrees_with_pyshacl(base, shapes, checks, mutation):
    chosen = MUTATIONS.values() if mutation == "all at once" else [MUTATIONS[mutation]]
    with mutated(base, *(mutate for mutate, _ in chosen)) as changed:
        # pySHACL on the whole graph once; on what the mutation touched otherwise
        graph = base if mutation == "all at once" else sized(base, changed)
        expected = reference.violations(graph, shapes)
        assert expected, "the mutation must break a constraint"
        assert violations(store_of(graph), shapes, checks) == expected
        assert {path for _, path in chosen} <= {v.path for v in expected}


def test_targets_follow_subclasses(base, shapes, checks):
    company = nth(base, CBO.Company, 0)
    assert (company, RDF.type, CBO.Agent) not in base      # an Agent only through Company < Organization < Agent
    with mutated(base, lambda g: g.remove((company, RDFS.label, None))):
        found = violations(store_of(base), shapes, checks)
    assert {v.focus for v in found} == {base.namespace_manager.normalizeUri(company)}
    assert len(found) == 2                                    # no Chinese label, no English label


def test_warnings_are_dropped_like_pyshacl(base, shapes):
    lowered = Graph() + shapes
    value_shape = next(p for p in lowered.subjects(SH.path, CBO.value))
    lowered.add((value_shape, SH.severity, SH.Warning))
    stat = nth(base, CBO.Statistic, 0)
    with mutated(base, lambda g: g.remove((stat, CBO.value, None)), lambda g: g.remove((stat, CBO.unit, None))) as changed:
        graph = sized(base, changed)
    expected = reference.violations(graph, lowered)
    assert [v.path for v in expected] == ["cbo:unit"]
    assert violations(store_of(graph), lowered) == expected


def one_property_shape(target, path, message: str) -> tuple[Graph, BNode]:
    """Shapes with one node shape (targeting subjects of ``target``) and its one property shape, to add constraints to."""
    shapes = Graph()
    shape, prop = EX.Shape, BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetSubjectsOf, target))
    shapes.add((shape, SH.property, prop))
    shapes.add((prop, SH.path, path))
    shapes.add((prop, SH.message, Literal(message)))
    return shapes, prop


def test_pattern_escaping_agrees_with_pyshacl():
    # quotes, backslashes and a '$' in the pattern, on a small hand-made graph
    shapes, prop = one_property_shape(EX.code, EX.code, 'a quoted "code"')
    shapes.add((prop, SH.pattern, Literal('^"\\d+\\\\?"[$]?$')))
    data = bind_prefixes(Graph())
    for i, code in enumerate(['"12"', '"12\\"', '"12"$', "12", '"12"\n', '"12"\n\n', '"1\\2"', EX.iri, BNode()]):
        data.add((EX[f"n{i}"], EX.code, code if isinstance(code, URIRef | BNode) else Literal(code)))
    expected = reference.violations(data, shapes)
    assert [v.focus for v in expected] == [f"<{EX}n{i}>" for i in (3, 5, 6, 7, 8)]     # a blank node never matches
    assert violations(store_of(data), shapes) == expected


# --- what the compiler refuses ------------------------------------------------------------------------------------

UNSUPPORTED = {
    "sh:nodeKind": "sh:property [ sh:path cbo:a ; sh:nodeKind sh:IRI ; sh:message \"m\" ]",
    "sh:path": "sh:property [ sh:path ( cbo:a cbo:b ) ; sh:minCount 1 ; sh:message \"m\" ]",
    "sh:flags": "sh:property [ sh:path cbo:a ; sh:pattern \"^a\" ; sh:flags \"i\" ; sh:message \"m\" ]",
    "sh:message": "sh:property [ sh:path cbo:a ; sh:minCount 1 ]",
    "sh:datatype xsd:anyURI": "sh:property [ sh:path cbo:a ; sh:datatype xsd:anyURI ; sh:message \"m\" ]",
    "sh:qualifiedValueShapesDisjoint": "sh:property [ sh:path cbo:a ; sh:qualifiedValueShape [ sh:languageIn ( \"zh\" ) ] ; "
                                       "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ; sh:message \"m\" ]",
    "sh:minLength": "sh:property [ sh:path cbo:a ; sh:qualifiedValueShape [ sh:minLength 2 ] ; sh:qualifiedMinCount 1 ; "
                    "sh:message \"m\" ]",
    "sh:pattern": "sh:property [ sh:path cbo:a ; sh:pattern \"(?<=a)b\" ; sh:message \"m\" ]",
    "sh:targetNode": "sh:targetNode cbo:x",
    "sh:closed": "sh:closed true",
}


@pytest.mark.parametrize("construct", UNSUPPORTED)
def test_unsupported_constructs_are_refused(construct):
    shapes = Graph().parse(format="turtle", data=f"""
        @prefix cbo: <{CBO}> . @prefix cbs: <https://w3id.org/cbec-kg/shapes#> .
        @prefix sh: <{SH}> . @prefix xsd: <{XSD}> .
        cbs:Bad a sh:NodeShape ; sh:targetClass cbo:Thing ; {UNSUPPORTED[construct]} .""")
    with pytest.raises(Unsupported) as raised:
        compile_shapes(shapes)
    assert "cbs:Bad" in str(raised.value)
    assert construct in str(raised.value)



@pytest.mark.parametrize("low,high", [(2, None), (None, 2), (None, 0), (1, 1), (2, 3)])
def test_other_count_bounds_agree_with_pyshacl(low, high):
    # the report's shapes use only minCount 1 and maxCount 1; other bounds take other queries (grouped counts)
    shapes, prop = one_property_shape(EX.kind, EX.tag, "tags")
    for bound, predicate in ((low, SH.minCount), (high, SH.maxCount)):
        if bound is not None:
            shapes.add((prop, predicate, Literal(bound)))
    data = bind_prefixes(Graph())
    for n in range(5):                                   # node n has n distinct tags (and one repeated value for n=4)
        data.add((EX[f"n{n}"], EX.kind, Literal("k")))
        for t in range(n):
            data.add((EX[f"n{n}"], EX.tag, Literal(f"t{t}")))
    data.add((EX.n4, EX.tag, Literal("t0", lang="en")))  # a fifth value: same text, another term
    expected = reference.violations(data, shapes)
    assert expected
    assert violations(store_of(data), shapes) == expected
