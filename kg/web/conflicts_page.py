"""``/conflicts``: figures for the same thing that disagree, each side with its value, places and sentence.

The page and its JSON twin (``/conflicts.json``) show what ``cbec-kg conflicts`` lists (``kg.checks.conflicts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg.checks.conflicts import Conflict, _plain, conflicts
from kg.present.labels import label
from kg.project import Project
from kg.web.entity import Figure, figure
from kg.web.pages import Pages, check_lang, plain, wants_json

KINDS = {"values differ": ("同一指标、对象与时期，数值不同", "same measure, subjects and period, different values"),
         "total differs from its parts": ("合计与各项之和不符", "a total that differs from the sum of its parts")}


@dataclass
class ConflictView:
    kind: str
    measure: str
    period: str
    figures: list[Figure]
    parts_sum: str = ""


def view(graph: Graph, c: Conflict, lang: str, text) -> ConflictView:
    sides = [c.first] + ([c.second] if c.second is not None else list(c.parts))
    zh, en = KINDS[c.kind]
    return ConflictView(zh if lang == "zh" else en, label(graph, URIRef(c.measure), lang), c.period,
                        [figure(graph, URIRef(f.iri), lang, text) for f in sides],
                        _plain(c.parts_sum, c.first) if c.parts_sum is not None else "")


class ConflictsPage:
    def __init__(self, project: Project, graph: Callable[[], Graph]):
        self.pages = Pages(project, graph)
        self._found: list[Conflict] | None = None

    def found(self) -> list[Conflict]:
        if self._found is None:
            self._found = conflicts(self.pages.graph())
        return self._found

    async def handle(self, request: Request) -> Response:
        return await self.pages.guarded(request, self._handle)

    def _handle(self, request: Request) -> Response:
        lang = check_lang(request)
        as_json, _ = wants_json(request, request.url.path)
        items = [view(self.pages.graph(), c, lang, self.pages.text()) for c in self.found()]
        if as_json:
            return JSONResponse({"conflicts": plain(items)})
        return self.pages.page(request, "conflicts.html", lang, items=items)


def routes(project: Project, graph: Callable[[], Graph]) -> list[Route]:
    page = ConflictsPage(project, graph)
    return [Route("/conflicts", page.handle, methods=["GET"]), Route("/conflicts.json", page.handle, methods=["GET"])]
