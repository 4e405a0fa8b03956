"""The names search looks through: every resource's labels and aliases, in Chinese and English, and its class.

Names are read from the built graph (``dist/cbec-kg.nt``, else ``dist/cbec-kg.ttl``) with pyoxigraph's parser:
only ``rdfs:label``, ``skos:altLabel``, ``rdf:type`` and ``rdfs:subClassOf`` triples are kept. Resources are the
``cbr:`` IRIs (entities and statistics alike); classes are the ontology's, named by their own labels.

>>> normalise("  AliExpress 海外仓（2020） ")
'aliexpress海外仓(2020)'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg.model.ontology import CBO, CBR, SKOS, ancestors
from kg.names import GRAPH_FILE, NTRIPLES_FILE

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ALT_LABEL = str(SKOS.altLabel)
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
        labels = self.class_labels.get(cls, {})
        return labels.get(lang) or labels.get("en" if lang == "zh" else "zh") or cls


def graph_path(dist: Path) -> Path:
    """The built graph to read names from: the N-Triples export if there is one (fastest to parse)."""
    nt = dist / NTRIPLES_FILE
    return nt if nt.exists() else dist / GRAPH_FILE


def read(path: Path) -> Catalogue:
    """The catalogue of the built graph at ``path`` (N-Triples or Turtle)."""
    if not path.exists():
        raise FileNotFoundError(2, "built graph not found: run 'cbec-kg build' first", str(path))
    wanted = {RDFS_LABEL, ALT_LABEL, RDF_TYPE, RDFS_SUBCLASS}
    if path.suffix == ".nt":           # one triple a line: parse only the lines of IRIs with a wanted predicate
        lines = re.compile(rb"^<[^>\n]*> <(?:" + b"|".join(re.escape(p.encode()) for p in sorted(wanted)) + rb")> [^\n]*\n", re.M)
        parsed = pyoxigraph.parse(b"".join(lines.findall(path.read_bytes())), format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        parsed = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return catalogue((t.subject.value, t.predicate.value, t.object) for t in parsed if t.predicate.value in wanted)


def catalogue(triples) -> Catalogue:
    """A catalogue from ``(subject IRI, predicate IRI, object term)`` triples, in a deterministic order."""
    resource, ontology = str(CBR), str(CBO)
    names: dict[str, list[tuple[str, str, str]]] = {}
    types: dict[str, set[str]] = {}
    class_labels: dict[str, dict[str, str]] = {}
    parents: dict[str, set[str]] = {}
    for s, p, o in triples:
        if s.startswith(resource):
            if p == RDF_TYPE and o.value.startswith(ontology):
                types.setdefault(s, set()).add(o.value[len(ontology):])
            elif p in KINDS:
                names.setdefault(s, []).append((KINDS[p], getattr(o, "language", None) or "", o.value))
        elif s.startswith(ontology):
            if p == RDFS_LABEL and getattr(o, "language", None):
                class_labels.setdefault(s[len(ontology):], {})[o.language] = o.value
            elif p == RDFS_SUBCLASS and o.value.startswith(ontology):
                parents.setdefault(s[len(ontology):], set()).add(o.value[len(ontology):])
    return _assemble(names, types, class_labels, parents)


def _assemble(names, types, class_labels, parents) -> Catalogue:
    entries: list[Entry] = []
    flat: list[Name] = []
    chosen: dict[frozenset[str], str] = {}
    for iri in sorted(names):
        classes = frozenset(types.get(iri, ()))
        if classes not in chosen:
            chosen[classes] = most_specific(set(classes), parents)
        entry = Entry(iri, iri[len(str(CBR)):], chosen[classes])
        for kind, lang, text in sorted(set(names[iri])):
            if kind == "label" and lang:
                entry.labels.setdefault(lang, text)
            flat.append(Name(len(entries), kind, lang, text, normalise(text)))
        entries.append(entry)
    return Catalogue(entries, flat, class_labels, descendants(parents))


def most_specific(classes: set[str], parents: dict[str, set[str]]) -> str:
    """Of a resource's classes, the first (by name) that is no other's super-class; '' when it has none."""
    above = {a for c in classes for a in ancestors(parents, c)} - classes
    below = sorted(c for c in classes if not any(c in ancestors(parents, d) for d in classes if d != c))
    return (below or sorted(classes - above) or [""])[0]


def descendants(parents: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each class with itself and every class below it."""
    out: dict[str, set[str]] = {}
    for cls in set(parents) | {p for ps in parents.values() for p in ps}:
        out.setdefault(cls, set()).add(cls)
        for above in ancestors(parents, cls):
            out.setdefault(above, set()).add(cls)
    return out
