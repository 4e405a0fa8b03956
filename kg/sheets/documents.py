"""Documents as data: every ``Report`` block of the sheets is a document, with its text file, digest and places.

A document's block names its text file (``textFile``, looked up in the sources folder: ``$CBEC_KG_SOURCES``,
else ``../shared/sources`` beside the project) and the SHA-256 its offsets refer to; its sections, tables,
figures and footnotes are blocks whose ``partOfReport`` leads up to it. A fact sheet names its document in its
header (``sheet: {document: report}``), and every place its facts cite must lie in that document. Entities are
shared: a country or a platform is one node however many documents name it.

>>> from kg.sheets.facts import Fact, FactBase
>>> base = FactBase({"r": Fact("r", "Report", "r.yaml", 1, {}), "s1": Fact("s1", "Section", "r.yaml", 5,
...                  {"partOfReport": "r"}), "x": Fact("x", "Statistic", "x.yaml", 3, {"place": "s1"})})
>>> document_of(base.facts["x"], base)
'r'
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.sheets.errors import Problem
from kg.sheets.facts import Fact, FactBase, as_list

#: the report the project began with: ``$CBEC_KG_SOURCE`` may point at its text (older set-ups did)
FIRST = "report"


def documents(base: FactBase) -> list[Fact]:
    """The documents (``Report`` blocks), the first document first, then by id."""
    return sorted(base.of_class("Report"), key=lambda f: (f.id != FIRST, f.id))


def _root_of(place: str, base: FactBase, seen: set[str] | None = None) -> str | None:
    """The document a place belongs to, following ``partOfReport`` upwards."""
    seen = seen or set()
    part = base.facts.get(place)
    if part is None or place in seen:
        return None
    if part.cls == "Report":
        return part.id
    parent = part.data.get("partOfReport")
    return _root_of(str(parent), base, seen | {place}) if parent else None


def document_of(fact: Fact, base: FactBase) -> str | None:
    """The document a fact belongs to: its sheet's, else the one its places lie in (None for vocabulary)."""
    named = base.sheet_documents.get(fact.file)
    if named:
        return named
    if fact.cls == "Report":
        return fact.id
    for place in fact.places() or ([fact.id] if "partOfReport" in fact.data else []):
        found = _root_of(place, base)
        if found:
            return found
    return None


def subset(base: FactBase, document: str) -> FactBase:
    """The facts of one document, with the vocabulary (measures, units) that belongs to none."""
    facts = {i: f for i, f in base.facts.items() if document_of(f, base) in (document, None)}
    return FactBase(facts, base.sheets, base.plain, {k: v for k, v in base.sheet_documents.items() if v == document})


def sources_dir(root: Path) -> Path:
    env = os.environ.get("CBEC_KG_SOURCES")
    return Path(env) if env else root.parent / "shared" / "sources"


def text_path(root: Path, document: Fact) -> Path:
    """Where a document's text is: its ``textFile`` in the sources folder (``$CBEC_KG_SOURCE`` for the first)."""
    if document.id == FIRST and os.environ.get("CBEC_KG_SOURCE"):
        return Path(os.environ["CBEC_KG_SOURCE"])
    return sources_dir(root) / str(document.data.get("textFile", ""))


def check_documents(base: FactBase) -> list[Problem]:
    """Each sheet's ``document`` is a document; each place a fact cites lies in its sheet's document."""
    problems = []
    known = {d.id for d in documents(base)}
    for file, (doc, line) in sorted(base.sheet_document_lines.items()):
        if doc not in known:
            problems.append(Problem(file, line, "document", f"'{doc}' is not a document (a Report block): "
                                    f"known documents are {', '.join(sorted(known)) or 'none'}"))
    for fact in sorted(base.facts.values(), key=lambda f: (f.file, f.line)):
        doc = base.sheet_documents.get(fact.file, "")
        if doc not in known:
            continue
        for place in as_list(fact.data.get("place")):
            found = _root_of(str(place), base)
            if found is not None and found != doc:
                problems.append(Problem(fact.file, fact.line_of("place"), "place",
                                        f"'{place}' is a place in document '{found}', but this sheet is about '{doc}'"))
    return problems
