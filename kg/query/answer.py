"""One answer to a query, whichever engine gave it, and the one writer of each output format.

An ``Answer`` holds typed values: pyoxigraph terms (a literal keeps its datatype or language), in rows under
``vars`` for a SELECT, a ``boolean`` for an ASK, ``triples`` for a CONSTRUCT or DESCRIBE. Adapters make one:

* ``of_oxigraph`` / ``on_disk_store``: Oxigraph's own answer (the build's on-disk store, any pyoxigraph store);
* ``of_results``: an endpoint's SPARQL results document (JSON or XML), read by pyoxigraph;
* ``kg.query.saved.of_rdflib``: rdflib's answer, the reference engine of the differential tests (in the module
  that loads rdflib, so that answering from the store loads none).

``write`` prints an answer as a table (numbers canonical, IRIs prefixed), CSV, TSV, JSON or XML (the SPARQL 1.1
results writers of ``kg.query.engine``), or a graph as Turtle, JSON-LD or RDF/XML; ``display_rows`` gives its
rows as dicts of the table's strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph

from kg.model.numbers import decimal_text
from kg.names import PREFIX_IRIS
from kg.query.engine import serialize_boolean, serialize_rows
from kg.query.tables import table_text

XSD = PREFIX_IRIS["xsd"]
NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "int", "long")}
ROW_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "json-ld": pyoxigraph.RdfFormat.JSON_LD,
                 "xml": pyoxigraph.RdfFormat.RDF_XML}
RESULTS_FORMATS = {"json": pyoxigraph.QueryResultsFormat.JSON, "xml": pyoxigraph.QueryResultsFormat.XML}


@dataclass
class Answer:
    """A query's answer: ``form`` is "rows" (SELECT: ``vars`` and ``rows`` of terms, None where unbound),
    "boolean" (ASK) or "graph" (CONSTRUCT, DESCRIBE: ``triples``)."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool = False
    triples: list[Any] = field(default_factory=list)
    dropped: int = 0        # rows or triples past a limit, left out (counted, not kept)


def of_oxigraph(result, limit: int | None = None) -> Answer:
    """Oxigraph's answer (solutions, a boolean or triples) as an ``Answer``, keeping at most ``limit`` rows or
    triples (all without one)."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer("boolean", boolean=bool(result))
    if isinstance(result, pyoxigraph.QuerySolutions):
        names = [v.value for v in result.variables]
        answer = Answer("rows", names)
        for solution in result:
            if limit is None or len(answer.rows) < limit:
                answer.rows.append([solution[v] for v in names])
            else:
                answer.dropped += 1
        return answer
    answer = Answer("graph")
    for triple in result:
        if limit is None or len(answer.triples) < limit:
            answer.triples.append(triple)
        else:
            answer.dropped += 1
    return answer


def on_disk_store(folder: Path, text: str) -> Answer:
    """The answer of ``text`` (a prepared query) on the build's on-disk store at ``folder``, its asserted and
    inferred graphs taken as one."""
    from kg.rdfio.disk import open_disk_store

    return of_oxigraph(open_disk_store(folder).query(text, use_default_graph_as_union=True))


def of_results(data: bytes, fmt: str = "json") -> Answer:
    """An endpoint's SPARQL 1.1 results document (``fmt`` json or xml) as an ``Answer``."""
    return of_oxigraph(pyoxigraph.parse_query_results(data, format=RESULTS_FORMATS[fmt]))


def cell(term) -> str:
    """A result term as a person reads it: numbers canonical, IRIs prefixed, nothing for an unbound value."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Literal):
        if term.datatype.value in NUMERIC:
            try:
                return decimal_text(Decimal(term.value))
            except InvalidOperation:
                return term.value
        return term.value
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, ns in PREFIX_IRIS.items():
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
    return term.value


def display_rows(answer: Answer) -> list[dict[str, str]]:
    """A SELECT answer's rows as dicts of display strings (``cell``), in the answer's order."""
    return [{n: cell(t) for n, t in zip(answer.vars, row)} for row in answer.rows]


def write(answer: Answer, fmt: str) -> str:
    """``answer`` in ``fmt``: table, csv, tsv, json or xml for rows and yes/no; turtle, json-ld or xml for a graph
    (a table of a graph is its Turtle)."""
    if answer.form == "boolean":
        return ("yes" if answer.boolean else "no") if fmt == "table" else serialize_boolean(answer.boolean, fmt).decode("utf-8")
    if answer.form == "rows":
        if fmt not in ROW_FORMATS:
            raise ValueError("a SELECT query gives rows: use --format table, csv, tsv, json or xml")
        if fmt == "table":
            return table_text(answer.vars, [[cell(t) for t in row] for row in answer.rows])
        return serialize_rows(answer.vars, answer.rows, fmt, None).decode("utf-8")
    fmt = "turtle" if fmt == "table" else fmt
    if fmt not in GRAPH_FORMATS:
        raise ValueError("a CONSTRUCT query gives a graph: use --format turtle or json-ld")
    prefixes = dict(sorted(PREFIX_IRIS.items())) if fmt == "turtle" else None
    return (pyoxigraph.serialize(answer.triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b"").decode("utf-8")
