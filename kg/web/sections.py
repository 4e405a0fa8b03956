"""The report's parts (sections, tables, figures, footnotes) and what the graph says is stated in each.

A part's number and title come from :mod:`kg.web.context`; its children are the parts that are
``cbo:partOfReport`` of it, in the report's order (by first line).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, Graph, URIRef

from kg.model.ontology import CBO, CBR
from kg.present.labels import label, other
from kg.web.context import SourceTexts, place_parts, place_title
from kg.web.entity import Figure, figure, kind, resource_id

PART_CLASSES = (CBO.Section, CBO.Table, CBO.Figure, CBO.Footnote)


@dataclass
class Part:
    """A section, table, figure or footnote: id, number, title, class, depth in the outline."""

    id: str
    number: str
    title: str
    name: str
    kind: str
    depth: int = 0
    entities: int = 0
    figures: int = 0


@dataclass
class Member:
    """A resource named on a page: its id, name, name in the other language, and class."""

    id: str
    name: str
    other: str
    kind: str


@dataclass
class PartPage:
    part: Part
    trail: list[Part] = field(default_factory=list)          # the parts holding it, outermost first
    children: list[Part] = field(default_factory=list)
    source: Member | None = None                             # whose data a table, figure or footnote cites
    entities: list[Member] = field(default_factory=list)
    relations: list[tuple[Member, str, Member]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def is_part(graph: Graph, node) -> bool:
    return any((node, RDF.type, c) in graph for c in PART_CLASSES)


def _start(graph: Graph, node) -> tuple[int, str]:
    value = graph.value(node, CBO.lineStart)
    return (int(value) if value is not None else 10**9, str(node))


def children(graph: Graph, node) -> list:
    """The parts directly inside ``node``, in the report's order."""
    return sorted((s for s in graph.subjects(CBO.partOfReport, node) if is_part(graph, s)),
                  key=lambda s: _start(graph, s))


def _stated(graph: Graph, node) -> list:
    """Resources stated in ``node`` (statistics included; a relation's own ``rdf:Statement`` not)."""
    return [s for s in graph.subjects(CBO.statedIn, node)
            if resource_id(s) and (s, RDF.type, RDF.Statement) not in graph]


def figures_and_others(graph: Graph, stated) -> tuple[list, list]:
    """The statistics a part states (a ``Mention`` there stands for the statistic it prints again), and the rest."""
    stats, others = [], []
    for s in stated:
        if (s, RDF.type, CBO.Statistic) in graph:
            stats.append(s)
        elif (s, RDF.type, CBO.Mention) in graph:
            stats += [m for m in graph.objects(s, CBO.mentionOf)]
        else:
            others.append(s)
    return list(dict.fromkeys(stats)), others


def part(graph: Graph, node, lang: str, depth: int = 0) -> Part:
    number, title = place_parts(graph, node, lang)
    stats, others = figures_and_others(graph, _stated(graph, node))
    return Part(resource_id(node) or str(node), number, title, place_title(graph, node, lang),
                kind(graph, node, lang), depth, len(others), len(stats))


def outline(graph: Graph, lang: str) -> list[Part]:
    """Every part of the report, depth first in the report's order."""
    report = next(iter(graph.subjects(RDF.type, CBO.Report)), None)
    out: list[Part] = []

    def walk(node, depth: int) -> None:
        for child in children(graph, node):
            out.append(part(graph, child, lang, depth))
            walk(child, depth + 1)
    if report is not None:
        walk(report, 0)
    return out


def member(graph: Graph, node, lang: str) -> Member:
    return Member(resource_id(node) or str(node), label(graph, node, lang), label(graph, node, other(lang)),
                  kind(graph, node, lang))


def _trail(graph: Graph, node, lang: str) -> list[Part]:
    trail: list[Part] = []
    parent = graph.value(node, CBO.partOfReport)
    while parent is not None and is_part(graph, parent) and len(trail) < 10:
        trail.insert(0, part(graph, parent, lang))
        parent = graph.value(parent, CBO.partOfReport)
    return trail


def _relations(graph: Graph, node, lang: str) -> list[tuple[Member, str, Member]]:
    """Relations whose own statement is placed here (``rdf:Statement`` with ``cbo:statedIn``)."""
    rows = []
    for st in graph.subjects(CBO.statedIn, node):
        if (st, RDF.type, RDF.Statement) not in graph:
            continue
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if isinstance(o, URIRef) and resource_id(s) and resource_id(o):
            rows.append((member(graph, s, lang), label(graph, p, lang), member(graph, o, lang)))
    return sorted(rows, key=lambda r: (r[0].name, r[1], r[2].name))


def _char_start(graph: Graph, stat) -> tuple[int, str]:
    value = graph.value(stat, CBO.charStart)
    return (int(value) if value is not None else 10**9, str(stat))


def part_page(graph: Graph, node: URIRef, lang: str, text: SourceTexts) -> PartPage:
    """A part with its place in the outline, the entities and relations stated there and its figures."""
    found, others = figures_and_others(graph, _stated(graph, node))
    stats = sorted(found, key=lambda s: _char_start(graph, s))
    entities = sorted((member(graph, s, lang) for s in others), key=lambda m: (m.kind, m.name, m.id))
    source = graph.value(node, CBO.cites)
    return PartPage(part(graph, node, lang), _trail(graph, node, lang),
                    [part(graph, c, lang) for c in children(graph, node)],
                    member(graph, source, lang) if source is not None else None,
                    entities, _relations(graph, node, lang), [figure(graph, s, lang, text) for s in stats])


def find_part(graph: Graph, key: str) -> URIRef | None:
    """The part whose id is ``key`` (e.g. 's2-4', 'table1', 'fn12'), or None."""
    node = CBR[key] if key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key) else None
    return node if node is not None and is_part(graph, node) else None
