"""Serving the views the build wrote: ``/views/NAME`` from ``dist/views``, in the reader's language.

The build writes the views in its language into ``dist/views/`` and in the other one into
``dist/views/<other>/``. ``?lang=`` picks the language: a page asked for in the language of the other folder
is redirected there, so its relative links (gallery, language switch) keep working.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

from kg.present.labels import LANGS
from kg.present.render import CSP_STATIC


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
        return PlainTextResponse(f"no view '{name}': see /views/ for the list\n", status_code=404)
    return FileResponse(path, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": CSP_STATIC})
