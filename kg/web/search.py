"""The search routes: ``/search?q=`` (a page) and ``/api/search?q=&limit=&class=&lang=`` (JSON).

Both ask :class:`kg.search.service.Search`, built from the served ``dist/`` in a background thread when the app
is made (about 0.2 s for the report; requests that come sooner wait for it) and kept. A bad request (empty,
over-long or control-character query, unknown class or language, a limit outside 1–100) gets a 400 that says
what is wrong — in JSON for the API, in the page for the page, where an empty query just shows examples.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kg.present.labels import LANGS, other, pick
from kg.present.render import CSP_SERVED, render
from kg.project import Project
from kg.search.rank import terms
from kg.search.service import QueryError, Search, answer, check_lang

EXAMPLES = ("菜鸟", "出口", "eWTP", "AliExpress 海外仓", "Amazn", "速卖通海外仓数量")


class SearchRoutes:
    """The handlers, holding the search index of ``project``'s ``dist/`` once it is first needed."""

    def __init__(self, project: Project, warm: bool = True):
        self.project = project
        self._search: Search | None = None
        self._lock = threading.Lock()
        if warm:                      # build the index now, in the background: ~0.2 s for the report, ~16 s of CPU at 10^6 triples
            threading.Thread(target=self._warm, name="search-index", daemon=True).start()

    def _warm(self) -> None:
        try:
            self.search()
        except (OSError, ValueError):   # no built graph yet: the first request says so
            pass

    def search(self) -> Search:
        with self._lock:
            if self._search is None:
                self._search = Search.of_dist(self.project.dist)
        return self._search

    async def api(self, request: Request) -> Response:
        return await run_in_threadpool(self._api, request)      # the index may still be building: wait off the loop

    async def page(self, request: Request) -> Response:
        return await run_in_threadpool(self._page, request)

    def _api(self, request: Request) -> Response:
        params = request.query_params
        try:
            body = answer(self.search(), params.get("q"), params.get("lang"), params.get("class"), params.get("limit"))
        except QueryError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except FileNotFoundError as exc:
            return JSONResponse({"error": f"no built graph to search ({exc.strerror})"}, status_code=503)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def _page(self, request: Request) -> Response:
        params = request.query_params
        lang = params.get("lang") or "zh"
        lang = lang if lang in LANGS else "zh"
        q, cls = (params.get("q") or "").strip(), params.get("class") or ""
        context: dict[str, Any] = {"q": q, "cls": cls, "hits": [], "error": "", "examples": EXAMPLES}
        status = 200
        try:
            check_lang(params.get("lang"))
            search = self.search()
            context["classes"] = [(c, search.catalogue.class_label(c, lang)) for c in search.classes]
            if q:
                hits = search.find(q, lang, cls, params.get("limit") or 50)
                context["hits"] = [row(search, h, lang, q) for h in hits]
        except QueryError as exc:
            context["error"], status = str(exc), 400
        except FileNotFoundError as exc:
            context["error"], status = f"no built graph to search ({exc.strerror})", 503
        context.setdefault("classes", [])
        context["api"] = "/api/search?" + urlencode({"q": q, "lang": lang} | ({"class": cls} if cls else {}))
        switch = "/search?" + urlencode({"q": q, "lang": other(lang)} | ({"class": cls} if cls else {}))
        html = render("search.html", served=True, lang=lang, switch_url=switch, **context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP_SERVED})


def row(search: Search, hit, lang: str, query: str) -> dict:
    """One result line of the page: both labels, class, why it matched (the query's words marked), where to go."""
    e = hit.entry
    return {"id": e.id, "label": pick(e.labels, lang, e.id), "other": e.labels.get(other(lang), ""),
            "cls": search.catalogue.class_label(e.cls, lang), "field": hit.matched.field,
            "pieces": highlight(hit.matched.text, query), "corrected": hit.matched.corrected, "score": hit.score,
            "href": f"/entity/{quote(e.id)}?lang={lang}"}


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, marked)``, marked where a word of the query occurs (ignoring case).

    >>> highlight("AliExpress overseas warehouses", "aliexpress 海外仓")
    [('AliExpress', True), (' overseas warehouses', False)]
    """
    words = sorted(set(terms(query)), key=len, reverse=True)
    if not words:
        return [(text, False)]
    pieces, at = [], 0
    for m in re.finditer("|".join(re.escape(w) for w in words), text, flags=re.IGNORECASE):
        pieces += [(text[at:m.start()], False), (m.group(), True)]
        at = m.end()
    pieces.append((text[at:], False))
    return [p for p in pieces if p[0]]


def search_routes(project: Project) -> list:
    """The routes to add to the app: the page and its JSON twin."""
    routes = SearchRoutes(project)
    return [Route("/search", routes.page, methods=["GET"]), Route("/api/search", routes.api, methods=["GET"])]
