"""Grounding: every number in the fact sheets stands, as printed, in the source text.

A statistic records the character offset of its printed value in the source
file (``offset``) and the place it cites (a section, table or footnote with a
line span). Grounding checks both: the text at the offset is the value, and
the offset lies inside the span of one of its places. ``fill_offsets`` finds
missing offsets (the first free-standing occurrence inside the place, after the
optional ``after`` text) and can write them back into the sheets.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from kg.sheets.documents import FIRST, documents, subset, text_path
from kg.sheets.errors import Problem
from kg.sheets.facts import Fact, FactBase, as_list

SOURCE_NAME = "ccg-b2c-cross-border-ecommerce-report.zh.txt"


def default_source(root: Path) -> Path:
    """The first document's text (the report the project began with)."""
    env = os.environ.get("CBEC_KG_SOURCE")
    return Path(env) if env else root.parent / "shared" / "sources" / SOURCE_NAME


def document_texts(root: Path, base: FactBase, only: str | None = None,
                   source: Path | None = None) -> dict[str, tuple[FactBase, SourceText]]:
    """Each document's facts and text, by document id (``only``: that one; ``source``: its text from there).

    A missing text is a FileNotFoundError naming where it was looked for.
    """
    docs = [d for d in documents(base) if only in (None, d.id)]
    if only is not None and not docs:
        known = ", ".join(d.id for d in documents(base))
        raise LookupError(f"no document '{only}': the documents are {known}")
    out = {}
    for doc in docs:
        path = source if source is not None and (only or FIRST) == doc.id else text_path(root, doc)
        if not path.is_file():
            raise FileNotFoundError(2, f"the text of document '{doc.id}' was not found "
                                       "(set --source, CBEC_KG_SOURCES or CBEC_KG_SOURCE)", str(path))
        out[doc.id] = (subset(base, doc.id), SourceText.read(path))
    return out


@dataclass
class SourceText:
    text: str
    sha256: str
    line_starts: list[int]

    @classmethod
    def read(cls, path: Path) -> SourceText:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        starts, pos = [], 0
        for line in text.splitlines(keepends=True):
            starts.append(pos)
            pos += len(line)
        starts.append(pos)
        return cls(text, hashlib.sha256(raw).hexdigest(), starts)

    def span(self, first_line: int, last_line: int) -> tuple[int, int]:
        """Character span of 1-based inclusive lines."""
        last = min(last_line, len(self.line_starts) - 1)
        return self.line_starts[first_line - 1], self.line_starts[last]

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


def free_standing(text: str, start: int, value: str) -> bool:
    """The occurrence at ``start`` is a whole number, not part of a longer one."""
    end = start + len(value)
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    if before.isdigit() or before in ".,":
        return False
    if after.isdigit() or (after in ".," and after2.isdigit()):
        return False
    return True


def occurrences(text: str, value: str, lo: int, hi: int) -> list[int]:
    found = []
    for m in re.finditer(re.escape(value), text[lo:hi]):
        if free_standing(text, lo + m.start(), value):
            found.append(lo + m.start())
    return found


def place_spans(fact: Fact, base: FactBase, source: SourceText) -> list[tuple[int, int]]:
    spans = []
    for place in fact.places():
        part = base.facts.get(place)
        if part and "lineStart" in part.data:
            spans.append(source.span(part.data["lineStart"], part.data["lineEnd"]))
    return spans


def locate(fact: Fact, base: FactBase, source: SourceText, value: str) -> tuple[int | None, str]:
    """Find the offset of ``value`` for a fact; return (offset, reason if none)."""
    spans = place_spans(fact, base, source)
    anchor = fact.data.get("after")
    candidates: list[int] = []
    for lo, hi in spans:
        if anchor:
            at = source.text.find(anchor, lo, hi)
            if at < 0:
                continue
            found = occurrences(source.text, value, at + len(anchor), hi)
            if found:
                return found[0], ""
        else:
            candidates.extend(occurrences(source.text, value, lo, hi))
    if anchor:
        return None, f"'{value}' not found after '{anchor}' in {', '.join(fact.places())}"
    unique = sorted(set(candidates))
    if len(unique) == 1:
        return unique[0], ""
    if not unique:
        return None, f"'{value}' does not stand in {', '.join(fact.places())}"
    lines = ", ".join(str(source.line_of(o)) for o in unique[:8])
    return None, f"'{value}' stands {len(unique)} times in {', '.join(fact.places())} (lines {lines}): add an 'after' hint"


def check_offset(fact: Fact, base: FactBase, source: SourceText, key: str, value: str) -> str | None:
    offset = fact.data[key]
    if source.text[offset:offset + len(value)] != value:
        found = source.text[offset:offset + len(value)]
        return f"the source has {found!r} at offset {offset}, not {value!r}"
    if not free_standing(source.text, offset, value):
        return f"{value!r} at offset {offset} is part of a longer number"
    spans = place_spans(fact, base, source)
    if not any(lo <= offset < hi for lo, hi in spans):
        return f"offset {offset} (line {source.line_of(offset)}) is outside {', '.join(fact.places())}"
    return None


def statistics(base: FactBase) -> list[Fact]:
    """The blocks that print a number: statistics, and the mentions of a statistic at its other places."""
    return sorted(base.of_class("Statistic", "Mention"), key=lambda f: (f.file, f.line))


def check_grounding(base: FactBase, source: SourceText) -> list[Problem]:
    """Every statistic has offsets, and each points at its value inside its place."""
    problems = []
    report = next(iter(documents(base)), None)
    if report and report.data.get("sha256") != source.sha256:
        problems.append(Problem(report.file, report.line_of("sha256"), "sha256",
                                f"the source file's SHA-256 is {source.sha256}: offsets refer to another file"))
    for fact in statistics(base):
        for key, vkey in (("offset", "value"), ("upperOffset", "upperValue")):
            if vkey not in fact.data:
                continue
            if key not in fact.data:
                problems.append(Problem(fact.file, fact.line_of(vkey), key,
                                        f"no {key}: run 'cbec-kg ground --write' to fill it in"))
                continue
            message = check_offset(fact, base, source, key, fact.data[vkey])
            if message:
                problems.append(Problem(fact.file, fact.line_of(key), key, message))
    return problems


def check_dates(base: FactBase, source: SourceText) -> list[Problem]:
    """Every year in a ``date`` or ``period`` is printed inside one of the fact's places.

    A statistic for which the report gives no period carries ``qualifier: period-not-stated``
    and the period its context implies; only those are exempt.
    """
    problems = []
    for fact in sorted(base.facts.values(), key=lambda f: (f.file, f.line)):
        stamps = {k: str(fact.data[k]) for k in ("date", "period") if k in fact.data}
        if not stamps or "period-not-stated" in [str(q) for q in as_list(fact.data.get("qualifier"))]:
            continue
        spans = place_spans(fact, base, source)
        for _, _, places in fact.relations():
            for place in places:
                part = base.facts.get(place)
                if part and "lineStart" in part.data:
                    spans.append(source.span(part.data["lineStart"], part.data["lineEnd"]))
        text = "".join(source.text[lo:hi] for lo, hi in spans)
        for key, stamp in stamps.items():
            for year in re.findall(r"\d{4}", stamp):
                if year not in text:
                    problems.append(Problem(fact.file, fact.line_of(key), key,
                                            f"{year} is not printed in {', '.join(fact.places())}"))
    return problems


def fill_offsets(base: FactBase, source: SourceText, write: bool = False) -> tuple[int, list[Problem]]:
    """Find missing offsets; with ``write``, insert them into the sheets after the value line."""
    inserts: dict[str, list[tuple[int, str]]] = {}
    problems: list[Problem] = []
    filled = 0
    for fact in statistics(base):
        for key, vkey in (("offset", "value"), ("upperOffset", "upperValue")):
            if vkey not in fact.data or key in fact.data:
                continue
            offset, reason = locate(fact, base, source, fact.data[vkey])
            if offset is None:
                problems.append(Problem(fact.file, fact.line_of(vkey), vkey, reason))
                continue
            filled += 1
            value_line = fact.line_of(vkey)
            inserts.setdefault(fact.file, []).append((value_line, f"{key}: {offset}"))
    if write:
        for file, items in inserts.items():
            _insert_lines(Path(file), items)
    return filled, problems


def _insert_lines(path: Path, items: list[tuple[int, str]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for line_no, text in sorted(items, reverse=True):
        anchor = lines[line_no - 1]
        indent = re.match(r"\s*(- )?", anchor).group(0).replace("- ", "  ")  # type: ignore[union-attr]  # always matches
        lines.insert(line_no, f"{indent}{text}\n")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, path)

