"""Read-only lookups in a graph's default graph, answered as pyoxigraph terms, for the entity card and the
report's sentences.

``lookup(graph)`` takes an Oxigraph store (the build's on-disk store, or the one behind an rdflib graph) and
asks it directly, or an rdflib graph with no store behind it and asks rdflib, converting its terms: either way
the callers see pyoxigraph terms, and only an rdflib graph's caller loads rdflib. Each pattern is asked once
per ``Lookup`` (a card asks for the same labels and places many times). ``Namespace`` names pyoxigraph
``NamedNode`` s the way rdflib's namespaces name ``URIRef`` s, without rdflib.

>>> CBO_TERMS = Namespace("https://example.org/o#")
>>> CBO_TERMS.lineStart.value
'https://example.org/o#lineStart'
"""

from __future__ import annotations

import pyoxigraph

from kg.names import PREFIX_IRIS
from kg.query.answer import of_oxigraph

TERMS = (pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal)


class Namespace:
    """``NS.name`` is the ``NamedNode`` of the namespace's IRI followed by ``name`` (made once)."""

    def __init__(self, iri: str):
        self.iri = iri
        self._made: dict[str, pyoxigraph.NamedNode] = {}

    def __getattr__(self, name: str) -> pyoxigraph.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> pyoxigraph.NamedNode:
        node = self._made.get(name)
        if node is None:
            node = self._made[name] = pyoxigraph.NamedNode(self.iri + name)
            if name.isidentifier():
                setattr(self, name, node)          # later ``NS.name`` is a plain attribute
        return node


RDF, RDFS, OWL = Namespace(PREFIX_IRIS["rdf"]), Namespace(PREFIX_IRIS["rdfs"]), Namespace(PREFIX_IRIS["owl"])
CBO, CBR, SKOS = Namespace(PREFIX_IRIS["cbo"]), Namespace(PREFIX_IRIS["cbr"]), Namespace(PREFIX_IRIS["skos"])


def term(node):
    """``node`` as a pyoxigraph term: as it is if it is one, else (an rdflib term) converted; None stays None."""
    if node is None or isinstance(node, TERMS):
        return node
    from kg.query.sources import oxigraph_term  # an rdflib term: its caller has loaded rdflib already

    return oxigraph_term(node)


def text(node) -> str:
    """An IRI's, blank node's or literal's own text (rdflib's ``str``; pyoxigraph's ``str`` is N-Triples)."""
    return node.value if isinstance(node, TERMS) else str(node)


class Lookup:
    """Triple patterns over one graph, each answered once, as lists of (subject, predicate, object) terms."""

    def __init__(self) -> None:
        self._seen: dict[tuple, list[tuple]] = {}

    def _find(self, s, p, o) -> list[tuple]:
        raise NotImplementedError

    def match(self, s=None, p=None, o=None) -> list[tuple]:
        """The triples matching a pattern (None: any term), in N-Triples order whichever engine holds them."""
        key = (s, p, o)
        found = self._seen.get(key)
        if found is None:
            found = self._find(s, p, o)
            if len(found) > 1:
                found.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
            self._seen[key] = found
        return found

    def objects(self, s, p) -> list:
        return [t[2] for t in self.match(s, p, None)]

    def subjects(self, p, o) -> list:
        return [t[0] for t in self.match(None, p, o)]

    def value(self, s, p):
        """One object of ``s p`` (the first in N-Triples order, so any engine gives the same), or None."""
        found = self.match(s, p, None) if s is not None else []     # rdflib's ``value``: no subject, no value
        return found[0][2] if found else None

    def has(self, s, p, o) -> bool:
        if s is not None and p is not None and o is not None:
            return o in self.objects(s, p)         # answered with the rest of ``s p``, often asked for already
        return bool(self.match(s, p, o))

    def prefetch(self, subjects, predicates) -> None:
        """Ask at once for the ``predicates`` of each of ``subjects`` (IRIs), so that looking up any of these pairs
        later costs nothing."""
        todo = list({s: None for s in subjects if isinstance(s, pyoxigraph.NamedNode)})
        if not todo:
            return
        found: dict[tuple, list[tuple]] = {(s, p): [] for s in todo for p in predicates}
        for t in self._find_each(todo, predicates):
            found[(t[0], t[1])].append(t)
        for (s, p), triples in found.items():
            if len(triples) > 1:
                triples.sort(key=lambda t: str(t[2]))
            self._seen.setdefault((s, p, None), triples)

    def _find_each(self, subjects: list, predicates) -> list[tuple]:
        return [t for s in subjects for p in predicates for t in self._find(s, p, None)]

    def subject_objects(self, p) -> list[tuple]:
        return [(t[0], t[2]) for t in self.match(None, p, None)]

    def texts(self, predicates) -> list:
        """The distinct objects of any of ``predicates`` (in no set order)."""
        return list({t[2]: None for p in predicates for t in self._find(None, p, None)})


class StoreLookup(Lookup):
    """Lookups in an Oxigraph store's default graph."""

    def __init__(self, store: pyoxigraph.Store):
        super().__init__()
        self.store = store
        self._default = pyoxigraph.DefaultGraph()

    def _find(self, s, p, o) -> list[tuple]:
        if isinstance(s, pyoxigraph.Literal):
            return []                            # a literal is no subject (rdflib answers nothing too)
        return [(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(s, p, o, self._default)]


    def _find_each(self, subjects: list, predicates) -> list[tuple]:
        """One query for all the pairs (one VALUES and a filter: Oxigraph joins two VALUES blocks by scanning every
        triple, four times slower)."""
        query = (f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {' '.join(map(str, subjects))} }} ?s ?p ?o "
                 f"FILTER(?p IN ({', '.join(map(str, predicates))})) }}")
        return [tuple(row) for row in of_oxigraph(self.store.query(query)).rows]

    def texts(self, predicates) -> list:
        """The distinct objects of any of ``predicates``, in one query (a third of the time of their quads)."""
        path = "|".join(map(str, predicates))
        return [row[0] for row in of_oxigraph(self.store.query(f"SELECT DISTINCT ?o WHERE {{ ?s {path} ?o }}")).rows]


class GraphLookup(Lookup):
    """Lookups in an rdflib graph, its terms converted to pyoxigraph's."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph

    def _find(self, s, p, o) -> list[tuple]:
        return [tuple(term(x) for x in t) for t in self.graph.triples((_rdflib(s), _rdflib(p), _rdflib(o)))]


def _rdflib(node):
    """A pyoxigraph term as rdflib's (None stays None)."""
    from kg.rdfio.store import rdflib_term  # lazy: it loads rdflib: only an rdflib graph's caller, which loaded it already

    return rdflib_term(node)


def lookup(graph) -> Lookup:
    """Lookups in ``graph``: a ``Lookup`` (itself), an Oxigraph store, or an rdflib graph (through the Oxigraph
    store behind it when it has one)."""
    if isinstance(graph, Lookup):
        return graph
    if isinstance(graph, pyoxigraph.Store):
        return StoreLookup(graph)
    from kg.rdfio.serialize import oxigraph_store  # lazy: it loads rdflib, which a store's reader never needs

    store = oxigraph_store(graph)
    return StoreLookup(store) if store is not None else GraphLookup(graph)
