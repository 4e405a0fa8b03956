"""The one writer of each result format, for every engine and every caller (``kg.query.answer.write``, the
endpoint's workers in ``kg.query.engine``).

* rows (SELECT) in SPARQL 1.1 results JSON, XML, CSV or TSV (``serialize_rows``), a truncation stated where the
  format allows; yes or no (ASK) in JSON or XML (``serialize_boolean``);
* a graph (CONSTRUCT, DESCRIBE) in Turtle, N-Triples, JSON-LD or RDF/XML (``serialize_graph``): its blank nodes
  named canonically (RDFC-1.0) and its triples sorted, so that the same graph prints the same bytes whichever
  engine built it and whatever it called its blank nodes; Turtle and RDF/XML with the project's prefixes.

The values are pyoxigraph terms (None where a variable is unbound).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph

from kg.names import PREFIX_IRIS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                 "json-ld": pyoxigraph.RdfFormat.JSON_LD, "xml": pyoxigraph.RdfFormat.RDF_XML}
PREFIXED = ("turtle", "xml")    # the formats that write prefixes (JSON-LD stays expanded: no context to resolve)


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """XML character data: ``xml.sax.saxutils.escape``'s rules (that module imports urllib.request: 0.1 s)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for char, entity in (entities or {}).items():
        text = text.replace(char, entity)
    return text


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as ``xml.sax.saxutils.quoteattr`` writes it."""
    text = escape(text, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def _term_json(term) -> dict:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _term_xml(term) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _tsv_cell(term) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n")


def serialize_rows(variables: list[str], rows: list[list], fmt: str, truncated: int | None) -> bytes:
    """SPARQL 1.1 results in JSON, XML, CSV or TSV; a truncation is stated where the format allows."""
    if fmt == "json":
        doc: dict = {"head": {"vars": variables},
                     "results": {"bindings": [{v: _term_json(t) for v, t in zip(variables, row) if t is not None}
                                              for row in rows]}}
        if truncated is not None:
            doc["head"]["link"] = [f"urn:cbec-kg:truncated:{truncated}"]
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        if truncated is not None:
            out.append(f'<link href="urn:cbec-kg:truncated:{truncated}"/>')
        out += ["</head>", "<results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)] + [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)] + ["\t".join(_tsv_cell(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in SPARQL 1.1 results JSON or XML (CSV and TSV have no form for it)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>").encode()
    raise ValueError("an ASK query gives yes or no: use --format table, json or xml")


def serialize_graph(triples: Iterable[pyoxigraph.Triple], fmt: str) -> bytes:
    """A graph in ``fmt`` (a key of ``GRAPH_FORMATS``), its triples in ``canonical`` order and naming."""
    prefixes = dict(sorted(PREFIX_IRIS.items())) if fmt in PREFIXED else None
    return pyoxigraph.serialize(canonical(triples), format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b""


def canonical(triples: Iterable[pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """The distinct triples, blank nodes renamed by RDFC-1.0 (one engine's ``_:b0`` is another's ``_:N7f…``), sorted
    as N-Triples lines; a graph without blank nodes skips the renaming (it would hash every term)."""
    distinct = set(triples)
    if any(isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode) for t in distinct):
        dataset = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in distinct)
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        distinct = {quad.triple for quad in dataset}
    return sorted(distinct, key=str)
