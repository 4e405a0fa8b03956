"""Exports of the built graph in standard formats, written by the build into ``dist/`` and by ``cbec-kg export``.

| format   | file               | what                                                            |
|----------|--------------------|-----------------------------------------------------------------|
| turtle   | cbec-kg.ttl        | ontology + asserted facts (the build's main output)             |
| ntriples | cbec-kg.nt         | the same, one triple a line, sorted                             |
| jsonld   | cbec-kg.jsonld     | the same, compacted with a prefix ``@context``                  |
| rdfxml   | cbec-kg.rdf        | the same, RDF/XML (Protégé)                                     |
| trig     | cbec-kg.trig       | three named graphs: ontology, asserted facts, inferred triples  |
| nquads   | cbec-kg.nq         | the same three graphs as N-Quads                                |
| graphml  | cbec-kg.graphml    | entities and their relations for Gephi / networkx               |
| csv      | statistics.csv     | one row per figure: value, unit, period, place, source          |

Every file is deterministic: the same graph gives the same bytes. All of them are
written from the graph's sorted N-Triples (computed once per layer) through
Oxigraph's writers, or, for GraphML and CSV, from an Oxigraph store's indexes:
rdflib's serialisers and triple lookups took most of the build's time.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cached_property
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from .ontology import CBO, CBR, PREFIXES, RDF, RDFS
from .serialize import sorted_ntriples, store_of, turtle_from_ntriples

GRAPHS = {
    "ontology": "https://w3id.org/cbec-kg/graph/ontology",
    "facts": "https://w3id.org/cbec-kg/graph/facts",
    "inferred": "https://w3id.org/cbec-kg/graph/inferred",
}
FILES = {"turtle": "cbec-kg.ttl", "ntriples": "cbec-kg.nt", "jsonld": "cbec-kg.jsonld", "rdfxml": "cbec-kg.rdf",
         "trig": "cbec-kg.trig", "nquads": "cbec-kg.nq", "graphml": "cbec-kg.graphml", "csv": "statistics.csv"}
NT = pyoxigraph.RdfFormat.N_TRIPLES
RES = str(CBR)


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def _triples(data: bytes):
    return pyoxigraph.parse(data, format=NT)


def rdfxml_from_ntriples(data: bytes) -> bytes:
    return pyoxigraph.serialize(_triples(data), format=pyoxigraph.RdfFormat.RDF_XML, prefixes=_prefixes())




# --- JSON-LD ---------------------------------------------------------------------------------------------------

def _compact(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for prefix, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns):
            rest = iri[len(ns):]
            if "/" not in rest and "#" not in rest and not rest.startswith("_"):
                return f"{prefix}:{rest}"
    return iri


def jsonld_from_ntriples(data: bytes) -> bytes:
    """Compact JSON-LD with a prefix ``@context``: one node object per subject, in N-Triples order, values sorted.

    Written directly (rdflib's JSON-LD serialiser took 2 s for 10^4 triples): IRIs and datatypes are compacted
    with the prefixes, plain strings stay bare, language strings and typed values are value objects. Each node
    object is one line, so the C JSON encoder writes it (the indenting one is pure Python).
    """
    prefixes = sorted(_prefixes().items(), key=lambda kv: -len(kv[1]))
    rdf_type = str(RDF.type)
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    compacted: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = compacted.get(iri)
        if found is None:
            found = compacted[iri] = _compact(iri, prefixes)
        return found

    def node_id(term) -> str:
        return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else compact(term.value)

    nodes: dict[str, dict] = {}
    for t in _triples(data):
        node = nodes.setdefault(node_id(t.subject), {})
        o = t.object
        if isinstance(o, pyoxigraph.Literal):
            if o.language:
                value = {"@value": o.value, "@language": o.language}
            elif o.datatype.value == xsd_string:
                value = o.value
            else:
                value = {"@value": o.value, "@type": compact(o.datatype.value)}
        elif t.predicate.value == rdf_type:
            node.setdefault("@type", []).append(node_id(o))
            continue
        else:
            value = {"@id": node_id(o)}
        node.setdefault(compact(t.predicate.value), []).append(value)
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    lines = []
    for subject, node in nodes.items():
        out = {"@id": subject}
        for key, values in node.items():
            if len(values) == 1:
                out[key] = values[0]
            else:
                out[key] = sorted(values, key=dumps)
        lines.append(dumps(out))
    context = json.dumps(dict(sorted(_prefixes().items())), ensure_ascii=False, indent=1).replace("\n", "\n ")
    text = '{\n "@context": ' + context + ',\n "@graph": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    return text.encode("utf-8")




# --- named graphs ----------------------------------------------------------------------------------------------

def nquads_from_ntriples(layers: dict[str, bytes]) -> bytes:
    """N-Quads of ``{layer name: sorted N-Triples}``, each layer its own named graph (a graph name added to each line)."""
    out = []
    for name in sorted(layers):
        tail = f" <{GRAPHS[name]}> .".encode()
        out += [line[:-2] + tail for line in layers[name].splitlines() if line.endswith(b" .")]
    return b"\n".join(out) + b"\n" if out else b""


def dataset_from_ntriples(layers: dict[str, bytes], fmt) -> bytes:
    """TriG or N-Quads of ``{layer name: sorted N-Triples}``, each layer its own named graph."""
    nquads = nquads_from_ntriples(layers)
    if fmt == pyoxigraph.RdfFormat.N_QUADS:
        return nquads
    return pyoxigraph.serialize(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS), format=fmt, prefixes=_prefixes())


# --- GraphML and CSV, from an Oxigraph store's indexes ---------------------------------------------------------

class _Index:
    """Labels by (IRI, language), and the members of a class, from an Oxigraph store (IRIs as strings)."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        self.labels: dict[tuple[str, str], str] = {}
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDFS.label)), None, pyoxigraph.DefaultGraph()):
            if isinstance(q.object, pyoxigraph.Literal) and q.object.language:
                self.labels.setdefault((q.subject.value, q.object.language), q.object.value)

    def label(self, node: str | None, lang: str) -> str:
        return self.labels.get((node, lang), "") if node else ""

    def subjects_of(self, cls: str) -> list[str]:
        return sorted({q.subject.value for q in self.store.quads_for_pattern(
            None, pyoxigraph.NamedNode(str(RDF.type)), pyoxigraph.NamedNode(cls), pyoxigraph.DefaultGraph())
            if isinstance(q.subject, pyoxigraph.NamedNode)})


def graphml_from_store(store: pyoxigraph.Store) -> bytes:
    """Entities (not statistics or report parts) and the cbo: relations between them."""
    import networkx as nx

    index = _Index(store)
    cbo = str(CBO)
    hidden = {cbo + c for c in ("Statistic", "Section", "Table", "Figure", "Footnote", "Report", "Measure", "Unit")}
    hidden.add(str(RDF.Statement))
    types: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDF.type)), None, pyoxigraph.DefaultGraph()):
        if isinstance(q.subject, pyoxigraph.NamedNode) and q.subject.value.startswith(RES):
            types.setdefault(q.subject.value, set()).add(q.object.value)
    nodes = sorted(s for s, classes in types.items() if not classes & hidden)
    keep = set(nodes)
    g = nx.MultiDiGraph()
    for node in nodes:
        classes = sorted(c[len(cbo):] for c in types[node] if c.startswith(cbo))
        g.add_node(node[len(RES):], label=index.label(node, "zh"), label_en=index.label(node, "en"), cls=",".join(classes))
    edges = []
    for node in nodes:
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(node), None, None, pyoxigraph.DefaultGraph()):
            p, o = q.predicate.value, q.object
            if isinstance(o, pyoxigraph.NamedNode) and o.value in keep and p.startswith(cbo):
                edges.append((node, p, o.value))
    for s, p, o in sorted(edges):
        g.add_edge(s[len(RES):], o[len(RES):], key=p[len(cbo):], property=p[len(cbo):],
                   label=index.label(p, "zh"), label_en=index.label(p, "en"))
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


STAT_COLUMNS = ["id", "label_zh", "label_en", "measure", "measure_en", "about", "about_en", "value_as_printed", "value",
                "unit", "normalized_value", "base_unit", "period", "qualifier", "stated_in", "cites_source",
                "char_start", "char_end"]


def statistics_csv_from_store(store: pyoxigraph.Store) -> bytes:
    """One row per statistic, for spreadsheets (RFC 4180, UTF-8 with a byte-order mark for Excel).

    Each property is read once for all subjects (a pass over its index), not looked up statistic by statistic.
    """
    index = _Index(store)
    cbo = str(CBO)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STAT_COLUMNS)
    table: dict[str, dict[str, list[str]]] = {}
    for prop in ("unit", "baseUnit", "measure", "about", "printedValue", "value", "symbol", "normalizedValue", "period",
                 "qualifier", "statedIn", "citesSource", "charStart", "charEnd"):
        values: dict[str, list[str]] = {}
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(cbo + prop), None, pyoxigraph.DefaultGraph()):
            values.setdefault(q.subject.value, []).append(q.object.value)
        table[prop] = values

    def first(subject: str | None, prop: str) -> str:
        found = table[prop].get(subject) if subject else None
        return min(found) if found else ""

    def every(subject: str, prop: str) -> list[str]:
        return table[prop].get(subject, [])

    for stat in index.subjects_of(cbo + "Statistic"):
        unit = first(stat, "unit") or None
        base = first(unit, "baseUnit") or None
        measure = first(stat, "measure") or None
        about = every(stat, "about")
        writer.writerow([
            stat[len(RES):], index.label(stat, "zh"), index.label(stat, "en"),
            index.label(measure, "zh"), index.label(measure, "en"),
            "; ".join(sorted(index.label(a, "zh") for a in about)), "; ".join(sorted(index.label(a, "en") for a in about)),
            first(stat, "printedValue"), first(stat, "value"), first(unit, "symbol") or index.label(unit, "zh"),
            first(stat, "normalizedValue"), index.label(base or unit, "en"), first(stat, "period"),
            " ".join(sorted(every(stat, "qualifier"))),
            " ".join(sorted(v[len(RES):] for v in every(stat, "statedIn"))),
            " ".join(sorted(v[len(RES):] for v in every(stat, "citesSource"))),
            first(stat, "charStart"), first(stat, "charEnd")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- all of them -----------------------------------------------------------------------------------------------

class Exports:
    """The build's three layers, each serialised to sorted N-Triples once; every export is written from those."""

    def __init__(self, graph: Graph, ontology: Graph, inferred: Graph):
        self.graph, self.ontology, self.inferred = graph, ontology, inferred

    @cached_property
    def all(self) -> bytes:
        return sorted_ntriples(self.graph)

    @cached_property
    def ontology_nt(self) -> bytes:
        return sorted_ntriples(self.ontology)

    @cached_property
    def inferred_nt(self) -> bytes:
        return sorted_ntriples(self.inferred)

    @cached_property
    def facts_nt(self) -> bytes:
        ontology = set(self.ontology_nt.splitlines())
        return b"".join(line + b"\n" for line in self.all.splitlines() if line not in ontology)

    @cached_property
    def store(self) -> pyoxigraph.Store:
        return store_of(self.graph)

    def bytes(self, fmt: str) -> bytes:
        if fmt == "turtle":
            return turtle_from_ntriples(self.all)
        if fmt == "ntriples":
            return self.all
        if fmt == "jsonld":
            return jsonld_from_ntriples(self.all)
        if fmt == "rdfxml":
            return rdfxml_from_ntriples(self.all)
        if fmt in ("trig", "nquads"):
            layers = {"ontology": self.ontology_nt, "facts": self.facts_nt, "inferred": self.inferred_nt}
            return dataset_from_ntriples(layers, pyoxigraph.RdfFormat.TRIG if fmt == "trig" else pyoxigraph.RdfFormat.N_QUADS)
        if fmt == "graphml":
            return graphml_from_store(self.store)
        if fmt == "csv":
            return statistics_csv_from_store(self.store)
        raise ValueError(f"unknown export format '{fmt}': use one of {', '.join(FILES)}")


def export_bytes(fmt: str, graph: Graph, ontology: Graph, inferred: Graph) -> bytes:
    """The bytes of one export. ``graph`` holds ontology + facts, as built."""
    return Exports(graph, ontology, inferred).bytes(fmt)


def write_exports(exports: Exports, out: Path, formats=None) -> list[Path]:
    files = []
    for fmt in formats or FILES:
        path = out / FILES[fmt]
        path.write_bytes(exports.bytes(fmt))
        files.append(path)
    return files
