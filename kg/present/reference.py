"""The ontology's reference page, generated from the ontology itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.model.ontology import CBO, ONTOLOGY_IRI, SKOS, local
from kg.present.labels import LANGS, text_in
from kg.present.render import render as render_page

DCT = "http://purl.org/dc/terms/"
CHARACTERISTICS = {OWL.FunctionalProperty: "functional", OWL.TransitiveProperty: "transitive",
                   OWL.SymmetricProperty: "symmetric"}


@dataclass
class Term:
    iri: str
    name: str
    kind: str
    label: dict[str, str] = field(default_factory=dict)
    definition: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, list[str]]] = field(default_factory=list)


def short(graph: Graph, node) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return "(" + " ".join(short(graph, m) for m in graph.items(node)) + ")" if graph.value(node, RDF.first) else "[]"


def terms(graph: Graph) -> list[Term]:
    """Every cbo: class and property with its labels, definition and axioms."""
    kinds = [(OWL.Class, "class"), (OWL.ObjectProperty, "object property"), (OWL.DatatypeProperty, "datatype property")]
    out = []
    for rdf_type, kind in kinds:
        for node in sorted(graph.subjects(RDF.type, rdf_type), key=str):
            name = local(node)
            if not name:
                continue
            term = Term(str(node), name, kind,
                        {lang: text_in(graph, node, RDFS.label, lang, fallback=False) for lang in LANGS},
                        {lang: text_in(graph, node, SKOS.definition, lang, fallback=False) for lang in LANGS})
            for prop, title in ((RDFS.subClassOf, "subclass of"), (OWL.equivalentClass, "equivalent to"),
                                (RDFS.subPropertyOf, "subproperty of"), (OWL.inverseOf, "inverse of"),
                                (RDFS.domain, "domain"), (RDFS.range, "range")):
                values = sorted(short(graph, v) for v in graph.objects(node, prop))
                if values:
                    term.links.append((title, values))
            traits = sorted(CHARACTERISTICS[t] for t in graph.objects(node, RDF.type)
                            if isinstance(t, URIRef) and t in CHARACTERISTICS)
            if traits:
                term.links.append(("characteristics", traits))
            out.append(term)
    return out


def render(graph: Graph) -> str:
    """The reference page (both languages side by side), a static page of ``dist/``."""
    meta = {key: text_in(graph, ONTOLOGY_IRI, URIRef(DCT + prop), lang, fallback=False)
            for key, prop, lang in (("title_zh", "title", "zh"), ("title_en", "title", "en"),
                                    ("description_en", "description", "en"))}
    meta["version"] = str(graph.value(ONTOLOGY_IRI, OWL.versionInfo) or "")
    meta["namespace"] = str(CBO)
    return render_page("reference.html", meta=meta, terms=terms(graph), lang="en")
