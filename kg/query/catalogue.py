"""Saved SPARQL queries: the catalogue, and the text of a query made ready to run (no RDF library needed).

A saved query is ``queries/NAME.rq`` and opens with a header of comments::

    # title: 2018 年 B2C 跨境电商前十国家/地区
    # title@en: Top ten B2C cross-border sellers of 2018
    # question: Which ten economies sold most through B2C cross-border e-commerce in 2018?
    # report: 表1 (table1)
    # theme: 表格
    # theme@en: Tables

The theme groups the queries in the editor's menu.

Labels come back in the language asked for: a query writes ``$lang`` where it
wants the language tag, and ``prepare`` puts ``"zh"`` or ``"en"`` there before
the query runs, on any engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

LANGS = ("zh", "en")
HEADER_RE = re.compile(r"^#\s*([\w@-]+):\s*(.*?)\s*$")


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> SavedQuery:
        text = path.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = HEADER_RE.match(line)
            if m:
                meta[m.group(1)] = m.group(2)
        return cls(path.stem, path, text, meta)

    def title_in(self, lang: str) -> str:
        return self.meta.get(f"title@{lang}") or self.meta.get("title", "")

    @property
    def theme(self) -> str:
        return self.meta.get("theme", "")

    def theme_in(self, lang: str) -> str:
        """The theme that groups this query in menus, in ``lang`` (Chinese when there is no translation)."""
        return self.meta.get(f"theme@{lang}") or self.meta.get("theme", "")


def catalogue(folder: Path) -> list[SavedQuery]:
    return [SavedQuery.read(p) for p in sorted(folder.glob("*.rq"))]


def resolve(name: str, folder: Path) -> SavedQuery:
    """A saved query by name, or a .rq file by path."""
    path = Path(name)
    if path.suffix == ".rq" and path.exists():
        return SavedQuery.read(path)
    candidate = folder / f"{name}.rq"
    if candidate.exists():
        return SavedQuery.read(candidate)
    import difflib  # only to suggest a name: every query run reads this module

    names = [q.name for q in catalogue(folder)]
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else " ('cbec-kg queries' lists them)"
    raise LookupError(f"no saved query '{name}'{hint}")


def prepare(text: str, lang: str = "zh") -> str:
    """Fill the ``$lang`` parameter with a language tag literal."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}': use one of {', '.join(LANGS)}")
    return "\n".join(line if line.lstrip().startswith("#") else re.sub(r"\$lang\b", f'"{lang}"', line)
                     for line in text.split("\n"))
