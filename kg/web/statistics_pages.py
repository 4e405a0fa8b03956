"""``/statistics``, ``/statistics.csv`` and ``/statistics.json``: the statistics explorer's pages.

Query parameters, as on a Datasette table page:

* filters ``measure``, ``about``, ``source`` and ``place`` take an id (``about=CN``, ``place=table1``: a part of
  the report also holds the parts inside it), ``period`` a year (matching every period containing it) or a
  period as written, ``q`` text in the figure's label in either language; repeated filters must all hold;
* ``_sort=COLUMN`` or ``_sort_desc=COLUMN`` (numbers sort as numbers; figures without a value last);
* ``_size`` (rows a page, 1 to 1000, or ``all``; 100 by default, all for CSV) and ``_page`` (from 1);
* ``lang`` (``zh`` or ``en``).

A malformed request (unknown parameter, a control character, a value over 200 characters, a sort on no
column) is a 400 naming what is wrong; a filter value that names nothing gives no rows and says why.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.present.render import CSP_SERVED, render
from kg.rdfio.export import statistics_csv
from kg.web.context import source_text
from kg.web.statistics import COLUMNS, FACET_FILTER, FILTERS, Figure, Table, facets, ordered, resolve, select, unknown

CONTROL = ("_sort", "_sort_desc", "_size", "_page", "lang")
PAGE_SIZE, MAX_SIZE, MAX_VALUE, MAX_QUERY = 100, 1000, 200, 4096
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Query:
    """A request's filters, order, page and language, and its parameters as given (for links)."""

    filters: list[tuple[str, str]] = field(default_factory=list)
    sort: str | None = None
    descending: bool = False
    size: int | None = PAGE_SIZE
    page: int = 1
    lang: str = "zh"
    params: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str:
        """The last value given to filter ``name``, else ''."""
        return next((v for n, v in reversed(self.filters) if n == name), "")

    def url(self, path: str, drop=(), add=(), remove=None) -> str:
        """``path`` with this query's parameters less those named in ``drop`` (and the pair ``remove``), plus ``add``."""
        kept = [(k, v) for k, v in self.params if k not in drop and (k, v) != remove]
        kept += [pair for pair in add if pair not in kept]
        return path + ("?" + urlencode(kept) if kept else "")


def _shown(text: str) -> str:
    """A value as an error message quotes it: control characters escaped, at most 60 characters."""
    text = CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= 60 else text[:60] + "…"


def _number(name: str, value: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(400, f"{name} must be a whole number from {low} to {high}, not '{_shown(value)}'")
    return int(value)


def parse(items: list[tuple[str, str]], raw: str = "", csv: bool = False) -> Query:
    """The :class:`Query` of a request's parameters; :class:`BadRequest` names what is wrong with them."""
    if len(raw) > MAX_QUERY:
        raise BadRequest(414, f"query string too long: {len(raw)} characters (limit {MAX_QUERY})")
    query = Query(size=None if csv else PAGE_SIZE)
    for key, value in items:
        _check(key, value)
        value = value.strip() if key in FILTERS else value
        if value == "" and key in FILTERS:
            continue
        _apply(query, key, value)
        if key != "_page":
            query.params.append((key, value))
    return query


def _check(key: str, value: str) -> None:
    if key not in FILTERS and key not in CONTROL:
        raise BadRequest(400, f"unknown parameter '{_shown(key)}': use {', '.join(FILTERS + CONTROL)}")
    if CONTROL_CHARS.search(value):
        raise BadRequest(400, f"parameter '{key}' holds a control character: '{_shown(value)}'")
    if len(value) > MAX_VALUE:
        raise BadRequest(400, f"parameter '{key}' is too long: {len(value)} characters (limit {MAX_VALUE})")


def _apply(query: Query, key: str, value: str) -> None:
    if key in FILTERS:
        query.filters.append((key, value))
    elif key in ("_sort", "_sort_desc"):
        if value not in COLUMNS:
            raise BadRequest(400, f"cannot sort by '{_shown(value)}': use one of {', '.join(COLUMNS)}")
        if query.sort is not None:
            raise BadRequest(400, "give one of _sort and _sort_desc, once")
        query.sort, query.descending = value, key == "_sort_desc"
    elif key == "_size":
        query.size = None if value in ("all", "max") else _number("_size", value, 1, MAX_SIZE)
    elif key == "_page":
        query.page = _number("_page", value, 1, 10**6)
    elif key == "lang":
        if value not in ("zh", "en"):
            raise BadRequest(400, f"lang must be zh or en, not '{_shown(value)}'")
        query.lang = value


@dataclass
class Result:
    """The figures a query selects, the page of them shown, their facet counts and what to tell the reader."""

    query: Query
    rows: list[Figure]
    page: list[Figure]
    facets: dict
    messages: list[str]

    @property
    def pages(self) -> int:
        return 1 if self.query.size is None else max(1, -(-len(self.rows) // self.query.size))


def explore(table: Table, query: Query) -> Result:
    """Filter, sort, page and count ``table`` as ``query`` asks."""
    query.filters = [(n, resolve(table, n, v)) for n, v in query.filters]
    query.params = [(k, resolve(table, k, v)) if k in FILTERS else (k, v) for k, v in query.params]
    messages = [m for m in (unknown(table, n, v) for n, v in query.filters) if m]
    rows = ordered(select(table, query.filters), query.sort, query.descending, query.lang)
    page = rows
    if query.size is not None:
        page = rows[(query.page - 1) * query.size:query.page * query.size]
        if query.page > 1 and not page:
            messages.append(f"page {query.page} is past the last page ({max(1, -(-len(rows) // query.size))})")
    return Result(query, rows, page, facets(rows, query.lang), messages)


# -- the three representations ----------------------------------------------------------------------

def figure_json(f: Figure, lang: str) -> dict:
    """A figure as the JSON twin gives it: ids with names in ``lang``, numbers as exact decimal strings."""
    def ref(r):
        return {"id": r.id, "label": r.name(lang)}
    return {
        "id": f.id, "label": f.label.name(lang), "about": [ref(a) for a in f.about], "measure": ref(f.measure),
        "value_as_printed": f.printed, "value": _plain(f.value), "unit": f.unit_name(lang),
        "normalized_value": _plain(f.normalized), "base_unit": f.base_unit.name(lang), "period": f.period,
        "qualifiers": list(f.qualifiers), "sources": [ref(s) for s in f.sources],
        "places": [{**ref(p), "number": p.number(lang)} for p in f.places],
        "char_start": f.start, "char_end": int(f.row[-1]) if f.row[-1].isdigit() else None,
        "sentence": ({"before": f.sentence.before, "number": f.sentence.number, "after": f.sentence.after}
                     if f.sentence else None)}


def _plain(d) -> str | None:
    if d is None:
        return None
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped(d) -> str:
    """A decimal with thousands separators, as a reader reads it ('100,000,000,000')."""
    text = _plain(d) if d is not None else None
    if text is None:
        return ""
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")


def as_json(table: Table, result: Result) -> dict:
    q = result.query
    return {"total": len(result.rows), "page": q.page, "size": q.size, "pages": result.pages,
            "sort": q.sort, "descending": q.descending, "lang": q.lang,
            "filters": [{"name": n, "value": v, "label": table.name(v, q.lang) if n != "q" else v}
                        for n, v in q.filters],
            "messages": result.messages,
            "next": q.url("/statistics.json", drop=("_page",), add=[("_page", str(q.page + 1))])
            if q.page < result.pages else None,
            "facets": {name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                       for name, values in result.facets.items()},
            "rows": [figure_json(f, q.lang) for f in result.page]}


# -- the server's handlers --------------------------------------------------------------------------

class StatisticsPages:
    """The explorer's handlers over the graph an :class:`kg.web.serve.App` holds (rows read once)."""

    def __init__(self, app):
        self.app = app
        self._table: Table | None = None
        self._lock = threading.Lock()

    def table(self) -> Table:
        with self._lock:
            if self._table is None:
                graph = self.app.graph()
                self._table = Table.of(graph, source_text(self.app.project.root, graph))
            return self._table

    def _result(self, request: Request, csv: bool = False) -> Result:
        query = parse(request.query_params.multi_items(), request.url.query, csv=csv)
        return explore(self.table(), query)

    def page(self, request: Request) -> Response:
        try:
            result = self._result(request)
        except BadRequest as exc:
            lang = request.query_params.get("lang")
            body = render("error.html", served=True, lang=lang if lang in ("zh", "en") else "zh", code=exc.status,
                          message=str(exc))
            return HTMLResponse(body, status_code=exc.status, headers={"Content-Security-Policy": CSP_SERVED})
        body = render("statistics.html", served=True, lang=result.query.lang, r=result, t=self.table(),
                      columns=COLUMNS, facet_filter=FACET_FILTER, grouped=grouped,
                      switch_url=result.query.url("/statistics", drop=("lang",),
                                                  add=[("lang", "en" if result.query.lang == "zh" else "zh")]))
        return HTMLResponse(body, headers={"Content-Security-Policy": CSP_SERVED})

    def json(self, request: Request) -> Response:
        try:
            result = self._result(request)
        except BadRequest as exc:
            return _json({"error": str(exc)}, exc.status)
        return _json(as_json(self.table(), result))

    def csv(self, request: Request) -> Response:
        try:
            result = self._result(request, csv=True)
        except BadRequest as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=exc.status, headers={"X-Content-Type-Options": "nosniff"})
        headers = {"Content-Disposition": 'attachment; filename="statistics.csv"'}
        return Response(statistics_csv([f.row for f in result.page]), media_type="text/csv; charset=utf-8",
                        headers=headers)


def _json(data: dict, status: int = 200) -> Response:
    """JSON in UTF-8, with '<' and '>' escaped so no markup a request sent comes back as it was."""
    body = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c").replace(">", "\\u003e")
    return Response(body, status_code=status, media_type="application/json; charset=utf-8")


def routes(app) -> list[Route]:
    """The explorer's routes, for ``create_app``."""
    pages = StatisticsPages(app)
    return [Route("/statistics", pages.page, methods=["GET"]),
            Route("/statistics.json", pages.json, methods=["GET"]),
            Route("/statistics.csv", pages.csv, methods=["GET"])]
