"""The SPARQL editor page, ``/editor``: YASGUI with the saved queries in a menu grouped by theme.

``/editor?lang=en`` is the English page; ``/editor?query=NAME`` opens saved query NAME at the start
(otherwise Table 1's, ``START``). The page is ``templates/editor.html``; its script,
``static/editor.js``, gives YASGUI the endpoint's absolute URL, draws results as plain text with
links to entity pages, and shows the server's messages (refusals, syntax errors, time-outs, cut
results) in the page.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from kg.model.ontology import CBR, PREFIXES
from kg.present.labels import LANGS, pick
from kg.present.render import CSP_SERVED, render
from kg.query.saved import SavedQuery, catalogue, prepare

NAME_RE = re.compile(r"[A-Za-z0-9_-]+")
START = "b2c_exporters_2018"          # the first tab when none is asked for: the report's Table 1
TEXT = {
    "zh": {"title": "SPARQL 编辑器", "saved": "保存的查询", "filter": "筛选查询…", "none": "没有匹配的查询",
           "endpoint": "端点", "readable": "易读表", "problem": "查询没有结果，服务器的说明：",
           "failed": "查询失败，服务器没有说明原因。", "truncated": "结果被截断：另有 {dropped} 条结果未返回，最多返回 {limit} 条。", "empty": "没有结果",
           "missing": "编辑器未安装：请在 web/ 中运行 npm ci（见 README）。",
           "table": "表格", "response": "原始响应", "count": "{n} 个结果", "time": "用时 {s} 秒"},
    "en": {"title": "SPARQL editor", "saved": "Saved queries", "filter": "Filter queries…", "none": "No query matches",
           "endpoint": "endpoint", "readable": "Readable", "problem": "No results; the server says:",
           "failed": "The query failed and the server gave no reason.", "truncated": "Results cut: {dropped} more results were not returned "
           "(at most {limit} are).", "empty": "No results",
           "missing": "The editor is not installed: run 'npm ci' in web/ (see the README).",
           "table": "Table", "response": "Response", "count": "{n} results", "time": "in {s} seconds"},
}


@dataclass
class Theme:
    """A group of the menu: a theme's name in the reader's language and its queries."""

    name: str
    queries: list[dict]


def headings(query: SavedQuery, lang: str) -> dict[str, str]:
    """Column headings the query states (``# column-NAME:``, ``# column-NAME@en:``), by variable, in ``lang``."""
    names = {key[len("column-"):] for key in query.meta if key.startswith("column-") and "@" not in key}
    return {name: pick({"zh": query.meta.get(f"column-{name}", ""), "en": query.meta.get(f"column-{name}@en", "")},
                       lang, name) for name in sorted(names)}


def entry(query: SavedQuery, lang: str) -> dict:
    """What the menu and the script need of one saved query."""
    return {"name": query.name, "title": query.title_in(lang) or query.name,
            "question": query.meta.get("question", ""), "report": query.meta.get("report", ""),
            "text": prepare(query.text, lang), "columns": headings(query, lang)}


def menu(folder: Path, lang: str) -> list[Theme]:
    """The saved queries grouped by theme: themes by their English name, queries by title."""
    groups: dict[str, Theme] = {}
    order: dict[str, str] = {}
    for query in catalogue(folder):
        name = query.theme_in(lang) or ("其他" if lang == "zh" else "Other")
        groups.setdefault(name, Theme(name, [])).queries.append(entry(query, lang))
        order.setdefault(name, query.theme_in("en") or "~")
    for theme in groups.values():
        theme.queries.sort(key=lambda q: q["title"])
    return sorted(groups.values(), key=lambda t: order[t.name])


def page(folder: Path, lang: str, start: str | None) -> str:
    """The editor's HTML; ``start`` names the saved query in the first tab (checked by the caller)."""
    themes = menu(folder, lang)
    queries = {q["name"]: {"title": q["title"], "text": q["text"], "columns": q["columns"]} for t in themes for q in t.queries}
    first = start or (START if START in queries else next(iter(queries), None))
    config = {"lang": lang, "endpoint": "/sparql", "start": first, "queries": queries, "text": TEXT[lang],
              "resource": str(CBR), "prefixes": {p: str(ns) for p, ns in PREFIXES.items()}}
    switch = f"?lang={'en' if lang == 'zh' else 'zh'}" + (f"&query={start}" if start else "")
    return render("editor.html", served=True, lang=lang, themes=themes, config=config, text=TEXT[lang],
                  switch_url=switch)


def problem(request: Request, folder: Path) -> str | None:
    """What is wrong with the request's parameters, or None."""
    lang = request.query_params.get("lang", "zh")
    if lang not in LANGS:
        return f"unknown language '{lang}': use lang=zh or lang=en"
    name = request.query_params.get("query")
    if name is not None and not (NAME_RE.fullmatch(name) and (folder / f"{name}.rq").is_file()):
        close = difflib.get_close_matches(name, [q.name for q in catalogue(folder)], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return f"no saved query '{name}'{hint}"
    return None


def editor_endpoint(folder: Path):
    """The Starlette handler for ``/editor``, reading saved queries from ``folder``."""

    async def editor(request: Request) -> Response:
        wrong = problem(request, folder)
        if wrong:
            status = 404 if "saved query" in wrong else 400
            return PlainTextResponse(wrong + "\n", status_code=status)
        lang = request.query_params.get("lang", "zh")
        html = page(folder, lang, request.query_params.get("query"))
        return HTMLResponse(html, headers={"Content-Security-Policy": CSP_SERVED, "Cache-Control": "no-store"})

    return editor
