"""Every number in its sentence: the report's text around a statistic, and the name of the place holding it.

The graph records where each printed value starts and ends in the report's text (``cbo:charStart``,
``cbo:charEnd``) and the line span of every section, table, figure and footnote. The text itself stays
where it is (``../shared/sources``, or ``$CBEC_KG_SOURCE``) and is read at run time; nothing of it is
stored in the repository. Where the text is absent, or is not the text the graph was built from, there is
no snippet and pages simply leave the sentence out.

>>> _join("二（四）", "速卖通案例", "zh")
'二（四）速卖通案例'
>>> _join("二（二）2", "中美两大市场", "zh")
'二（二）2 中美两大市场'
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef

from kg.model.ontology import CBO
from kg.present.labels import text_in

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
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Texts(dict):
    """The documents' texts by document IRI, each checked against the digest the graph records for it."""

    def for_statistic(self, graph: Graph, stat) -> str | None:
        """The text of the document a statistic is stated in (its places lead up to one)."""
        for place in graph.objects(stat, CBO.statedIn):
            doc = document_node(graph, place)
            if doc is not None and doc in self:
                return self[doc]
        return None


#: what the pages hand to ``snippet``: every document's text, one text, or none
SourceTexts = Texts | str | None


def document_node(graph: Graph, place, seen: frozenset = frozenset()) -> URIRef | None:
    """The document (a ``cbo:Report``) a place belongs to, following ``cbo:partOfReport`` upwards."""
    if (place, RDF.type, CBO.Report) in graph:
        return URIRef(place)
    parent = graph.value(place, CBO.partOfReport)
    return None if parent is None or parent in seen else document_node(graph, parent, seen | {place})


def source_paths(root: Path, file_name: str | None = None) -> list[Path]:
    """Where a document's text may be: beside the project at ``root``, else beside this package's checkout.

    Without ``file_name``: the first document's text (``$CBEC_KG_SOURCE`` may point at it).
    """
    from kg.checks.grounding import default_source
    from kg.project import Project
    from kg.sheets.documents import sources_dir

    roots = [Path(root), Project.find().root]
    found = [sources_dir(r) / file_name for r in roots] if file_name else []
    if not file_name or file_name.startswith("ccg-"):
        found += [default_source(r) for r in roots]
    return list(dict.fromkeys(found))


def source_text(root: Path, graph: Graph | None = None) -> Texts | str | None:
    """The documents' texts for the project at ``root``; with ``graph``, only the texts it was built from.

    Without a graph, the first document's text as a string (or None).
    """
    if graph is None:
        return next((t for t in map(load_text, source_paths(root)) if t is not None), None)
    texts = Texts()
    for doc, digest in sorted(graph.subject_objects(CBO.sha256)):
        name = graph.value(doc, CBO.textFile)
        for path in source_paths(root, str(name) if name is not None else None):
            text = load_text(path)
            if text is not None and _sha256(text) == str(digest):
                texts[doc] = text
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

def _int(graph: Graph, node, prop) -> int | None:
    value = graph.value(node, prop)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _parent(graph: Graph, node):
    return graph.value(node, CBO.partOfReport)


def _is_section(graph: Graph, node) -> bool:
    return (node, RDF.type, CBO.Section) in graph


def _section_level(graph: Graph, node) -> int:
    level, parent = 1, _parent(graph, node)
    while parent is not None and _is_section(graph, parent) and level < 10:
        level, parent = level + 1, _parent(graph, parent)
    return level


def _sibling_index(graph: Graph, node) -> int:
    parent = _parent(graph, node)
    siblings = sorted((s for s in graph.subjects(CBO.partOfReport, parent) if _is_section(graph, s)),
                      key=lambda s: (_int(graph, s, CBO.lineStart) or 0, str(s)))
    return siblings.index(node) + 1


def _zh_section(graph: Graph, node) -> tuple[str, str]:
    name = text_in(graph, node, RDFS.label, "zh")
    level = _section_level(graph, node)
    if level == 1:
        head, sep, rest = name.partition("、")
        return (head, rest) if sep and head and all(c in ZH_DIGITS for c in head) else ("", name)
    parent_number = _zh_section(graph, _parent(graph, node))[0]
    if level == 2:
        m = re.match(r"（([一二三四五六七八九十]+)）(.*)", name)
        return (f"{parent_number}（{m.group(1)}）", m.group(2)) if m else (parent_number, name)
    return (f"{parent_number}{_sibling_index(graph, node)}" if parent_number else "", name)


def _en_section(graph: Graph, node) -> tuple[str, str]:
    name = text_in(graph, node, RDFS.label, "en")
    m = re.match(r"(?:Part )?(\d+(?:\.\d+)*)[:.]?\s+(.*)", name)
    if not m:
        return "", name
    title = m.group(2)
    return m.group(1), title[:1].upper() + title[1:]


def place_parts(graph: Graph, place, lang: str = "zh") -> tuple[str, str]:
    """(number, title) of a section, table, figure or footnote: ("二（四）", "速卖通案例"), ("表1", "…")."""
    if _is_section(graph, place):
        return _zh_section(graph, place) if lang == "zh" else _en_section(graph, place)
    name = text_in(graph, place, RDFS.label, lang)
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


def place_title(graph: Graph, place, lang: str = "zh") -> str:
    """A place's number and title as a reader cites it: '二（四）速卖通案例', '表1：…', '脚注 12'."""
    if not _is_section(graph, place):
        return text_in(graph, place, RDFS.label, lang)
    return _join(*place_parts(graph, place, lang), lang)


def holding_place(graph: Graph, stat, text: str | None = None) -> URIRef | None:
    """Of a statistic's places, the narrowest whose line span holds its offset (else its first place)."""
    places = sorted((p for p in graph.objects(stat, CBO.statedIn) if isinstance(p, URIRef)), key=str)
    start = _int(graph, stat, CBO.charStart)
    if not places:
        return None
    if text is None or start is None:
        return places[0]
    line = line_of(text, start)
    holding: list[tuple[int, str, URIRef]] = []
    for place in places:
        lo, hi = _int(graph, place, CBO.lineStart), _int(graph, place, CBO.lineEnd)
        if lo is not None and hi is not None and lo <= line <= hi:
            holding.append((hi - lo, str(place), place))
    return min(holding)[2] if holding else places[0]


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


def snippet(graph: Graph, stat_iri, source_text: Texts | str | None, lang: str = "zh") -> Snippet | None:
    """The sentence of its document holding statistic ``stat_iri``'s printed value; None without text or offset."""
    stat = URIRef(str(stat_iri))
    if isinstance(source_text, Texts):
        source_text = source_text.for_statistic(graph, stat)
    if not source_text:
        return None
    start, end = _int(graph, stat, CBO.charStart), _int(graph, stat, CBO.charEnd)
    if start is None or end is None or not 0 <= start < end <= len(source_text):
        return None
    printed = graph.value(stat, CBO.printedValue)
    if printed is not None and source_text[start:end] != str(printed):
        return None
    place = holding_place(graph, stat, source_text)
    rows = place is not None and any((place, RDF.type, c) in graph for c in ROW_CLASSES)
    begin, finish = _bounds(source_text, start, end, rows)
    number, title = place_parts(graph, place, lang) if place is not None else ("", "")
    return Snippet(before=_cap_left(_clean(source_text[begin:start])), number=source_text[start:end],
                   after=_cap_right(_clean(source_text[end:finish])),
                   place_id=_local(place), section_number=number, section_title=title)


def _local(place) -> str:
    from kg.model.ontology import CBR

    return str(place)[len(str(CBR)):] if place is not None and str(place).startswith(str(CBR)) else ""
