"""A set of the graph's nodes as a pyvis ``Network``: styled nodes, readable labels, each relation drawn once.

* A node looks as its class looks (:mod:`kg.present.style`) and carries its tooltip and its entity id (the
  page opens ``/entity/ID`` on a click).
* A relation and its inverse (A hasSubsidiary B, B subsidiaryOf A), or a symmetric relation stated both ways,
  is one edge: the one whose property sorts first. A relation implied by a more specific one between the same
  two (servesMarket beside firstTierMarket) is not drawn.
* A node with no edge to the others is not drawn: it is handed back as a :class:`Loose` node, which the page
  lists beside the network under a heading of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pyvis.network import Network
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.model.ontology import CBO, CBR, local
from kg.present.labels import label
from kg.present.style import EDGE_COLOUR, Look, look, styled_class
from kg.present.tooltips import tooltip

#: node label size in graph units; the page enlarges labels after the first fit if they would be under MIN_PX
FONT = 16
#: the smallest label, in CSS pixels, a page shows after its first fit
MIN_PX = 12

OPTIONS = {
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -80, "centralGravity": 0.012, "springLength": 110,
                             "springConstant": 0.08, "avoidOverlap": 0.5},
        "stabilization": {"enabled": True, "iterations": 600, "fit": True},
    },
    # relation names are drawn once they are 11 px or more on screen (zoomed in); a pointer on an edge names it
    "edges": {"font": {"size": 11, "align": "middle", "color": "#555555", "strokeWidth": 3},
              "scaling": {"label": {"drawThreshold": 11}},
              "color": {"inherit": False, "color": EDGE_COLOUR}, "smooth": {"type": "continuous"},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
    "nodes": {"font": {"size": FONT, "strokeWidth": 3, "strokeColor": "#ffffff"}, "size": 14,
              "widthConstraint": {"maximum": 150}},
    "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 150},
}


@dataclass(frozen=True)
class Loose:
    """A node of the view with no relation to the others: listed beside the network, not drawn in it."""

    id: str
    entity: str
    label: str
    title: str
    cls: str
    symbol: str
    colour: str


def entity_id(node) -> str:
    """The id of a resource's entity page (``/entity/ID``): its IRI after the resource namespace."""
    text = str(node)
    return text[len(str(CBR)):] if text.startswith(str(CBR)) else text


def direct_parents(graph: Graph) -> dict[str, list[str]]:
    """For each cbo: class, its direct cbo: super-classes (``kg.model.ontology.ancestors`` follows them up)."""
    direct: dict[str, list[str]] = {}
    for c, p in graph.subject_objects(RDFS.subClassOf):
        child, parent = local(c), local(p)
        if child and parent:
            direct.setdefault(child, []).append(parent)
    return direct


def class_parents(graph: Graph) -> dict[str, list[str]]:
    """For each cbo: class, its cbo: ancestors from nearest to farthest (the order a node's look is chosen in)."""
    direct = direct_parents(graph)
    result = {}
    for cls in direct:
        seen, todo = [], list(direct[cls])
        while todo:
            nxt = todo.pop(0)
            if nxt not in seen:
                seen.append(nxt)
                todo.extend(direct.get(nxt, []))
        result[cls] = seen
    return result


def node_class(graph: Graph, parents: dict[str, list[str]], node) -> str:
    """The class (local name) that decides how ``node`` looks."""
    return styled_class(sorted(filter(None, (local(c) for c in graph.objects(node, RDF.type)))), parents)


def inverses(graph: Graph) -> dict[str, set[str]]:
    """Property IRI -> the IRIs of its inverses (a symmetric property is its own inverse)."""
    found: dict[str, set[str]] = {}
    for p, q in graph.subject_objects(OWL.inverseOf):
        found.setdefault(str(p), set()).add(str(q))
        found.setdefault(str(q), set()).add(str(p))
    for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
        found.setdefault(str(p), set()).add(str(p))
    return found


def broader(graph: Graph) -> dict[str, set[str]]:
    """Property IRI -> the IRIs of every property it is a sub-property of, however far up."""
    direct: dict[str, set[str]] = {}
    for p, q in graph.subject_objects(RDFS.subPropertyOf):
        direct.setdefault(str(p), set()).add(str(q))
    found: dict[str, set[str]] = {}
    for prop in direct:
        seen: set[str] = set()
        todo = list(direct[prop])
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(direct.get(up, ()))
        found[prop] = seen
    return found


def relations(graph: Graph, nodes: set) -> list[tuple[str, str, str]]:
    """(subject, property, object) for every cbo: relation among ``nodes``, in sorted order: a relation stated both
    ways (by a property and its inverse) once, and none that a more specific one between the same two says
    (servesMarket beside firstTierMarket)."""
    stated = {(str(s), str(p), str(o)) for s in nodes for p, o in graph.predicate_objects(s)
              if o in nodes and local(p) and p != RDF.type}
    inverse, up = inverses(graph), broader(graph)
    implied = {(s, general, o) for s, p, o in stated for general in up.get(p, ())}
    kept = []
    for s, p, o in sorted(stated - implied):
        partners = [(o, q, s) for q in sorted(inverse.get(p, ())) if (o, q, s) in stated and (o, q, s) != (s, p, o)]
        if all((p, s, o) < (q, ps, po) for ps, q, po in partners):
            kept.append((s, p, o))
    return kept


def network_of(graph: Graph, nodes: list[URIRef], lang: str = "zh", centre: URIRef | None = None,
               tips: dict | None = None) -> tuple[Network, list[tuple[str, str, str]], list[Loose]]:
    """The network of ``nodes`` and the relations among them, its legend (class name, colour, symbol) and the
    nodes left without an edge, by class and name (``centre`` is drawn even when alone).

    ``tips`` keeps the tooltips written, by node and language, for the next network of the same graph: the
    build's views show many nodes more than once, and writing a tooltip was most of drawing a view."""
    tips = {} if tips is None else tips
    parents = class_parents(graph)
    edges = relations(graph, set(nodes))
    linked = {s for s, _, _ in edges} | {o for _, _, o in edges} | ({str(centre)} if centre is not None else set())
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    used: dict[str, Look] = {}
    loose = []
    for node in nodes:
        cls = node_class(graph, parents, node)
        used[cls] = look(cls)
        if (node, lang) not in tips:
            tips[(node, lang)] = tooltip(graph, node, lang)
        name, title = label(graph, node, lang), tips[(node, lang)]
        if str(node) in linked:
            net.add_node(str(node), label=name, title=title, color=used[cls].colour, shape=used[cls].shape,
                         entity=entity_id(node))
        else:
            loose.append(Loose(str(node), entity_id(node), name, title, cls, used[cls].symbol, used[cls].colour))
    for s, p, o in edges:
        name = label(graph, URIRef(p), lang)
        net.add_edge(s, o, label=name, title=name, arrows="to", relation=p)
    net.set_options(json.dumps(OPTIONS))
    legend = [(label(graph, CBO[cls], lang), used[cls].colour, used[cls].symbol) for cls in sorted(used)]
    return net, legend, sorted(loose, key=lambda n: (n.cls, n.label, n.id))
