"""Entity cards: everything the graph says about one resource, with its place in the report."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.model.ontology import CBO, CBR, SKOS, local


@dataclass
class Fact:
    prop: str
    value: str
    target: str | None
    places: list[str]


@dataclass
class Card:
    iri: str
    id: str
    labels: dict[str, str]
    types: list[str]
    aliases: list[str] = field(default_factory=list)
    definition: str = ""
    places: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    inbound: list[Fact] = field(default_factory=list)
    figures: list[Fact] = field(default_factory=list)


def label(graph: Graph, node, lang: str) -> str:
    if isinstance(node, Literal):
        return str(node)
    fallback = None
    for value in graph.objects(node, RDFS.label):
        if value.language == lang:
            return str(value)
        fallback = fallback or str(value)
    return fallback or local(node) or str(node).rsplit("/", 1)[-1]


def find(graph: Graph, text: str) -> list[URIRef]:
    """Resources whose label, alias or id is ``text`` (case-insensitive), in IRI order."""
    wanted = text.strip().casefold()
    found = {s for p in (RDFS.label, SKOS.altLabel) for s, o in graph.subject_objects(p)
             if str(o).casefold() == wanted and str(s).startswith(str(CBR))}
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", text.strip()) and (CBR[text.strip()], None, None) in graph:
        found.add(CBR[text.strip()])
    return sorted(found, key=str)


def suggest(graph: Graph, text: str, n: int = 5) -> list[str]:
    names = sorted({str(o) for p in (RDFS.label, SKOS.altLabel) for s, o in graph.subject_objects(p)
                    if str(s).startswith(str(CBR))})
    close = difflib.get_close_matches(text, names, n=n, cutoff=0.5)
    if len(close) < n:
        close += [name for name in names if text.casefold() in name.casefold() and name not in close][: n - len(close)]
    return close


def _places(graph: Graph, subject, prop, obj, default: list, lang: str) -> list[str]:
    for st in graph.subjects(RDF.subject, subject):
        if (st, RDF.predicate, prop) in graph and (st, RDF.object, obj) in graph:
            return sorted(label(graph, p, lang) for p in graph.objects(st, CBO.statedIn))
    return default


def card(graph: Graph, node: URIRef, lang: str = "zh") -> Card:
    places = sorted(label(graph, p, lang) for p in graph.objects(node, CBO.statedIn))
    result = Card(
        iri=str(node), id=str(node)[len(str(CBR)):],
        labels={v.language: str(v) for v in graph.objects(node, RDFS.label) if v.language},
        types=sorted(label(graph, t, lang) for t in graph.objects(node, RDF.type) if local(t)),
        aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
        definition=next((str(d) for d in graph.objects(node, SKOS.definition) if d.language == lang), ""),
        places=places,
    )
    skip = {RDF.type, RDFS.label, SKOS.altLabel, SKOS.definition, CBO.statedIn}
    for p, o in sorted(graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
        if p in skip or not local(p):
            continue
        target = str(o)[len(str(CBR)):] if isinstance(o, URIRef) and str(o).startswith(str(CBR)) else None
        result.facts.append(Fact(label(graph, p, lang), label(graph, o, lang), target,
                                 _places(graph, node, p, o, places, lang)))
    for s, p in sorted(graph.subject_predicates(node), key=lambda sp: (str(sp[1]), str(sp[0]))):
        if not local(p) or p == CBO.about or (s, RDF.type, RDF.Statement) in graph:
            continue
        s_places = sorted(label(graph, x, lang) for x in graph.objects(s, CBO.statedIn))
        result.inbound.append(Fact(label(graph, p, lang), label(graph, s, lang), str(s)[len(str(CBR)):],
                                   _places(graph, s, p, node, s_places, lang)))
    for stat in sorted(graph.subjects(CBO.about, node), key=str):
        unit = graph.value(graph.value(stat, CBO.unit), CBO.symbol)
        unit_text = "" if unit is None or str(unit) in ("名次",) else str(unit)
        source = graph.value(stat, CBO.citesSource)
        where = sorted(label(graph, p, lang) for p in graph.objects(stat, CBO.statedIn))
        if source is not None:
            where.append(("数据来源：" if lang == "zh" else "data: ") + label(graph, source, lang))
        value = f"{graph.value(stat, CBO.printedValue)}{unit_text} ({graph.value(stat, CBO.period)})"
        result.figures.append(Fact(label(graph, stat, lang), value, str(stat)[len(str(CBR)):], where))
    return result


def render_text(c: Card, lang: str = "zh") -> str:
    name = c.labels.get(lang) or next(iter(c.labels.values()), c.id)
    other = c.labels.get("en" if lang == "zh" else "zh", "")
    out = [f"{name}" + (f" / {other}" if other else ""), f"  {c.iri}", f"  types: {', '.join(c.types)}"]
    if c.aliases:
        out.append(f"  aliases: {', '.join(c.aliases)}")
    if c.definition:
        out.append(f"  definition: {c.definition}")
    if c.places:
        out.append(f"  stated in: {'; '.join(c.places)}")
    for title, facts in (("facts", c.facts), ("linked from", c.inbound), ("figures", c.figures)):
        if facts:
            out.append(f"{title}:")
            for f in facts:
                where = f"  [{'; '.join(f.places)}]" if f.places else ""
                out.append(f"  {f.prop}: {f.value}{where}")
    return "\n".join(out)
