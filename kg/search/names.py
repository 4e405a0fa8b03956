"""The names search looks through: every resource's labels and aliases, in Chinese and English, and its class.

The build reads them from its store (:func:`store_triples`: only ``rdfs:label``, ``skos:altLabel``, ``rdf:type``
and ``rdfs:subClassOf`` triples) and writes them to ``dist/search-names.json`` (:func:`dump`), which
``cbec-kg search`` and the server read (:func:`load`): 15 ms of CPU on the report, against 50-75 ms for the
graph, with neither rdflib nor pyoxigraph imported. Resources are the ``cbr:`` IRIs (entities and statistics
alike); classes are the ontology's, named by their own labels.

>>> normalise("  AliExpress 海外仓（2020） ")
'aliexpress海外仓(2020)'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.names import GRAPH_FILE, NTRIPLES_FILE, PREFIX_IRIS, SEARCH_FILE
from kg.present.labels import pick

CBO, CBR = PREFIX_IRIS["cbo"], PREFIX_IRIS["cbr"]
RDFS_LABEL = PREFIX_IRIS["rdfs"] + "label"
RDFS_SUBCLASS = PREFIX_IRIS["rdfs"] + "subClassOf"
RDF_TYPE = PREFIX_IRIS["rdf"] + "type"
ALT_LABEL = PREFIX_IRIS["skos"] + "altLabel"
KINDS = {RDFS_LABEL: "label", ALT_LABEL: "alias"}
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as search compares it: NFKC (full-width forms to ASCII), case-folded, without white space."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Name:
    """One label or alias of one resource."""

    entry: int          # position of its resource in Catalogue.entries
    kind: str           # "label" or "alias"
    lang: str           # "zh", "en" or "" (no language tag)
    text: str           # as the graph writes it
    norm: str           # normalise(text)


@dataclass
class Entry:
    """One resource: its IRI, id (the IRI after ``cbr:``), class (a local name) and labels by language."""

    iri: str
    id: str
    cls: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Catalogue:
    """Every resource's names, the classes' labels, and each class with its sub-classes."""

    entries: list[Entry]
    names: list[Name]
    class_labels: dict[str, dict[str, str]]
    subclasses: dict[str, set[str]]

    def class_label(self, cls: str, lang: str) -> str:
        return pick(self.class_labels.get(cls, {}), lang, cls)


# --- from the graph (the build's store; a dist built before the file: its N-Triples) ------------------------------

def graph_path(dist: Path) -> Path:
    """The built graph to read names from: the N-Triples export if there is one (fastest to parse)."""
    nt = dist / NTRIPLES_FILE
    return nt if nt.exists() else dist / GRAPH_FILE


def read(path: Path) -> Catalogue:
    """The catalogue of the built graph at ``path`` (N-Triples or Turtle)."""
    if not path.exists():
        raise FileNotFoundError(2, "built graph not found: run 'cbec-kg build' first", str(path))
    if path.suffix == ".nt":
        return of_ntriples(path.read_bytes())
    import pyoxigraph  # lazy: a search reads the build's names file and needs no RDF parser

    parsed = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return catalogue((t.subject.value, t.predicate.value, t.object) for t in parsed if t.predicate.value in WANTED)


WANTED = {RDFS_LABEL, ALT_LABEL, RDF_TYPE, RDFS_SUBCLASS}
#: the N-Triples lines of an IRI with a wanted predicate (one triple a line: only those are parsed)
_WANTED_LINES = re.compile(rb"^<[^>\n]*> <(?:" + b"|".join(re.escape(p.encode()) for p in sorted(WANTED)) + rb")> [^\n]*\n", re.M)


def of_ntriples(data: bytes) -> Catalogue:
    """The catalogue of a graph written as N-Triples."""
    import pyoxigraph  # lazy: a search reads the build's names file and needs no RDF parser

    parsed = pyoxigraph.parse(b"".join(_WANTED_LINES.findall(data)), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return catalogue((t.subject.value, t.predicate.value, t.object) for t in parsed if t.predicate.value in WANTED)


def store_triples(store):
    """The wanted triples of an Oxigraph store's default graph (the build's: half the CPU of its N-Triples)."""
    import pyoxigraph  # lazy: a search reads the build's names file and needs no RDF parser

    quads = (q for p in sorted(WANTED) for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(p), None, pyoxigraph.DefaultGraph()))
    return ((q.subject.value, q.predicate.value, q.object) for q in quads)


def catalogue(triples) -> Catalogue:
    """A catalogue from ``(subject IRI, predicate IRI, object term)`` triples, in a deterministic order."""
    names, types, class_labels, parents = _grouped(triples)
    entries: list[Entry] = []
    flat: list[Name] = []
    for id_, cls, own in _resources(names, types, parents):
        entries.append(_entry(id_, cls, own, len(entries), flat))
    return Catalogue(entries, flat, class_labels, descendants(parents))


def _grouped(triples) -> tuple[dict, dict, dict, dict]:
    """Names by resource IRI, classes by resource IRI, labels by class, super-classes by class."""
    names: dict[str, list[tuple[str, str, str]]] = {}
    types: dict[str, set[str]] = {}
    class_labels: dict[str, dict[str, str]] = {}
    parents: dict[str, set[str]] = {}
    for s, p, o in triples:
        if s.startswith(CBR):
            if p == RDF_TYPE and o.value.startswith(CBO):
                types.setdefault(s, set()).add(o.value[len(CBO):])
            elif p in KINDS:
                names.setdefault(s, []).append((KINDS[p], getattr(o, "language", None) or "", o.value))
        elif s.startswith(CBO):
            if p == RDFS_LABEL and getattr(o, "language", None):
                labels = class_labels.setdefault(s[len(CBO):], {})
                labels[o.language] = max(labels.get(o.language, ""), o.value)   # the same in any order read
            elif p == RDFS_SUBCLASS and o.value.startswith(CBO):
                parents.setdefault(s[len(CBO):], set()).add(o.value[len(CBO):])
    return names, types, class_labels, parents


def _resources(names, types, parents) -> Iterator[tuple[str, str, list[tuple[str, str, str]]]]:
    """Each resource's id, class and sorted ``(kind, lang, text)`` names, by IRI."""
    chosen: dict[frozenset[str], str] = {}
    for iri in sorted(names):
        classes = frozenset(types.get(iri, ()))
        if classes not in chosen:
            chosen[classes] = most_specific(set(classes), parents)
        yield iri[len(CBR):], chosen[classes], sorted(set(names[iri]))


def _entry(id_: str, cls: str, own, position: int, names: list[Name]) -> Entry:
    """The entry of resource ``id_`` with its labels by language; its ``(kind, lang, text)`` names appended to
    ``names``."""
    entry = Entry(CBR + id_, id_, cls)
    for kind, lang, text in own:
        if kind == "label" and lang:
            entry.labels.setdefault(lang, text)
        names.append(Name(position, kind, lang, text, normalise(text)))
    return entry


def most_specific(classes: set[str], parents: dict[str, set[str]]) -> str:
    """Of a resource's classes, the first (by name) that is no other's super-class; '' when it has none."""
    from kg.model.ontology import ancestors  # loads rdflib: only a catalogue made from a graph needs it

    above = {a for c in classes for a in ancestors(parents, c)} - classes
    below = sorted(c for c in classes if not any(c in ancestors(parents, d) for d in classes if d != c))
    return (below or sorted(classes - above) or [""])[0]


def descendants(parents: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each class with itself and every class below it."""
    from kg.model.ontology import ancestors  # lazy: loads rdflib: only a catalogue made from a graph needs it

    out: dict[str, set[str]] = {}
    for cls in set(parents) | {p for ps in parents.values() for p in ps}:
        out.setdefault(cls, set()).add(cls)
        for above in ancestors(parents, cls):
            out.setdefault(above, set()).add(cls)
    return out


# --- the build's file (search) ------------------------------------------------------------------------------------

def dump(triples) -> bytes:
    """``dist/search-names.json`` for the graph of these triples (see :func:`catalogue`); keys sorted, so the same
    graph gives the same bytes: each class's labels and sub-classes; each resource's id, class and names.
    :func:`load` derives the rest (IRIs, labels by language, normalised names)."""
    names, types, class_labels, parents = _grouped(triples)
    below = descendants(parents)
    classes = {c: {"labels": class_labels.get(c, {}), "below": sorted(below.get(c, ()))} for c in set(class_labels) | set(below)}
    resources = list(_resources(names, types, parents))
    return json.dumps({"classes": classes, "resources": resources}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode() + b"\n"


def load(path: Path) -> Catalogue:
    """The catalogue :func:`dump` wrote."""
    data = json.loads(path.read_bytes())
    entries: list[Entry] = []
    names: list[Name] = []
    for id_, cls, own in data["resources"]:
        entries.append(_entry(id_, cls, own, len(entries), names))
    classes = data["classes"]
    return Catalogue(entries, names, {c: v["labels"] for c, v in classes.items() if v["labels"]},
                     {c: set(v["below"]) for c, v in classes.items() if v["below"]})


def of_dist(dist: Path) -> Catalogue:
    """The catalogue of the build in ``dist``: its file, else (a build from before the file) its graph."""
    path = dist / SEARCH_FILE
    return load(path) if path.exists() else read(graph_path(dist))
