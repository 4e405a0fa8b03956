"""``cbec-kg query`` on the build's on-disk store: Oxigraph's engine, no other RDF library loaded.

The store (``dist/store``, see ``kg.rdfio.disk``) holds the asserted triples in
its default graph and the inferences in a graph of their own; a query sees both,
as it does through ``kg.query.saved.open_graph``. Rows print as ``kg.query.saved``
prints them (numbers canonical, IRIs prefixed); the SPARQL results formats are
the endpoint's writers (``kg.query.engine.serialize_rows``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph

from kg.model.numbers import decimal_text
from kg.names import PREFIX_IRIS
from kg.query.engine import serialize_boolean, serialize_rows
from kg.query.tables import table_text
from kg.rdfio.disk import open_disk_store

XSD = PREFIX_IRIS["xsd"]
NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "int", "long")}
ROW_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "json-ld": pyoxigraph.RdfFormat.JSON_LD,
                 "xml": pyoxigraph.RdfFormat.RDF_XML}


def run_on_store(folder: Path, text: str):
    """The answer of ``text`` (a prepared query) on the on-disk store at ``folder``, its graphs taken as one."""
    return open_disk_store(folder).query(text, use_default_graph_as_union=True)


def cell(term) -> str:
    """A result term as a person reads it: numbers canonical, IRIs prefixed (as ``kg.query.saved.cell``)."""
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


def render(result, fmt: str) -> str:
    """A pyoxigraph answer in ``fmt``: table, csv, tsv, json or xml for rows and yes/no; turtle, json-ld or xml for
    graphs (a table of a graph is its Turtle)."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        return ("yes" if result else "no") if fmt == "table" else serialize_boolean(bool(result), fmt).decode("utf-8")
    if isinstance(result, pyoxigraph.QuerySolutions):
        if fmt not in ROW_FORMATS:
            raise ValueError("a SELECT query gives rows: use --format table, csv, tsv, json or xml")
        names = [v.value for v in result.variables]
        rows = [[solution[v] for v in names] for solution in result]
        if fmt == "table":
            return table_text(names, [[cell(t) for t in row] for row in rows])
        return serialize_rows(names, rows, fmt, None).decode("utf-8")
    fmt = "turtle" if fmt == "table" else fmt
    if fmt not in GRAPH_FORMATS:
        raise ValueError("a CONSTRUCT query gives a graph: use --format turtle or json-ld")
    prefixes = dict(sorted(PREFIX_IRIS.items())) if fmt == "turtle" else None
    return (pyoxigraph.serialize(list(result), format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b"").decode("utf-8")


