"""The pipeline: a text in, candidate statistics out, in the text's order.

Tables are read first (their rows are not prose); every other number with a unit word is a prose candidate,
unless :mod:`skip` says it is a marker, a list or page number, or part of a name. Each candidate gets the period
of the nearest time expression before it in its sentence (else in the two sentences before; else the
document's year, marked ``period-not-stated``), its qualifiers, and the entities its sentence names.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from kg.sheets.propose.candidate import Candidate, normalise
from kg.sheets.propose.document import Knowledge, Place, choose_document, document_year
from kg.sheets.propose.entities import NameFinder
from kg.sheets.propose.periods import expressions
from kg.sheets.propose.qualifiers import qualifiers
from kg.sheets.propose.quantities import Quantity, quantities
from kg.sheets.propose.skip import URL, skipped_numbers
from kg.sheets.propose.tables import TableReader

_SENTENCE_END = re.compile(r"[。！？；]")
#: a table's or figure's caption, or a source line under one
_CAPTION = re.compile(r"\s*(?:(?:表|图)\s*\d+\s*[：:]|数据来源\s*[：:])")
#: a heading on its own line: 三、…, （一）…, 3.… (short, no comma or full stop)
_HEADING = re.compile(r"(?m)^[ \t]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}\s*[.．](?!\d))[^\n。，]{0,40}\n")
TABLE_LINES = 400    # how far a caption's table may run when the sheets give no table spans
REACH = 600     # the longest stretch read as one sentence, either side of a number


class Proposer:
    """Proposes the statistics of one text; ``document`` is the document it is (for places and 今年)."""

    def __init__(self, text: str, know: Knowledge, document: str | None = None):
        self.text, self.know = text, know
        self.document = choose_document(know, text, document)
        self.year = document_year(know, self.document, text)
        self.finder = NameFinder(know.names)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.places: list[Place] = know.places.get(self.document or "", [])
        self._footnote_cache: dict[int, str | None] = {}
        self.rows: set[int] = set()

    def line_of(self, offset: int) -> int:
        """0-based line of an offset."""
        return bisect_right(self.line_starts, offset) - 1

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``text[start:end]``: from after the last 。！？； to the next one, at most REACH."""
        lo = max(0, start - REACH)
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text, lo, start)]
        ends += [m.end() for m in _HEADING.finditer(self.text, lo, start)]      # a heading ends what is above it
        after = _SENTENCE_END.search(self.text, end, min(len(self.text), end + REACH))
        return (max(ends) if ends else lo), (after.end() if after else min(len(self.text), end + REACH))

    def place_of(self, offset: int) -> str | None:
        """The narrowest table, figure, footnote or section holding the offset's line."""
        line = self.line_of(offset) + 1
        holding = [p for p in self.places if p.line_start <= line <= p.line_end]
        if not holding:
            return None
        return min(holding, key=lambda p: (p.line_end - p.line_start, p.cls == "Section")).id

    def footnote_of(self, offset: int) -> str | None:
        """The footnote an offset lies in, if any."""
        line = self.line_of(offset) + 1
        if line not in self._footnote_cache:
            self._footnote_cache[line] = self._footnote_at(line)
        return self._footnote_cache[line]

    def _footnote_at(self, line: int) -> str | None:
        return next((p.id for p in self.places if p.cls == "Footnote" and p.line_start <= line <= p.line_end), None)

    def footnote_numbers(self) -> set[int]:
        """Offsets of footnotes' own numbers (the number opening a footnote's first line)."""
        found = set()
        for p in self.places:
            if p.cls == "Footnote" and p.line_start - 1 < len(self.line_starts):
                at = self.line_starts[p.line_start - 1]
                m = re.compile(r"\s*(\d+)").match(self.text, at)
                found |= {m.start(1)} if m else set()
        return found

    def period(self, start: int, sent_start: int) -> tuple[str, bool]:
        """The period of a number at ``start`` and whether the text states it."""
        ends = [m.end() for m in _SENTENCE_END.finditer(self.text, max(0, sent_start - 2 * REACH), sent_start)]
        earlier = ends[-3] if len(ends) >= 3 else max(0, sent_start - 2 * REACH)
        own = self.footnote_of(start)
        found = [e for e in expressions(self.text, self.year, max(0, earlier - REACH), start)
                 if self.footnote_of(e.start) == own]      # a footnote's dates are its own
        for limit in (sent_start, earlier):
            inside = [e for e in found if e.start >= limit]
            if inside:
                return inside[-1].period, True
        return str(self.year), False

    def own_text(self, start: int, end: int, at: int) -> str:
        """``text[start:end]`` with the lines that are not the number's own prose blanked (same length): other
        footnotes, table rows, captions and source lines, page numbers and web addresses (and their continuation
        lines) the PDF put inside the sentence."""
        own, pieces, pos = self.footnote_of(at), [], start
        for line in range(self.line_of(start), self.line_of(max(start, end - 1)) + 1):
            lo, hi = max(start, self.line_starts[line]), min(end, self._line_end(line))
            piece = self.text[pos:hi]
            foreign = (self.footnote_of(lo) != own or line in self.rows or not piece.strip(" 0123456789\n")
                       or bool(URL.search(piece) or _CAPTION.match(piece))
                       or bool(re.fullmatch(r"\s*[\x21-\x7e]+\s*", piece)) and own is None)
            pieces.append(re.sub(r"[^\n]", " ", piece) if foreign and not lo <= at < hi else piece)
            pos = hi
        return "".join(pieces) + self.text[pos:end]

    def _line_end(self, line: int) -> int:
        return self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)

    def prose(self, q: Quantity) -> Candidate:
        s, e = self.sentence(q.start, q.end)
        period, stated = self.period(q.start, s)
        text = self.own_text(s, e, q.start)
        quals = qualifiers(text[:q.start - s], self.text[q.end:q.end + 6], "多" if q.more else "")
        quals += [] if stated else ["period-not-stated"]
        return Candidate(q.start, q.start + len(q.printed) - len(q.printed.lstrip()) + _numeral_len(q), q.printed,
                         q.value, q.unit, q.unit_word, period, self.finder.near(text, q.start - s),
                         readable(text), quals, q.upper)

    def caption_spans(self) -> list[tuple[int, int]]:
        """Tables of a text the sheets do not describe: from each caption (表 N：) to the next, at most TABLE_LINES."""
        starts = [i + 1 for i in range(len(self.line_starts))
                  if re.match(r"\s*表\s*\d+\s*[：:]", self.text[self.line_starts[i]:self._line_end(i)])]
        ends = starts[1:] + [len(self.line_starts) + 1]
        return [(a, min(b - 1, a + TABLE_LINES)) for a, b in zip(starts, ends)]

    def run(self) -> list[Candidate]:
        spans = [(p.line_start, p.line_end) for p in self.places if p.cls == "Table"] or self.caption_spans()
        cells, self.rows = TableReader(self.text, self.line_starts, self.finder, self.year).read(spans)
        rows = self.rows
        skipped = {s for s, _ in skipped_numbers(self.text)} | self.footnote_numbers()
        out = [c for c in cells if c.start not in skipped or c.unit == "unit-rank"]
        for q in quantities(self.text):
            if q.start in skipped or self.line_of(q.start) in rows:
                continue
            out.append(self.prose(q))
        for c in out:
            c.place = c.place or self.place_of(c.start)
            c.normalized = normalise(c.value, c.unit, self.know.factors)
        return sorted(out, key=lambda c: (c.start, str(c.period)))


def readable(text: str) -> str:
    """A sentence as one line: the PDF's line breaks dropped between Chinese characters, a space kept between
    Latin words (Internet Trends / Report)."""
    out = ""
    for piece in (line.strip() for line in text.splitlines()):
        if piece:
            latin = out and out[-1].isascii() and out[-1].isalnum() and piece[0].isascii() and piece[0].isalnum()
            out += (" " if latin else "") + piece
    return out


def _numeral_len(q: Quantity) -> int:
    """Length of the numeral that opens a quantity (the candidate's ``end`` is the value's end, as printed)."""
    m = re.match(r"-?[\d,]+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+", q.printed)
    return len(m.group()) if m else len(q.printed)


def propose(text: str, know: Knowledge, document: str | None = None) -> list[Candidate]:
    """Candidate statistics of ``text``: see :class:`Proposer`."""
    return Proposer(text, know, document).run()
