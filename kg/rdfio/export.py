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
written from the graph's sorted N-Triples (computed once per layer): Turtle and
RDF/XML by Oxigraph's writers (the Turtle of each layer once: ``cbec-kg.ttl`` is
the ontology's then the facts', TriG puts each in its graph's braces), JSON-LD
and N-Quads from the lines' text; GraphML and CSV from an Oxigraph store's
indexes. rdflib's serialisers and triple lookups took most of the build's time.
"""

from __future__ import annotations

import builtins
import csv
import io
import json
from functools import cached_property
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from kg.model.ontology import CBO, CBR, RDF, RDFS
from kg.names import GRAPH_FILE, GRAPHS, NOT_ENTITIES, NTRIPLES_FILE
from kg.rdfio.disk import load_ntriples
from kg.rdfio.serialize import prefix_map, sorted_lines, sorted_ntriples, store_of, turtle_from_ntriples

FILES = {"turtle": GRAPH_FILE, "ntriples": NTRIPLES_FILE, "jsonld": "cbec-kg.jsonld", "rdfxml": "cbec-kg.rdf",
         "trig": "cbec-kg.trig", "nquads": "cbec-kg.nq", "graphml": "cbec-kg.graphml", "csv": "statistics.csv"}
NT = pyoxigraph.RdfFormat.N_TRIPLES
RES = str(CBR)


def _triples(data: bytes):
    return pyoxigraph.parse(data, format=NT)


def rdfxml_from_ntriples(data: bytes) -> bytes:
    return pyoxigraph.serialize(_triples(data), format=pyoxigraph.RdfFormat.RDF_XML, prefixes=prefix_map()) or b""


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

    Written from the text of sorted N-Triples (Oxigraph's canonical form), whose lines come grouped by subject:
    IRIs and datatypes are compacted with the prefixes, plain strings stay bare, language strings and typed
    values are value objects, each node object is one line. A literal's N-Triples escapes (``\\"``, ``\\\\``,
    ``\\n``, ``\\r``, ``\\t``, ``\\b``, ``\\f``, ``\\uXXXX``; everything else as UTF-8) are JSON's too, so its
    quoted text is copied as it is: no term is parsed into objects (rdflib's serialiser took 2 s for 10^4
    triples; parsing with Oxigraph and encoding with ``json``, 9 s for 10^6; this, 3.5 s).
    """
    prefixes = sorted(prefix_map().items(), key=lambda kv: -len(kv[1]))
    rdf_type, xsd_string = f"<{RDF.type}>", "^^<http://www.w3.org/2001/XMLSchema#string>"
    compacted: dict[str, str] = {}

    def compact(term: str) -> str:
        """``<iri>`` or ``_:label`` -> the JSON string of its compact form."""
        found = compacted.get(term)
        if found is None:
            found = compacted[term] = '"' + (term if term[0] == "_" else _compact(term[1:-1], prefixes)) + '"'
        return found

    nodes: list[str] = []
    subject: str | None = None
    node: dict[str, list[str]] = {}

    def close() -> None:
        parts = ['"@id": ' + compact(subject or "")]
        for key in sorted(node):
            values = node[key]
            parts.append(f"{key}: {values[0] if len(values) == 1 else '[' + ', '.join(sorted(values)) + ']'}")
        nodes.append("{" + ", ".join(parts) + "}")

    for line in data.decode("utf-8").split("\n"):
        if not line:
            continue
        s, p, o = line[:-2].split(" ", 2)
        if s != subject:
            if subject is not None:
                close()
            subject, node = s, {}
        if p == rdf_type:
            node.setdefault('"@type"', []).append(compact(o))
            continue
        if o[0] == '"':
            end = o.rindex('"') + 1
            text, tail = o[:end], o[end:]
            if not tail or tail == xsd_string:
                value = text
            elif tail[0] == "@":
                value = '{"@language": "' + tail[1:] + '", "@value": ' + text + "}"
            else:
                value = '{"@type": ' + compact(tail[2:]) + ', "@value": ' + text + "}"
        else:
            value = '{"@id": ' + compact(o) + "}"
        node.setdefault(compact(p), []).append(value)
    if subject is not None:
        close()
    context = json.dumps(dict(sorted(prefix_map().items())), ensure_ascii=False, indent=1).replace("\n", "\n ")
    text = '{\n "@context": ' + context + ',\n "@graph": [\n' + ",\n".join(nodes) + "\n ]\n}\n"
    return text.encode("utf-8")


# --- named graphs ----------------------------------------------------------------------------------------------

def nquads_from_ntriples(layers: dict[str, bytes]) -> bytes:
    """N-Quads of ``{layer name: sorted N-Triples}``, each layer its own named graph (a graph name added to each line).

    A line of N-Triples ends with " ." and a newline, and nothing inside a line can (a literal's newlines are
    escaped), so one replacement per layer puts the graph name in.
    """
    out = []
    for name in sorted(layers):
        data = layers[name]
        if data and not data.endswith(b"\n"):
            data += b"\n"
        out.append(data.replace(b" .\n", f" <{GRAPHS[name]}> .\n".encode()))
    return b"".join(out)


# --- GraphML and CSV, from an Oxigraph store's indexes ---------------------------------------------------------

class LabelIndex:
    """Labels by (IRI, language), and the members of a class, from an Oxigraph store (IRIs as strings)."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        self.labels: dict[tuple[str, str], str] = {}
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDFS.label)), None, pyoxigraph.DefaultGraph()):
            if isinstance(q.object, pyoxigraph.Literal) and q.object.language:
                self.labels.setdefault((q.subject.value, q.object.language), q.object.value)  # type: ignore[union-attr]

    def label(self, node: str | None, lang: str) -> str:
        return self.labels.get((node, lang), "") if node else ""

    def subjects_of(self, cls: str) -> list[str]:
        return sorted({q.subject.value for q in self.store.quads_for_pattern(
            None, pyoxigraph.NamedNode(str(RDF.type)), pyoxigraph.NamedNode(cls), pyoxigraph.DefaultGraph())
            if isinstance(q.subject, pyoxigraph.NamedNode)})


def graphml_from_store(store: pyoxigraph.Store, index: LabelIndex | None = None) -> bytes:
    """Entities (not statistics or report parts) and the cbo: relations between them."""
    import networkx as nx  # lazy: 0.26 s to import, and only the GraphML export needs it

    index = index or LabelIndex(store)
    cbo = str(CBO)
    hidden = {cbo + c for c in NOT_ENTITIES}
    hidden.add(str(RDF.Statement))
    types: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDF.type)), None, pyoxigraph.DefaultGraph()):
        if isinstance(q.subject, pyoxigraph.NamedNode) and q.subject.value.startswith(RES):
            types.setdefault(q.subject.value, set()).add(q.object.value)  # type: ignore[union-attr]
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
    for source, prop, target in sorted(edges):
        g.add_edge(source[len(RES):], target[len(RES):], key=prop[len(cbo):], property=prop[len(cbo):],
                   label=index.label(prop, "zh"), label_en=index.label(prop, "en"))
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


STAT_COLUMNS = ["id", "label_zh", "label_en", "measure", "measure_en", "about", "about_en", "value_as_printed", "value",
                "unit", "normalized_value", "base_unit", "period", "qualifier", "stated_in", "cites_source",
                "char_start", "char_end"]


STAT_PROPERTIES = ("unit", "baseUnit", "measure", "about", "printedValue", "value", "symbol", "normalizedValue", "period",
                   "qualifier", "statedIn", "citesSource", "charStart", "charEnd")


def statistic_values(store: pyoxigraph.Store, props=STAT_PROPERTIES) -> dict[str, dict[str, list[str]]]:
    """For each cbo: property in ``props``, its values (as strings) by subject IRI: one pass over its index."""
    table: dict[str, dict[str, list[str]]] = {}
    for prop in props:
        values: dict[str, list[str]] = {}
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(CBO) + prop), None, pyoxigraph.DefaultGraph()):
            values.setdefault(q.subject.value, []).append(q.object.value)  # type: ignore[union-attr]
        table[prop] = values
    return table


def statistics_csv_from_store(store: pyoxigraph.Store, index: LabelIndex | None = None) -> bytes:
    """One row per statistic, for spreadsheets: ``dist/statistics.csv``."""
    return statistics_csv(statistic_rows(store, index))


def statistics_csv(rows: list[list[str]]) -> bytes:
    """:data:`STAT_COLUMNS` and ``rows`` as CSV (RFC 4180, UTF-8 with a byte-order mark for Excel)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([STAT_COLUMNS, *rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def statistic_rows(store: pyoxigraph.Store, index: LabelIndex | None = None) -> list[list[str]]:
    """One row (the :data:`STAT_COLUMNS`) per statistic, in IRI order.

    Each property is read once for all subjects (a pass over its index), not looked up statistic by statistic.
    """
    index = index or LabelIndex(store)
    cbo = str(CBO)
    table = statistic_values(store)
    first = {prop: {s: v[0] if len(v) == 1 else min(v) for s, v in values.items()} for prop, values in table.items()}
    label, cut = index.label, len(RES)
    unit_of, base_of, measure_of, symbol_of = first["unit"], first["baseUnit"], first["measure"], first["symbol"]
    printed_of, value_of, normalized_of, period_of = first["printedValue"], first["value"], first["normalizedValue"], first["period"]
    start_of, end_of = first["charStart"], first["charEnd"]
    about_of, qualifiers_of, places_of, sources_of = table["about"], table["qualifier"], table["statedIn"], table["citesSource"]
    rows = []
    for stat in index.subjects_of(cbo + "Statistic"):
        unit = unit_of.get(stat)
        base = base_of.get(unit) if unit else None
        measure = measure_of.get(stat)
        about = about_of.get(stat, ())
        rows.append([
            stat[cut:], label(stat, "zh"), label(stat, "en"), label(measure, "zh"), label(measure, "en"),
            "; ".join(sorted(label(a, "zh") for a in about)), "; ".join(sorted(label(a, "en") for a in about)),
            printed_of.get(stat, ""), value_of.get(stat, ""), (symbol_of.get(unit) if unit else None) or label(unit, "zh"),
            normalized_of.get(stat, ""), label(base or unit, "en"), period_of.get(stat, ""),
            " ".join(sorted(qualifiers_of.get(stat, ()))),
            " ".join(sorted(v[cut:] for v in places_of.get(stat, ()))),
            " ".join(sorted(v[cut:] for v in sources_of.get(stat, ()))),
            start_of.get(stat, ""), end_of.get(stat, "")])
    return rows


# --- all of them -----------------------------------------------------------------------------------------------

def without_lines(data: bytes, remove: bytes) -> bytes:
    """The sorted lines of ``data`` less those of ``remove`` (also sorted): one pass through ``data``, finding each
    line to remove after the one before (the ontology's thousand lines in the graph's million)."""
    out, start = [], 0
    text = b"\n" + data
    for line in remove.splitlines():
        at = text.find(b"\n" + line + b"\n", start)
        if at < 0:
            continue
        out.append(text[start + 1:at + 1])
        start = at + len(line) + 1
    out.append(text[start + 1:])
    return b"".join(out)


class Exports:
    """The build's three layers, each serialised to sorted N-Triples once; every export is written from those.

    ``inferred`` is a graph of the inferred triples; without it they are inferred here, when first needed.
    """

    def __init__(self, graph: Graph, ontology: Graph, inferred: Graph | None = None):
        self.graph, self.ontology, self.inferred = graph, ontology, inferred
        self._turtle: dict[str, bytes] = {}

    @classmethod
    def of_files(cls, graph: Path, ontology: Path, inferred: Path) -> Exports:
        """The exports of a build, from its Turtle files (ontology + facts, the ontology, the inferences) read by
        Oxigraph's parser: it keeps the files' blank-node labels, so the bytes are the build's own (rdflib's
        parser gave new labels on each read, and took 1.5 s for the three)."""
        exports = cls(Graph(), Graph(), Graph())
        layers = {"all": graph, "ontology_nt": ontology, "inferred_nt": inferred}
        for name, path in layers.items():
            exports.__dict__[name] = turtle_file_ntriples(path)   # the cached properties, filled from the files
        store = exports.__dict__["store"] = pyoxigraph.Store()
        load_ntriples(store, exports.all)
        return exports

    @cached_property
    def all(self) -> bytes:
        return sorted_ntriples(self.graph)

    @cached_property
    def ontology_nt(self) -> bytes:
        return sorted_ntriples(self.ontology)

    @cached_property
    def inferred_nt(self) -> bytes:
        if self.inferred is None:
            from kg.checks.reason import inferred_ntriples  # lazy: a back-edge (docs/architecture.md), used only without inferences

            return inferred_ntriples(self.graph, self.ontology)
        return sorted_ntriples(self.inferred)

    @cached_property
    def facts_nt(self) -> bytes:
        return without_lines(self.all, self.ontology_nt)

    @cached_property
    def store(self) -> pyoxigraph.Store:
        return store_of(self.graph)

    @cached_property
    def index(self) -> LabelIndex:
        """Labels and class members, shared by the GraphML and CSV writers."""
        return LabelIndex(self.store)

    def layer(self, name: str) -> bytes:
        return getattr(self, {"ontology": "ontology_nt", "facts": "facts_nt", "inferred": "inferred_nt"}[name])

    def turtle_body(self, name: str) -> tuple[bytes, bytes]:
        """(prefix lines, triples) of a layer in Turtle, each layer written once."""
        if name not in self._turtle:
            self._turtle[name] = turtle_from_ntriples(self.layer(name))
        text = self._turtle[name]
        end = 0
        while text.startswith(b"@prefix ", end):
            end = text.index(b"\n", end) + 1
        return text[:end], text[end:]

    def bytes(self, fmt: str) -> bytes:
        if fmt == "turtle":
            # The ontology's triples, then the facts' (each subject belongs to one of them): one Turtle document.
            head, ontology = self.turtle_body("ontology")
            return head + ontology + self.turtle_body("facts")[1]
        if fmt == "ntriples":
            return self.all
        if fmt == "jsonld":
            return jsonld_from_ntriples(self.all)
        if fmt == "rdfxml":
            return rdfxml_from_ntriples(self.all)
        if fmt == "nquads":
            return self.nquads
        if fmt == "trig":
            # Each layer's Turtle inside its graph's braces (TriG is Turtle with graph blocks).
            out = [self.turtle_body("ontology")[0]]
            for name in sorted(GRAPHS):
                out += [f"<{GRAPHS[name]}> {{\n".encode(), self.turtle_body(name)[1], b"}\n"]
            return b"".join(out)
        if fmt == "graphml":
            return graphml_from_store(self.store, self.index)
        if fmt == "csv":
            return statistics_csv_from_store(self.store, self.index)
        raise ValueError(f"unknown export format '{fmt}': use one of {', '.join(FILES)}")

    @cached_property
    def nquads(self) -> builtins.bytes:
        return nquads_from_ntriples({name: self.layer(name) for name in GRAPHS})


def turtle_file_ntriples(path: Path) -> bytes:
    """A Turtle file as sorted N-Triples, its blank-node labels kept."""
    quads = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return sorted_lines(pyoxigraph.serialize(quads, format=NT) or b"")


def write_exports(exports: Exports, out: Path, formats=None) -> list[Path]:
    files = []
    for fmt in formats or FILES:
        path = out / FILES[fmt]
        path.write_bytes(exports.bytes(fmt))
        files.append(path)
    return files
