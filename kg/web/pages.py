"""The workbench's pages: home ``/``, entities ``/entity/ID``, the report's parts ``/sections/`` and
``/section/ID``, and classes ``/browse/`` and ``/browse/CLASS``.

Every page has a JSON twin (``/entity/ID.json`` or ``?format=json``) and takes ``?lang=zh|en``. Bad
input is answered with a 4xx and a message saying what is wrong (in a page for a page, in JSON for JSON),
never reflected unescaped: ids are checked for length and control characters before any lookup, and
an unknown id gets a 404 listing the closest names.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Callable
from urllib.parse import quote, urlencode

from rdflib import Graph
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kg.present.labels import LANGS
from kg.present.render import CSP_SERVED, render
from kg.project import Project
from kg.query.lookup import CBR, Lookup, lookup
from kg.query.saved import catalogue
from kg.rdfio.serialize import store_of
from kg.web import browse, sections
from kg.web.context import SourceTexts, source_text
from kg.web.entity import card, find, kind, resource_id, suggest

MAX_ID = 200           # characters: longer ids are refused before any lookup
FORMATS = ("html", "json")


class BadInput(Exception):
    """A request the pages refuse: ``status`` and a message naming what is wrong."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_lang(request: Request) -> str:
    lang = request.query_params.get("lang", "zh")
    if lang not in LANGS:
        raise BadInput(400, f"unknown language {lang[:40]!r}: use lang=zh or lang=en")
    return lang


def check_key(key: str, what: str) -> str:
    """An id or name from the path: not empty, not too long, no control characters."""
    key = key.strip()
    if not key:
        raise BadInput(400, f"no {what} given")
    if len(key) > MAX_ID:
        raise BadInput(414, f"{what} too long: {len(key)} characters (at most {MAX_ID})")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in key):
        raise BadInput(400, f"{what} contains control or invisible characters")
    return key


def wants_json(request: Request, key: str = "") -> tuple[bool, str]:
    """(JSON asked for?, key without a '.json' suffix) from ``?format=`` or the path."""
    fmt = request.query_params.get("format", "html")
    if fmt not in FORMATS:
        raise BadInput(400, f"unknown format {fmt[:40]!r}: use format=html or format=json")
    if key.endswith(".json"):
        return True, key[: -len(".json")]
    return fmt == "json", key


def plain(value):
    """Dataclasses (and lists of them) as JSON-ready dicts."""
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class Pages:
    """Handlers for the workbench's pages, reading the asserted graph ``graph()`` gives."""

    def __init__(self, project: Project, graph: Callable[[], Graph]):
        self.project = project
        self.graph = graph
        self._text: SourceTexts = None
        self._text_read = False
        self._store: tuple[Graph, Lookup] | None = None
        self._trees: dict[str, tuple[Graph, list[browse.ClassRow]]] = {}

    def text(self) -> SourceTexts:
        """The report's text, if it is here and is the one the graph was built from (looked for once)."""
        if not self._text_read:
            self._text, self._text_read = source_text(self.project.root, self.graph()), True
        return self._text

    def store(self) -> Lookup:
        """Lookups in an Oxigraph store of ``graph()`` (the one behind it, else a copy made once), for the cards."""
        graph = self.graph()
        if self._store is None or self._store[0] is not graph:
            self._store = (graph, lookup(store_of(graph)))
        return self._store[1]

    def class_tree(self, lang: str) -> list[browse.ClassRow]:
        """The ontology's classes with their counts in ``lang``, worked out once per graph and language: every browse
        page shows the tree or a row of it, and a served graph does not change."""
        graph = self.graph()
        if lang not in self._trees or self._trees[lang][0] is not graph:
            self._trees[lang] = (graph, browse.class_tree(graph, lang))
        return self._trees[lang][1]

    # -- responses ---------------------------------------------------------------------------
    def page(self, request: Request, template: str, lang: str, status: int = 200, **context) -> Response:
        html = render(template, lang=lang, served=True, switch_url=_switch(request, lang), **context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP_SERVED})

    def refuse(self, request: Request, exc: BadInput, as_json: bool) -> Response:
        if as_json or request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        lang = request.query_params.get("lang", "zh")
        return self.page(request, "error.html", lang if lang in LANGS else "zh", exc.status,
                         code=exc.status, message=str(exc))

    async def guarded(self, request: Request, handler) -> Response:
        as_json = False
        try:
            as_json = request.query_params.get("format") == "json"
            return handler(request)
        except BadInput as exc:
            return self.refuse(request, exc, as_json)

    # -- routes ------------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        return await self.guarded(request, self._home)

    async def entity(self, request: Request) -> Response:
        return await self.guarded(request, self._entity)

    async def sections(self, request: Request) -> Response:
        return await self.guarded(request, self._sections)

    async def section(self, request: Request) -> Response:
        return await self.guarded(request, self._section)

    async def classes(self, request: Request) -> Response:
        return await self.guarded(request, self._classes)

    async def members(self, request: Request) -> Response:
        return await self.guarded(request, self._members)

    # -- pages ---------------------------------------------------------------------------------
    def _home(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, _ = wants_json(request)
        queries = [{"name": q.name, "title": q.title_in(lang) or q.name, "theme": q.theme_in(lang)}
                   for q in catalogue(self.project.queries_dir)]
        queries.sort(key=lambda q: (q["theme"] or "~", q["title"]))
        if as_json:
            return JSONResponse({"queries": queries})
        return self.page(request, "home.html", lang, queries=queries)

    def _entity(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, key = wants_json(request, request.path_params.get("key", ""))
        key = check_key(key, "entity id")
        graph = self.store()
        nodes = [CBR[key]] if _is_id(key) and graph.match(CBR[key], None, None) else find(graph, key)
        if not nodes:
            close = suggestions(graph, key, lang)
            if as_json:
                return JSONResponse({"error": f"no entity has the id or name {key!r}", "suggestions": close},
                                    status_code=404)
            return self.page(request, "entity_missing.html", lang, 404, key=key, suggestions=close)
        cards = [card(graph, n, lang, self.text()) for n in nodes]
        if as_json:
            return JSONResponse({"entities": plain(cards)})
        parts = {c.id for c in cards if sections.find_part(self.graph(), c.id) is not None}
        return self.page(request, "entity.html", lang, key=key, cards=cards, parts=parts)

    def _sections(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, _ = wants_json(request)
        parts = sections.outline(self.graph(), lang)
        if as_json:
            return JSONResponse({"parts": plain(parts)})
        return self.page(request, "sections.html", lang, parts=parts)

    def _section(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, key = wants_json(request, request.path_params.get("key", ""))
        key = check_key(key, "section id")
        graph = self.graph()
        node = sections.find_part(graph, key)
        if node is None:
            raise BadInput(404, f"the report has no section, table, figure or footnote with the id {key!r} "
                                "(ids look like s2-4, table1, figure3, fn12: see /sections/)")
        page = sections.part_page(graph, node, lang, self.text())
        if as_json:
            return JSONResponse(plain(page))
        return self.page(request, "section.html", lang, p=page)

    def _classes(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, _ = wants_json(request)
        rows = self.class_tree(lang)
        if as_json:
            return JSONResponse({"classes": plain(rows)})
        return self.page(request, "browse.html", lang, rows=rows)

    def _members(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, key = wants_json(request, request.path_params.get("cls", ""))
        key = check_key(key, "class name")
        graph = self.graph()
        cls = browse.class_of(graph, key)
        if cls is None:
            raise BadInput(404, f"the ontology has no class {key!r}: see /browse/ for the list")
        row = next(r for r in self.class_tree(lang) if r.id == str(cls).rsplit("#", 1)[-1])
        members = browse.class_members(graph, cls, lang)
        if as_json:
            return JSONResponse({"class": plain(row), "members": plain(members)})
        return self.page(request, "browse_class.html", lang, row=row, members=members)


def suggestions(graph: Lookup, key: str, lang: str) -> list[dict]:
    """Names close to ``key``, each with the ids and classes it names; an entity listed once."""
    seen: set[str] = set()
    out = []
    for name in suggest(graph, key):
        ids = [i for i in (resource_id(n) or "" for n in find(graph, name)) if i not in seen]
        seen.update(ids)
        if ids:
            out.append({"name": name, "ids": ids, "kinds": [kind(graph, CBR[i], lang) for i in ids]})
    return out


def _is_id(key: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "-_.") for c in key)


def _switch(request: Request, lang: str) -> str:
    """This page's address in the other language (other query parameters kept)."""
    params = dict(request.query_params)
    params["lang"] = "en" if lang == "zh" else "zh"
    return quote(request.url.path) + "?" + urlencode(params)


def routes(project: Project, graph: Callable[[], Graph]) -> list:
    """The workbench's routes, for ``create_app``."""
    pages = Pages(project, graph)
    return [
        Route("/", pages.home, methods=["GET"]),
        Route("/entity/{key:path}", pages.entity, methods=["GET"]),
        Route("/sections/", pages.sections, methods=["GET"]),
        Route("/sections", pages.sections, methods=["GET"]),
        Route("/section/{key:path}", pages.section, methods=["GET"]),
        Route("/browse/", pages.classes, methods=["GET"]),
        Route("/browse", pages.classes, methods=["GET"]),
        Route("/browse/{cls:path}", pages.members, methods=["GET"]),
    ]
