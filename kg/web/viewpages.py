"""Serving the views the build wrote: ``/views/NAME`` from ``dist/views``, in the reader's language.

The build writes the views in its language into ``dist/views/`` and in the other one into
``dist/views/<other>/``. ``?lang=`` picks the language: a page asked for in the language of the other folder
is redirected there, so its relative links (gallery, language switch) keep working. A served HTML view gets
the workbench's top bar (``_topbar.html``, the one every served page has) and the served pages' policy.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from kg.present.labels import LANGS, other
from kg.present.render import CSP_SERVED, CSP_STATIC, env, render


def split(name: str, folder: Path) -> tuple[str | None, str]:
    """(the language folder a page name starts with, if there is such a folder; the rest of the name)."""
    head, _, rest = name.partition("/")
    if head in LANGS and (folder / head).is_dir():
        return head, rest
    return None, name


def wanted(name: str, lang: str, folder: Path) -> str:
    """The page name that holds ``name`` in ``lang``."""
    _, page = split(name, folder)
    return f"{lang}/{page}" if (folder / lang).is_dir() else page


def view_page(folder: Path, name: str, lang: str | None) -> Response:
    """The page ``name`` of ``folder`` (an index for a folder), or a redirect to it in ``lang``, or a 4xx."""
    if lang is not None and lang not in LANGS:
        return PlainTextResponse(f"unknown language '{lang}': use one of {', '.join(LANGS)}\n", status_code=400)
    target = wanted(name, lang, folder) if lang is not None else name
    if target != name and (folder / target).exists():     # a page drawn in one language only stays as it is
        return RedirectResponse(f"/views/{target}", status_code=307)
    root = folder.resolve()
    path = (root / name).resolve()
    if path.is_dir():
        path = path / "index.html"
    if not path.is_relative_to(root) or not path.is_file():
        return refusal(404, f"no view '{name}': see /views/ for the list", lang or split(name, folder)[0])
    page = split(path.relative_to(root).as_posix(), folder)[1]
    return HTMLResponse(with_top_bar(path.read_text(encoding="utf-8"), page),
                        headers={"Content-Security-Policy": CSP_SERVED})


def refusal(status: int, message: str, lang: str | None) -> Response:
    """The workbench's error page (top bar, message, ways back) for a view that cannot be shown."""
    body = render("error.html", served=True, lang=lang if lang in LANGS else LANGS[0], code=status, message=message)
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": CSP_SERVED})


#: a written view's own language switch (``view.html``, ``chart.html``, ``index.html``), with the space before it
_OWN_SWITCH = re.compile(r'\s*<a id="lang-switch" [^>]*>[^<]*</a>')


def with_top_bar(text: str, page: str) -> str:
    """A view written for dist/ as the server shows it: the top bar after <body> (its language switch in place of
    the file's own), the search suggestions' script before </body>, and the served pages' policy (which lets that script load) in place of the static one."""
    found = re.search(r'<html lang="(\w+)"', text)
    lang = found.group(1) if found and found.group(1) in LANGS else LANGS[0]
    switch = f"/views/{'' if page == 'index.html' else page}?lang={other(lang)}"
    bar = env().get_template("_topbar.html").render(lang=lang, switch_url=switch)
    served_meta = CSP_SERVED.replace("; frame-ancestors 'none'", "")
    text = text.replace(str(escape(CSP_STATIC)), str(escape(served_meta)), 1)
    text = _OWN_SWITCH.sub("", text, count=1)       # the top bar's switch replaces the file's own
    text = text.replace("<body>", "<body>\n" + bar, 1)
    return text.replace("</body>", '<script src="/static/suggest.js"></script>\n</body>', 1)
