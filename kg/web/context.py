"""Every number in its sentence: the report's text around a statistic, and the name of the place holding it.

The graph records where each printed value starts and ends in the report's text (``cbo:charStart``,
``cbo:charEnd``) and the line span of every section, table, figure and footnote. The text itself stays
where it is (``../shared/sources``, or ``$CBEC_KG_SOURCE``) and is read at run time; nothing of it is
stored in the repository. Where the text is absent, or is not the text the graph was built from, there is
no snippet and pages simply leave the sentence out.

Every function takes the graph as an Oxigraph store, an rdflib graph or a ``kg.query.lookup.Lookup`` and reads it
through a lookup, in pyoxigraph terms (so that ``cbec-kg show`` loads no rdflib).

>>> _join("二（四）", "速卖通案例", "zh")
'二（四）速卖通案例'
>>> _join("二（二）2", "中美两大市场", "zh")
'二（二）2 中美两大市场'
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from kg.present.labels import term_text
from kg.query.lookup import CBO, CBR, RDF, RDFS, Lookup, lookup, term, text

CAP = 120                                    # characters of context at most, each side
STOPS = "。！？；;!?"                          # a sentence ends here in either mode
ROW_CLASSES = (CBO.Table, CBO.Figure)         # in these a line is a row: it ends the context
ZH_DIGITS = "一二三四五六七八九十"
PARAGRAPH = re.compile(r"\n[ \t\u3000]*\n[ \t\u3000]*\n[ \t\u3000]*\n")   # two blank lines in a row
WRAP = re.compile(r"[ \t\u3000]*\n[\s\u3000]*")


@dataclass(frozen=True)
class Snippet:
    """The sentence around a printed number, split at the number, and the place that holds it."""

    before: str
    number: str
    after: str
    place_id: str
    section_number: str
    section_title: str


# -- the report's text -------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def load_text(path: Path) -> str | None:
    """The text at ``path`` (read once per path), or None if it cannot be read as UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@functools.lru_cache(maxsize=4)
def _sha256(text: str) -> str:
    import hashlib  # only where the report's text is read: ``show`` needs none

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Texts(dict):
    """The documents' texts by document IRI, each checked against the digest the graph records for it (keyed by the
    IRI's text, so that an rdflib or a pyoxigraph term finds the same)."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(text(key), value)

    def __getitem__(self, key) -> str:
        return super().__getitem__(text(key))

    def __contains__(self, key) -> bool:
        return super().__contains__(text(key))

    def get(self, key, default=None):
        return super().get(text(key), default)

    def for_statistic(self, graph, stat) -> str | None:
        """The text of the document a statistic is stated in (its places lead up to one)."""
        found = lookup(graph)
        for place in found.objects(term(stat), CBO.statedIn):
            doc = document_node(found, place)
            if doc is not None and doc in self:
                return self[doc]
        return None


#: what the pages hand to ``snippet``: every document's text, one text, or none
SourceTexts = Texts | str | None


def document_node(graph, place, seen: frozenset = frozenset()):
    """The document (a ``cbo:Report``) a place belongs to, following ``cbo:partOfReport`` upwards."""
    found, place = lookup(graph), term(place)
    if found.has(place, RDF.type, CBO.Report):
        return place
    parent = found.value(place, CBO.partOfReport)
    return None if parent is None or parent in seen else document_node(found, parent, seen | {place})


def source_paths(root: Path, file_name: str | None = None) -> list[Path]:
    """Where a document's text may be: beside the project at ``root``, else beside this package's checkout.

    Without ``file_name``: the first document's text (``$CBEC_KG_SOURCE`` may point at it).
    """
    # lazy: the documents' modules load YAML (0.1 s), and only reading a document's text needs them (``show`` does not)
    from kg.checks.grounding import default_source
    from kg.project import Project
    from kg.sheets.documents import sources_dir

    roots = [Path(root), Project.find().root]
    found = [sources_dir(r) / file_name for r in roots] if file_name else []
    if not file_name or file_name.startswith("ccg-"):
        found += [default_source(r) for r in roots]
    return list(dict.fromkeys(found))


def source_text(root: Path, graph = None) -> Texts | str | None:
    """The documents' texts for the project at ``root``; with ``graph``, only the texts it was built from.

    Without a graph, the first document's text as a string (or None).
    """
    if graph is None:
        return next((t for t in map(load_text, source_paths(root)) if t is not None), None)
    texts, found = Texts(), lookup(graph)
    for doc, digest in sorted(found.subject_objects(CBO.sha256), key=lambda pair: (pair[0].value, pair[1].value)):
        name = found.value(doc, CBO.textFile)
        for path in source_paths(root, name.value if name is not None else None):
            content = load_text(path)
            if content is not None and _sha256(content) == digest.value:
                texts[doc] = content
                break
    return texts


@functools.lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return tuple(starts)


def line_of(text: str, offset: int) -> int:
    """The 1-based line holding character ``offset``."""
    return bisect.bisect_right(_line_starts(text), offset)


# -- places: their number and title --------------------------------------------------------------

def _int(graph: Lookup, node, prop) -> int | None:
    value = graph.value(node, prop)
    try:
        return int(value.value) if value is not None else None
    except ValueError:
        return None


def _parent(graph: Lookup, node):
    return graph.value(node, CBO.partOfReport)


def _is_section(graph: Lookup, node) -> bool:
    return graph.has(node, RDF.type, CBO.Section)


def _section_level(graph: Lookup, node) -> int:
    level, parent = 1, _parent(graph, node)
    while parent is not None and _is_section(graph, parent) and level < 10:
        level, parent = level + 1, _parent(graph, parent)
    return level


def _sibling_index(graph: Lookup, node) -> int:
    parent = _parent(graph, node)
    siblings = sorted((s for s in graph.subjects(CBO.partOfReport, parent) if _is_section(graph, s)),
                      key=lambda s: (_int(graph, s, CBO.lineStart) or 0, s.value))
    return siblings.index(node) + 1


def _zh_section(graph: Lookup, node) -> tuple[str, str]:
    name = term_text(graph, node, RDFS.label, "zh")
    level = _section_level(graph, node)
    if level == 1:
        head, sep, rest = name.partition("、")
        return (head, rest) if sep and head and all(c in ZH_DIGITS for c in head) else ("", name)
    parent_number = _zh_section(graph, _parent(graph, node))[0]
    if level == 2:
        m = re.match(r"（([一二三四五六七八九十]+)）(.*)", name)
        return (f"{parent_number}（{m.group(1)}）", m.group(2)) if m else (parent_number, name)
    return (f"{parent_number}{_sibling_index(graph, node)}" if parent_number else "", name)


def _en_section(graph: Lookup, node) -> tuple[str, str]:
    name = term_text(graph, node, RDFS.label, "en")
    m = re.match(r"(?:Part )?(\d+(?:\.\d+)*)[:.]?\s+(.*)", name)
    if not m:
        return "", name
    title = m.group(2)
    return m.group(1), title[:1].upper() + title[1:]


def place_parts(graph, place, lang: str = "zh") -> tuple[str, str]:
    """(number, title) of a section, table, figure or footnote: ("二（四）", "速卖通案例"), ("表1", "…")."""
    graph, place = lookup(graph), term(place)
    if _is_section(graph, place):
        return _zh_section(graph, place) if lang == "zh" else _en_section(graph, place)
    name = term_text(graph, place, RDFS.label, lang)
    for sep in ("：", ": "):
        head, found, rest = name.partition(sep)
        if found:
            return head.strip(), rest.strip()
    return name, ""


def _join(number: str, title: str, lang: str) -> str:
    if not number or not title:
        return number or title
    if lang == "zh" and all(c in ZH_DIGITS for c in number):
        return f"{number}、{title}"
    return number + title if number.endswith("）") else f"{number} {title}"


def place_title(graph, place, lang: str = "zh") -> str:
    """A place's number and title as a reader cites it: '二（四）速卖通案例', '表1：…', '脚注 12'."""
    graph, place = lookup(graph), term(place)
    if not _is_section(graph, place):
        return term_text(graph, place, RDFS.label, lang)
    return _join(*place_parts(graph, place, lang), lang)


def holding_place(graph, stat, source: str | None = None):
    """Of a statistic's places, the narrowest whose line span holds its offset (else its first place)."""
    graph, stat = lookup(graph), term(stat)
    places = sorted((p for p in graph.objects(stat, CBO.statedIn) if isinstance(p, NamedNode)), key=text)
    start = _int(graph, stat, CBO.charStart)
    if not places:
        return None
    if source is None or start is None:
        return places[0]
    line = line_of(source, start)
    holding: list[tuple[int, str, int]] = []
    for i, place in enumerate(places):
        lo, hi = _int(graph, place, CBO.lineStart), _int(graph, place, CBO.lineEnd)
        if lo is not None and hi is not None and lo <= line <= hi:
            holding.append((hi - lo, place.value, i))
    return places[min(holding)[2]] if holding else places[0]


# -- the sentence ----------------------------------------------------------------------------------

def _clean(raw: str) -> str:
    """Lines the PDF wrapped joined again (with a space only beside a Latin letter or digit)."""
    def joiner(m: re.Match) -> str:
        a = raw[m.start() - 1] if m.start() else ""
        b = raw[m.end()] if m.end() < len(raw) else ""
        return " " if (a.isascii() and a.isalnum()) or (b.isascii() and b.isalnum()) else ""
    return re.sub(r" {2,}", " ", WRAP.sub(joiner, raw))


def _bounds(text: str, start: int, end: int, rows: bool) -> tuple[int, int]:
    """Where the sentence holding text[start:end] begins and ends (exclusive), each side capped."""
    lo, hi = max(0, start - CAP * 3), min(len(text), end + CAP * 3)
    left, right = text[lo:start], text[end:hi]
    cut_left = max(left.rfind(c) for c in STOPS + ("\n" if rows else ""))
    para = list(PARAGRAPH.finditer(left))
    if para:
        cut_left = max(cut_left, para[-1].end() - 1)
    begin = lo + cut_left + 1 if cut_left >= 0 else lo
    stops = [i for i in (right.find(c) for c in STOPS) if i >= 0]
    if rows and "\n" in right:
        stops.append(right.index("\n") - 1)
    m = PARAGRAPH.search(right)
    if m:
        stops.append(m.start() - 1)
    finish = end + min(stops) + 1 if stops else hi
    return begin, finish


def _cap_left(s: str) -> str:
    s = s.lstrip()
    return s if len(s) <= CAP else "…" + s[-CAP:].lstrip()


def _cap_right(s: str) -> str:
    s = s.rstrip()
    return s if len(s) <= CAP else s[:CAP].rstrip() + "…"


def snippet(graph, stat_iri, source_text: Texts | str | None, lang: str = "zh") -> Snippet | None:
    """The sentence of its document holding statistic ``stat_iri``'s printed value; None without text or offset."""
    graph, stat = lookup(graph), NamedNode(text(stat_iri))
    if isinstance(source_text, Texts):
        source_text = source_text.for_statistic(graph, stat)
    if not source_text:
        return None
    start, end = _int(graph, stat, CBO.charStart), _int(graph, stat, CBO.charEnd)
    if start is None or end is None or not 0 <= start < end <= len(source_text):
        return None
    printed = graph.value(stat, CBO.printedValue)
    if printed is not None and source_text[start:end] != printed.value:
        return None
    place = holding_place(graph, stat, source_text)
    rows = place is not None and any(graph.has(place, RDF.type, c) for c in ROW_CLASSES)
    begin, finish = _bounds(source_text, start, end, rows)
    number, title = place_parts(graph, place, lang) if place is not None else ("", "")
    return Snippet(before=_cap_left(_clean(source_text[begin:start])), number=source_text[start:end],
                   after=_cap_right(_clean(source_text[end:finish])),
                   place_id=_local(place), section_number=number, section_title=title)


def _local(place) -> str:
    return place.value[len(CBR.iri):] if place is not None and place.value.startswith(CBR.iri) else ""
