"""Where a fact becomes triples.

Each block of a fact sheet becomes one resource ``cbr:<id>`` typed with its
class, labelled in Chinese and English, linked to the report part that states
it (``cbo:statedIn``) and, for statistics, to the source the report cites for
it (``cbo:citesSource``). A relation with a place of its own is also written
as an ``rdf:Statement`` carrying that place, so the question "where does the
report say this?" has an answer for single triples too.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from .facts import Fact, FactBase, as_list
from .ontology import CBO, CBR, SKOS, Vocabulary, bind_prefixes


def iri(fact_id: str) -> URIRef:
    return CBR[fact_id]


def decimal_text(number: Decimal) -> str:
    """Canonical xsd:decimal text: no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def parse_printed(printed: str) -> Decimal:
    return Decimal(printed.replace(",", ""))


def statement_iri(subject: str, prop: str, target: str) -> URIRef:
    digest = hashlib.sha1(f"{subject} {prop} {target}".encode()).hexdigest()[:12]
    return CBR[f"statement-{subject}-{digest}"]


def fact_triples(fact: Fact, base: FactBase, vocab: Vocabulary, graph: Graph) -> None:
    s = iri(fact.id)
    data = fact.data
    graph.add((s, RDF.type, CBO[fact.cls]))
    for lang, text in data["label"].items():
        graph.add((s, RDFS.label, Literal(text, lang=lang)))
    for lang, names in (data.get("aliases") or {}).items():
        for name in names:
            graph.add((s, SKOS.altLabel, Literal(name, lang=lang)))
    for lang, text in (data.get("definition") or {}).items():
        graph.add((s, SKOS.definition, Literal(text, lang=lang)))
    if data.get("note"):
        graph.add((s, SKOS.editorialNote, Literal(data["note"])))
    for place in fact.places():
        graph.add((s, CBO.statedIn, iri(place)))
    if "period" in data:
        period = data["period"]
        graph.add((s, CBO.period, Literal(period)))
        start, _, end = period.partition("/")
        if not end or end[:4] == start[:4]:
            graph.add((s, CBO.year, Literal(int(start[:4]))))
    for key, value, places in fact.relations():
        p = CBO[key]
        if key in vocab.object_properties:
            o = iri(str(value))
            graph.add((s, p, o))
            if places:
                st = statement_iri(fact.id, key, str(value))
                graph.add((st, RDF.type, RDF.Statement))
                graph.add((st, RDF.subject, s))
                graph.add((st, RDF.predicate, p))
                graph.add((st, RDF.object, o))
                for place in places:
                    graph.add((st, CBO.statedIn, iri(place)))
        else:
            graph.add((s, p, vocab.literal(key, value)))
    if fact.cls == "Statistic":
        statistic_triples(fact, base, graph)


def statistic_triples(fact: Fact, base: FactBase, graph: Graph) -> None:
    s, data = iri(fact.id), fact.data
    printed = data["value"]
    value = parse_printed(printed)
    graph.add((s, CBO.printedValue, Literal(printed)))
    graph.add((s, CBO.value, Literal(decimal_text(value), datatype=XSD.decimal)))
    unit = base.facts[data["unit"]]
    factor = Decimal(str(unit.data.get("factor", 1)))
    graph.add((s, CBO.normalizedValue, Literal(decimal_text(value * factor), datatype=XSD.decimal)))
    if "upperValue" in data:
        graph.add((s, CBO.upperValue, Literal(decimal_text(parse_printed(data["upperValue"])), datatype=XSD.decimal)))
    if "offset" in data:
        graph.add((s, CBO.charStart, Literal(data["offset"])))
        graph.add((s, CBO.charEnd, Literal(data["offset"] + len(printed))))
    if "citesSource" not in data:
        # "On whose data?": a figure inherits the source its table or footnote cites.
        for place in fact.places():
            for source in as_list(base.facts[place].data.get("cites")):
                graph.add((s, CBO.citesSource, iri(source)))


def build_graph(base: FactBase, vocab: Vocabulary, ontology: Graph | None = None) -> Graph:
    """The data graph for all facts, with the ontology merged in when given."""
    graph = bind_prefixes(Graph())
    if ontology is not None:
        for triple in ontology:
            graph.add(triple)
    for fact in sorted(base.facts.values(), key=lambda f: f.id):
        fact_triples(fact, base, vocab, graph)
    return graph
