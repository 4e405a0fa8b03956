"""Running a query against any SPARQL 1.1 endpoint, through SPARQLWrapper."""

from __future__ import annotations

from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.query.answer import of_results, write
from kg.query.guards import query_form
from kg.sheets.errors import ServiceError

ROW_FORMATS = {"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}
GRAPH_FORMATS = {"turtle": TURTLE, "json-ld": JSONLD, "xml": XML}


class EndpointError(ServiceError):
    """The endpoint refused the query, failed, or could not be reached."""


def client_for(url: str, text: str, timeout: int = 60) -> SPARQLWrapper:
    """A SPARQLWrapper client for a read query, POSTed as a form.

    SPARQLWrapper guesses the query form by searching for keywords anywhere in the
    text, so a query mentioning ``cbr:russian-post-overload-2013`` or
    ``cbo:addresses`` is taken for a LOAD or ADD update and sent as one; the form
    is set here from the query's own first keyword instead.
    """
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.queryType = query_form(text)
    client.setMethod(POST)
    client.setTimeout(timeout)
    return client


def query_endpoint(url: str, text: str, fmt: str = "table", timeout: int = 60) -> str:
    """The result of ``text`` at ``url`` in ``fmt`` (table, csv, tsv, json, xml, turtle, json-ld)."""
    client = client_for(url, text, timeout)
    graph_query = client.queryType in ("CONSTRUCT", "DESCRIBE")
    if fmt == "table" and not graph_query:
        client.setReturnFormat(JSON)
        return write(of_results(_fetch(client), "json"), "table")
    formats = GRAPH_FORMATS if graph_query else ROW_FORMATS
    if fmt == "table":
        fmt = "turtle"
    if fmt not in formats:
        raise ValueError(f"a {client.queryType} query cannot give --format {fmt} (use {', '.join(formats)})")
    client.setReturnFormat(formats[fmt])
    return _fetch(client).decode("utf-8")


def _fetch(client: SPARQLWrapper) -> bytes:
    try:
        return client.query().response.read()
    except SPARQLWrapperException as exc:
        raise EndpointError(f"the endpoint refused the query: {str(exc).strip()[:500]}") from None
    except OSError as exc:  # URLError, timeouts, refused connections
        raise EndpointError(f"could not reach {client.endpoint}: {getattr(exc, 'reason', exc)}") from None
