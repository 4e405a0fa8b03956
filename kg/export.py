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

Every file is deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph
from rdflib import RDF, RDFS, Graph

from .ontology import CBO, CBR, PREFIXES, local
from .serialize import sorted_copy, sorted_ntriples, triple_key, turtle_bytes

GRAPHS = {
    "ontology": "https://w3id.org/cbec-kg/graph/ontology",
    "facts": "https://w3id.org/cbec-kg/graph/facts",
    "inferred": "https://w3id.org/cbec-kg/graph/inferred",
}
FILES = {"turtle": "cbec-kg.ttl", "ntriples": "cbec-kg.nt", "jsonld": "cbec-kg.jsonld", "rdfxml": "cbec-kg.rdf",
         "trig": "cbec-kg.trig", "nquads": "cbec-kg.nq", "graphml": "cbec-kg.graphml", "csv": "statistics.csv"}


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def jsonld_bytes(graph: Graph) -> bytes:
    """Compact JSON-LD; nodes sorted by @id and values sorted, so the bytes do not depend on set order."""
    doc = json.loads(sorted_copy(graph).serialize(format="json-ld", context=_prefixes(), auto_compact=True))
    nodes = doc.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    doc["@graph"] = sorted(nodes, key=lambda n: json.dumps(n.get("@id", ""), ensure_ascii=False))
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def rdfxml_bytes(graph: Graph) -> bytes:
    """RDF/XML through Oxigraph's writer, fed sorted triples."""
    triples = pyoxigraph.parse(sorted_ntriples(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=_prefixes())


def quads(layers: dict[str, Graph]) -> list:
    out = []
    for name in sorted(layers):
        g = pyoxigraph.NamedNode(GRAPHS[name])
        for t in pyoxigraph.parse(sorted_ntriples(layers[name]), format=pyoxigraph.RdfFormat.N_TRIPLES):
            out.append(pyoxigraph.Quad(t.subject, t.predicate, t.object, g))
    return out


def dataset_bytes(layers: dict[str, Graph], fmt) -> bytes:
    return pyoxigraph.serialize(quads(layers), format=fmt, prefixes=_prefixes()
                                if fmt == pyoxigraph.RdfFormat.TRIG else None)


def _label(graph: Graph, node, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if value.language == lang:
            return str(value)
    return ""


def graphml_bytes(graph: Graph) -> bytes:
    """Entities (not statistics or report parts) and the cbo: relations between them."""
    import networkx as nx

    hidden = {CBO[c] for c in ("Statistic", "Section", "Table", "Figure", "Footnote", "Report", "Measure", "Unit")}
    nodes = sorted({s for s in graph.subjects(RDF.type) if str(s).startswith(str(CBR))
                    and not set(graph.objects(s, RDF.type)) & (hidden | {RDF.Statement})}, key=str)
    keep = set(nodes)
    g = nx.MultiDiGraph()
    for node in nodes:
        classes = sorted(filter(None, (local(c) for c in graph.objects(node, RDF.type))))
        g.add_node(str(node)[len(str(CBR)):], label=_label(graph, node, "zh"), label_en=_label(graph, node, "en"),
                   cls=",".join(classes))
    for s, p, o in sorted(graph, key=triple_key):
        if s in keep and o in keep and local(p):
            g.add_edge(str(s)[len(str(CBR)):], str(o)[len(str(CBR)):], key=local(p), property=local(p),
                       label=_label(graph, p, "zh"), label_en=_label(graph, p, "en"))
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


STAT_COLUMNS = ["id", "label_zh", "label_en", "measure", "measure_en", "about", "about_en", "value_as_printed", "value",
                "unit", "normalized_value", "base_unit", "period", "qualifier", "stated_in", "cites_source",
                "char_start", "char_end"]


def statistics_csv(graph: Graph) -> bytes:
    """One row per statistic, for spreadsheets (RFC 4180, UTF-8 with a byte-order mark for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STAT_COLUMNS)

    def ids(nodes) -> str:
        return " ".join(sorted(str(n)[len(str(CBR)):] for n in nodes))

    def labels(nodes, lang) -> str:
        return "; ".join(sorted(_label(graph, n, lang) for n in nodes))

    for stat in sorted(graph.subjects(RDF.type, CBO.Statistic), key=str):
        unit = graph.value(stat, CBO.unit)
        base = graph.value(unit, CBO.baseUnit) if unit is not None else None
        about = list(graph.objects(stat, CBO.about))

        def value(prop, stat=stat) -> str:
            found = graph.value(stat, prop)
            return "" if found is None else str(found)
        writer.writerow([
            str(stat)[len(str(CBR)):], _label(graph, stat, "zh"), _label(graph, stat, "en"),
            _label(graph, graph.value(stat, CBO.measure), "zh"), _label(graph, graph.value(stat, CBO.measure), "en"),
            labels(about, "zh"), labels(about, "en"), value(CBO.printedValue), value(CBO.value),
            str(graph.value(unit, CBO.symbol) or _label(graph, unit, "zh")), value(CBO.normalizedValue),
            _label(graph, base if base is not None else unit, "en"), value(CBO.period),
            " ".join(sorted(str(q) for q in graph.objects(stat, CBO.qualifier))),
            ids(graph.objects(stat, CBO.statedIn)), ids(graph.objects(stat, CBO.citesSource)),
            value(CBO.charStart), value(CBO.charEnd)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_bytes(fmt: str, graph: Graph, ontology: Graph, inferred: Graph) -> bytes:
    """The bytes of one export. ``graph`` holds ontology + facts, as built."""
    if fmt == "turtle":
        return turtle_bytes(graph)
    if fmt == "ntriples":
        return sorted_ntriples(graph)
    if fmt == "jsonld":
        return jsonld_bytes(graph)
    if fmt == "rdfxml":
        return rdfxml_bytes(graph)
    if fmt in ("trig", "nquads"):
        facts = Graph()
        for triple in graph:
            if triple not in ontology:
                facts.add(triple)
        layers = {"ontology": ontology, "facts": facts, "inferred": inferred}
        return dataset_bytes(layers, pyoxigraph.RdfFormat.TRIG if fmt == "trig" else pyoxigraph.RdfFormat.N_QUADS)
    if fmt == "graphml":
        return graphml_bytes(graph)
    if fmt == "csv":
        return statistics_csv(graph)
    raise ValueError(f"unknown export format '{fmt}': use one of {', '.join(FILES)}")


def write_exports(graph: Graph, ontology: Graph, inferred: Graph, out: Path, formats=None) -> list[Path]:
    files = []
    for fmt in formats or FILES:
        path = out / FILES[fmt]
        path.write_bytes(export_bytes(fmt, graph, ontology, inferred))
        files.append(path)
    return files

