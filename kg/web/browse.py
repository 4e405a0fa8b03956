"""Browsing by class: the ontology's classes with how many resources each has, and each class's members.

A class's members are the resources typed with it or with one of its sub-classes (``rdfs:subClassOf``,
followed transitively), so the counts agree with the graph and its inferences (``dist/inferred.ttl``)
although only the asserted graph is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.model.ontology import CBO, SKOS
from kg.present.labels import label, text_in
from kg.web.sections import Member, member


@dataclass
class ClassRow:
    """A class of the ontology: its local name, labels in both languages, member count, depth in the tree."""

    id: str
    zh: str
    en: str
    count: int
    depth: int
    definition: str = ""


def ontology_classes(graph: Graph) -> list[URIRef]:
    return sorted((c for c in graph.subjects(RDF.type, OWL.Class)
                   if isinstance(c, URIRef) and str(c).startswith(str(CBO))), key=str)


def class_of(graph: Graph, name: str) -> URIRef | None:
    """The ontology class whose local name is ``name`` (case-insensitive), or None."""
    wanted = name.strip().casefold()
    return next((c for c in ontology_classes(graph) if str(c)[len(str(CBO)):].casefold() == wanted), None)


def parents(graph: Graph, cls) -> list[URIRef]:
    return sorted(p for p in graph.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef) and str(p).startswith(str(CBO)))


def descendants(graph: Graph, cls) -> set:
    """``cls`` and every class below it."""
    found, todo = {cls}, [cls]
    while todo:
        for sub in graph.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def members_of(graph: Graph, cls) -> set:
    return {s for c in descendants(graph, cls) for s in graph.subjects(RDF.type, c)}


def class_tree(graph: Graph, lang: str) -> list[ClassRow]:
    """Every class, each under its first super-class, siblings by label in the reader's language."""
    classes = ontology_classes(graph)
    known = set(classes)
    kids: dict = {}
    for c in classes:
        up = next((p for p in parents(graph, c) if p in known), None)
        kids.setdefault(up, []).append(c)
    out: list[ClassRow] = []

    def walk(node, depth: int) -> None:
        for c in sorted(kids.get(node, []), key=lambda c: label(graph, c, lang)):
            out.append(ClassRow(str(c)[len(str(CBO)):], text_in(graph, c, RDFS.label, "zh"),
                                text_in(graph, c, RDFS.label, "en"), len(members_of(graph, c)), depth,
                                text_in(graph, c, RDFS.comment, lang) or _definition(graph, c, lang)))
            walk(c, depth + 1)
    walk(None, 0)
    return out


def _definition(graph: Graph, cls, lang: str) -> str:
    return text_in(graph, cls, SKOS.definition, lang)


def class_members(graph: Graph, cls, lang: str) -> list[Member]:
    """The class's members by name in the reader's language."""
    return sorted((member(graph, s, lang) for s in members_of(graph, cls)), key=lambda m: (m.name.casefold(), m.id))
