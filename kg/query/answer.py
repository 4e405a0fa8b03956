"""One answer to a query, whichever engine gave it, and ``write``, which prints it in any output format.

An ``Answer`` holds typed values: pyoxigraph terms (a literal keeps its datatype or language), in rows under
``vars`` for a SELECT, a ``boolean`` for an ASK, ``triples`` for a CONSTRUCT or DESCRIBE. Adapters make one:

* ``of_oxigraph`` / ``on_disk_store``: Oxigraph's own answer (the build's on-disk store, any pyoxigraph store);
* ``of_results`` / ``of_graph``: an endpoint's SPARQL results document (JSON or XML) or graph (N-Triples, Turtle,
  …), read by pyoxigraph;
* ``kg.query.sources.of_rdflib``: rdflib's answer, the reference engine of the differential tests (in the module
  that loads rdflib, so that answering from the store loads none); ``kg.query.sources.ask`` asks any store or
  graph through the right adapter.

``write`` prints an answer as a table (numbers canonical, IRIs prefixed), or through the one writer of each
format (``kg.query.results``): rows and yes/no as SPARQL 1.1 results CSV, TSV, JSON or XML, a graph as Turtle,
N-Triples, JSON-LD or RDF/XML. ``display_rows`` gives a SELECT's rows as dicts of the table's strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph

from kg.model.numbers import decimal_text
from kg.names import PREFIX_IRIS
from kg.query.results import GRAPH_FORMATS, serialize_boolean, serialize_graph, serialize_rows
from kg.query.tables import table_text
from kg.rdfio.disk import open_disk_store

XSD = PREFIX_IRIS["xsd"]
NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "int", "long")}
ROW_FORMATS = ("table", "csv", "tsv", "json", "xml")
FORMS = {"SELECT": "rows", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
RESULTS_FORMATS = {"json": pyoxigraph.QueryResultsFormat.JSON, "xml": pyoxigraph.QueryResultsFormat.XML}


@dataclass
class Answer:
    """A query's answer: ``form`` is "rows" (SELECT: ``vars`` and ``rows`` of terms, None where unbound),
    "boolean" (ASK) or "graph" (CONSTRUCT, DESCRIBE: ``triples``)."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)      # of terms (no ``typing`` here: 4 ms of every query's start)
    boolean: bool = False
    triples: list[pyoxigraph.Triple] = field(default_factory=list)
    dropped: int = 0        # rows or triples past a limit, left out (counted, not kept)

    def bindings(self) -> list[dict]:
        """Each row as a dict of variable name -> term (None where the variable is unbound)."""
        return [dict(zip(self.vars, row)) for row in self.rows]


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
                answer.rows.append(list(solution))      # in the order of ``names``: by name costs 7 us a cell
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
    return of_oxigraph(open_disk_store(folder).query(text, use_default_graph_as_union=True))


def of_results(data: bytes, fmt: str | pyoxigraph.QueryResultsFormat = "json") -> Answer:
    """A SPARQL 1.1 results document (``fmt`` json, xml or a pyoxigraph results format) as an ``Answer``."""
    chosen = fmt if isinstance(fmt, pyoxigraph.QueryResultsFormat) else RESULTS_FORMATS[fmt]
    return of_oxigraph(pyoxigraph.parse_query_results(data, format=chosen))


def of_graph(data: bytes, fmt: pyoxigraph.RdfFormat) -> Answer:
    """A serialised graph (a CONSTRUCT or DESCRIBE answer in N-Triples, Turtle, …) as an ``Answer``."""
    return Answer("graph", triples=[quad.triple for quad in pyoxigraph.parse(data, format=fmt)])


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


def form_of(query_form: str) -> str:
    """The form of the answer (rows, boolean, graph) of a query of ``query_form`` (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    return FORMS[query_form]


def check_format(form: str, fmt: str) -> None:
    """Raise ValueError, naming the formats there are, if an answer of ``form`` cannot be written in ``fmt``."""
    if form == "boolean" and fmt not in ("table", "json", "xml"):
        raise ValueError("an ASK query gives yes or no: use --format table, json or xml")
    if form == "rows" and fmt not in ROW_FORMATS:
        raise ValueError("a SELECT query gives rows: use --format table, csv, tsv, json or xml")
    if form == "graph" and fmt != "table" and fmt not in GRAPH_FORMATS:
        raise ValueError("a CONSTRUCT or DESCRIBE query gives a graph: use --format turtle, json-ld or xml")


def write(answer: Answer, fmt: str) -> str:
    """``answer`` in ``fmt``: table, csv, tsv, json or xml for rows and yes/no; turtle, ntriples, json-ld or xml for
    a graph (a table of a graph is its Turtle)."""
    check_format(answer.form, fmt)
    if fmt == "table" and answer.form != "graph":
        if answer.form == "boolean":
            return "yes" if answer.boolean else "no"
        return table_text(answer.vars, [[cell(t) for t in row] for row in answer.rows])
    if answer.form == "boolean":
        return serialize_boolean(answer.boolean, fmt).decode("utf-8")
    if answer.form == "rows":
        return serialize_rows(answer.vars, answer.rows, fmt, None).decode("utf-8")
    return serialize_graph(answer.triples, "turtle" if fmt == "table" else fmt).decode("utf-8")
