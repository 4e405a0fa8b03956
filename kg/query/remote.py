"""Running a query against any SPARQL 1.1 endpoint, through SPARQLWrapper; the endpoint's answer is read into an
``Answer`` (``kg.query.answer``) and printed by the same writers as the store's, in every format.

Rows and yes/no are asked for as SPARQL results JSON, or XML when the endpoint refuses JSON; a graph as
N-Triples, or Turtle when the endpoint refuses N-Triples; whatever comes back is read by the media type the
endpoint says it sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError

import pyoxigraph
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.query.answer import Answer, check_format, form_of, of_graph, of_results, write
from kg.query.guards import query_form
from kg.sheets.errors import ServiceError

ROWS_ACCEPTS = ("application/sparql-results+json", "application/sparql-results+xml")
GRAPH_ACCEPTS = ("application/n-triples", "text/turtle")
REFUSED = (406, 415)    # Not Acceptable, or Unsupported Media Type (which some endpoints answer instead)


class EndpointError(ServiceError):
    """The endpoint refused the query, failed, or could not be reached."""


class _Refused(Exception):
    """The endpoint has no answer in the media type asked for."""


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
    """The result of ``text`` at ``url`` in ``fmt`` (table, csv, tsv, json, xml, turtle, ntriples, json-ld), written
    as ``cbec-kg query`` writes the store's."""
    check_format(form_of(query_form(text)), fmt)        # a format the answer cannot take fails before asking
    return write(ask_endpoint(url, text, timeout), fmt)


def ask_endpoint(url: str, text: str, timeout: int = 60) -> Answer:
    """The answer of ``text`` at ``url``: asked for in each media type of its form in turn, while the endpoint
    refuses them (HTTP 406 or 415), and read by the media type the endpoint says it sent."""
    client = client_for(url, text, timeout)
    client.setOnlyConneg(True)      # the Accept header alone chooses (no format=/output= parameters to outrank it)
    graph = form_of(query_form(text)) == "graph"
    accepts = GRAPH_ACCEPTS if graph else ROWS_ACCEPTS
    for accept in accepts:
        try:
            media, data = _fetch(client, accept)
        except _Refused:
            continue
        if graph:
            rdf = pyoxigraph.RdfFormat.from_media_type(media)
            if rdf is None:
                raise EndpointError(f"the endpoint answered in {media}, not an RDF graph")
            return _read(of_graph, data, rdf, media)
        results = pyoxigraph.QueryResultsFormat.from_media_type(media)
        if results is None:
            raise EndpointError(f"the endpoint answered in {media}, not SPARQL results")
        return _read(of_results, data, results, media)
    raise EndpointError(f"the endpoint refused to answer in {' or '.join(accepts)}")


def _fetch(client: SPARQLWrapper, accept: str) -> tuple[str, bytes]:
    """(media type, body) of the endpoint's answer, asked for in ``accept``."""
    client.addCustomHttpHeader("Accept", accept)
    try:
        response = client.query().response
        return response.headers.get_content_type(), response.read()
    except SPARQLWrapperException as exc:
        raise EndpointError(f"the endpoint refused the query: {str(exc).strip()[:500]}") from None
    except HTTPError as exc:
        if exc.code in REFUSED:
            raise _Refused(accept) from None
        said = exc.read().decode("utf-8", "replace").strip()[:500]
        raise EndpointError(f"the endpoint refused the query: HTTP {exc.code} {exc.reason}" + (f": {said}" if said else "")) from None
    except OSError as exc:  # URLError, timeouts, refused connections
        raise EndpointError(f"could not reach {client.endpoint}: {getattr(exc, 'reason', exc)}") from None


def _read(parse: Callable[[bytes, Any], Answer], data: bytes, fmt, media: str) -> Answer:
    """The answer ``parse`` reads from the endpoint's body in ``fmt``, or an EndpointError saying it is not ``media``."""
    try:
        return parse(data, fmt)
    except SyntaxError as exc:
        raise EndpointError(f"the endpoint's answer is not valid {media}: {exc}") from None
