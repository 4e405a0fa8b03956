"""The ontology as the build sees it: namespaces, and an index of its terms."""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph

from kg.names import BASE, PREFIX_IRIS

#: the project's prefixes as rdflib namespaces (the IRIs are kg.names.PREFIX_IRIS)
PREFIXES = {prefix: Namespace(iri) for prefix, iri in PREFIX_IRIS.items()}
CBO, CBR = PREFIXES["cbo"], PREFIXES["cbr"]
PROV, SKOS, DCTERMS, QB = PREFIXES["prov"], PREFIXES["skos"], PREFIXES["dcterms"], PREFIXES["qb"]
ONTOLOGY_IRI = URIRef(f"{BASE}ontology")

T = TypeVar("T")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
WEB_ADDRESS = re.compile(r"^https?://\S+$")
#: the datatypes a value is checked against, looked up once (each ``XSD.name`` makes a new URIRef)
_STRING, _INTEGER, _DECIMAL, _ANY_URI = XSD.string, XSD.integer, XSD.decimal, XSD.anyURI


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


#: the canonical triples of each ontology file read, by SHA-256 of its bytes; by (path, SHA-256) for a file whose
#: triples depend on where it is (a relative IRI, resolved against the file's own file: address)
_READ: dict[bytes | tuple[str, bytes], list] = {}


def load_ontology(path: Path) -> Graph:
    """The ontology, its blank nodes given stable, content-derived labels; a graph of its own for each call.

    Parsed and canonicalised once per process and file content (0.2-0.7 s): a process that loads the project again,
    or a copy of it elsewhere, as the tests and the fuzzing benchmark do, reuses the triples."""
    digest = hashlib.sha256(Path(path).read_bytes()).digest()
    here = (str(Path(path).resolve()), digest)
    triples = _READ.get(digest, _READ.get(here))
    if triples is None:
        graph = Graph()
        graph.parse(path, format="turtle")
        triples = canonical_triples(graph)
        _READ[here if any(str(t).startswith("file:") for triple in triples for t in triple
                          if isinstance(t, URIRef)) else digest] = triples
    return filled(triples)


def triple_key(triple) -> tuple:
    """A sort key for triples that compares plain strings (much faster than rdflib's term ordering)."""
    s, p, o = triple
    return (s.__class__.__name__, str(s), str(p), o.__class__.__name__, str(o),
            str(getattr(o, "datatype", "") or ""), str(getattr(o, "language", "") or ""))


def canonical(graph: Graph) -> Graph:
    """A copy whose blank nodes carry names derived from their content, inserted in sorted order (serialisers
    follow insertion order)."""
    return filled(canonical_triples(graph))


def canonical_triples(graph: Graph) -> list:
    return sorted(to_canonical_graph(graph), key=triple_key)


def filled(triples: list) -> Graph:
    copy = bind_prefixes(Graph())
    for triple in triples:
        copy.add(triple)
    return copy


def local(iri) -> str | None:
    text = str(iri)
    return text[len(CBO):] if text.startswith(str(CBO)) else None


@dataclass
class Vocabulary:
    """Classes and properties of the cbo: namespace, with their ranges."""

    classes: set[str] = field(default_factory=set)
    parents: dict[str, set[str]] = field(default_factory=dict)
    object_properties: dict[str, str | None] = field(default_factory=dict)
    datatype_properties: dict[str, URIRef | None] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> Vocabulary:
        vocab = cls()
        for c in graph.subjects(RDF.type, OWL.Class):
            name = local(c)
            if name:
                vocab.classes.add(name)
                vocab.parents[name] = {p for p in map(local, graph.objects(c, RDFS.subClassOf)) if p}
        for p in graph.subjects(RDF.type, OWL.ObjectProperty):
            name = local(p)
            if name:
                vocab.object_properties[name] = local(graph.value(p, RDFS.range)) if graph.value(p, RDFS.range) else None
        for p in graph.subjects(RDF.type, OWL.DatatypeProperty):
            name = local(p)
            if name:
                rng = graph.value(p, RDFS.range)
                vocab.datatype_properties[name] = rng if isinstance(rng, URIRef) else None
        for p, d in graph.subject_objects(RDFS.domain):
            prop, domain = local(p), local(d)
            if prop and domain:
                vocab.domains[prop] = domain
        return vocab

    def ancestors(self, name: str) -> set[str]:
        return ancestors(self.parents, name)

    def is_subclass(self, name: str, parent: str) -> bool:
        return parent in self.ancestors(name)

    def fits_range(self, prop: str, target_class: str) -> bool:
        rng = self.object_properties.get(prop)
        return rng is None or self.is_subclass(target_class, rng)

    def fits_domain(self, prop: str, subject_class: str) -> bool:
        domain = self.domains.get(prop)
        return domain is None or self.is_subclass(subject_class, domain)

    def range_name(self, prop: str) -> str:
        return self.object_properties.get(prop) or "anything"

    def literal(self, prop: str, value) -> Literal:
        """The typed literal for a datatype property's value.

        A value that ``literal_problem`` refuses raises ValueError before any term is made of it, so rdflib never
        tries to convert it (and never logs its failure to).
        """
        problem = self.literal_problem(prop, value)
        if problem:
            raise ValueError(f"{prop}: {problem}")
        rng = self.datatype_properties.get(prop)
        if prop == "date" or rng is None:
            text = str(value)
            kind = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(text))
            return Literal(text, datatype=kind) if kind and DATE_RE.match(text) else Literal(text)
        if rng == _STRING:
            return Literal(str(value))
        if rng == _ANY_URI:
            # An address printed with Chinese characters becomes its percent-encoded URI.
            return Literal(quote(str(value), safe=":/?#[]@!$&'()*+,;=%-._~"), datatype=rng)
        return Literal(str(value), datatype=rng)

    def literal_problem(self, prop: str, value) -> str | None:
        rng = self.datatype_properties.get(prop)
        if prop == "date" or rng is None:
            return None if DATE_RE.match(str(value)) else f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        if rng == _INTEGER and (isinstance(value, bool) or not isinstance(value, int)):
            return f"{value!r} is not an integer"
        if rng == _DECIMAL and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return f"{value!r} is not a number"
        if rng == _DECIMAL and isinstance(value, float) and not math.isfinite(value):
            return f"{value!r} is not a finite number"
        if rng == _ANY_URI and not WEB_ADDRESS.match(str(value)):
            return f"{value!r} is not a web address"
        if rng == _STRING and not isinstance(value, str):
            return f"{value!r} must be a quoted string"
        return None

    def suggest_class(self, name: str) -> str:
        return _suggest(name, self.classes)

    def suggest_property(self, name: str) -> str:
        return _suggest(name, set(self.object_properties) | set(self.datatype_properties))


def ancestors(parents: Mapping[T, Iterable[T]], start: T) -> set[T]:
    """``start`` and everything above it, following ``parents`` (a class's direct super-classes) up.

    >>> sorted(ancestors({"Table": {"ReportPart"}, "ReportPart": {"Thing"}}, "Table"))
    ['ReportPart', 'Table', 'Thing']
    """
    seen, todo = {start}, [start]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _suggest(name: str, options: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(options), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""
