"""Tables: rows of a table's lines, each cell with its row and column headers and the table's period.

A table is a place of kind ``Table`` in the document (its caption and rows as line spans). Within those lines a
row is either a rank row (``1 中国 1000 4.0 7.3``, ranks counting up from 1) or a labelled row of numbers
(``美国 17.50% 15.00% -2.50%``). A cell's unit is its own ``%`` or the header's unit for its column
(``(亿美元)``, ``（百万美元）``); its period is its column's year when the header names years (``2018 年 2019 年
同比变动``: the change column spans them), else the caption's. A rank row whose cells are names (表3: one
best-selling category per year) gives one rank per year, each about the name in that year's cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.sheets.propose.candidate import Candidate
from kg.sheets.propose.entities import NameFinder
from kg.sheets.propose.periods import read
from kg.sheets.propose.units import UNIT_OF

_CAPTION = re.compile(r"^\s*表\s*\d+\s*[：:]")
_RANK_ROW = re.compile(r"^\s*(\d{1,2})\s+(?=\D)")
_CELL = re.compile(r"(?<!\S)-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?(?!\S)")
_HEADER_UNIT = re.compile(r"[(（]\s*(" + "|".join(map(re.escape, sorted(UNIT_OF, key=len, reverse=True))) + r")\s*[)）]")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?!\s*第)")   # not a journal's issue (2020 年第 5 期)
_CHANGE = re.compile(r"\S*(?:变动|变化|增减|增长)")


@dataclass
class Context:
    """What the lines above a row say: the caption's period, the header's units, column years and change."""

    period: str | None = None
    header: str = ""
    caption: str = ""

    def source_text(self) -> str:
        """The caption and the 数据来源 lines: whose table it is (表3: 全球速卖通)."""
        return self.caption + "".join(line for line in self.header.splitlines(keepends=True) if "来源" in line)


def _row_cells(line: str, skip_to: int) -> list[re.Match]:
    """Numeric cells at the end of a row (after its label)."""
    cells = [m for m in _CELL.finditer(line) if m.start() >= skip_to]
    trailing: list[re.Match] = []
    for m in reversed(cells):
        if line[m.end():(trailing[-1].start() if trailing else len(line))].strip():
            break
        trailing.append(m)
    return list(reversed(trailing))


def _names_row(line: str, rank: re.Match, ctx: Context) -> bool:
    """A rank row without numbers under a header of three or more years (表3): its cells are names."""
    return len(_YEAR.findall(ctx.header)) >= 3 and not _row_cells(line, rank.end())


def _labelled_row(line: str) -> bool:
    """A short label, then numbers to the end of the line (美国 17.50% 15.00% -2.50%); not prose ending in one."""
    cells = _row_cells(line, 0)
    if not cells or not re.match(r"^\s*[^\d\s-]", line):
        return False
    label = line[:cells[0].start()].strip()
    return len(label) <= 16 and not re.search(r"[，。；、：]", label)


def _header(k: int, years: list[str], ctx: Context, unit_word: str | None) -> str | None:
    """What the header says of column ``k``, as far as it can be read: its year, its change, or its unit."""
    if len(years) >= 2:
        change = _CHANGE.search(ctx.header)
        return f"{years[k]} 年" if k < len(years) else (change.group() if change else None)
    return f"({unit_word})" if unit_word else None


class TableReader:
    """Reads the rows of a document's tables into candidates."""

    def __init__(self, text: str, line_starts: list[int], finder: NameFinder, doc_year: int):
        self.text, self.starts, self.finder, self.year = text, line_starts, finder, doc_year
        self.lines = text.splitlines(keepends=True)

    def read(self, spans: list[tuple[int, int]]) -> tuple[list[Candidate], set[int]]:
        """Candidates from the rows in the given 1-based line spans, and the 0-based lines that were rows."""
        wanted = sorted({i for a, b in spans for i in range(a - 1, min(b, len(self.lines)))})
        out, rows, ctx, last_rank = [], set(), Context(), 0
        rank_rows: list[tuple[int, int, Context]] = []
        for i in wanted:
            line = self.lines[i]
            if _CAPTION.match(line):
                ctx, last_rank = Context(read(line, self.year), caption=line), 0
                continue
            rank = _RANK_ROW.match(line)
            if rank and int(rank.group(1)) in (last_rank + 1, 1):
                last_rank = int(rank.group(1))
                rows.add(i)
                rank_rows.append((i, last_rank, replace(ctx)))     # the header as it stands above this row
                if not _names_row(line, rank, ctx):
                    out += self._cells(i, line, rank.end(), ctx, rank)
            elif _labelled_row(line):
                rows.add(i)
                out += self._cells(i, line, 0, ctx, None)
            else:
                ctx.header += line
        out += self._name_cells(rank_rows, wanted)
        return out, rows

    def _cells(self, i: int, line: str, label_at: int, ctx: Context, rank: re.Match | None) -> list[Candidate]:
        cells = _row_cells(line, label_at)
        label_end = cells[0].start() if cells else len(line)
        label = line[label_at:label_end].strip()
        about = self._about(self.finder.near(label, 0), ctx)
        base = self.starts[i]
        out = []
        if rank:
            out.append(Candidate(base + rank.start(1), base + rank.end(1), rank.group(1), rank.group(1), "unit-rank",
                                 None, ctx.period, about, line.strip(), table={"row": label, "column": "排名"}))
        units = _HEADER_UNIT.findall(ctx.header)[-len(cells):] if cells else []
        years = _YEAR.findall(ctx.header)
        for k, m in enumerate(cells):
            token = m.group()
            unit_word = "%" if token.endswith("%") else (units[k] if k < len(units) and len(units) == len(cells) else None)
            value = token.rstrip("%")
            out.append(Candidate(base + m.start(), base + m.start() + len(value), token, value,
                                 UNIT_OF.get(unit_word) if unit_word else None, unit_word,
                                 self._column_period(k, years, ctx), about, line.strip(),
                                 table={"row": label, "column": k + 1, "header": _header(k, years, ctx, unit_word),
                                        "period": ctx.period}))
        return out

    def _about(self, named: list[str], ctx: Context) -> list[str]:
        """The entities a row or cell names, then those its table's caption and source name."""
        more = [i for _, ids in self.finder.in_order(ctx.source_text()) for i in ids]
        return named + [i for i in dict.fromkeys(more) if i not in named]

    def _column_period(self, k: int, years: list[str], ctx: Context) -> str | None:
        if len(years) < 2:
            return ctx.period
        if k < len(years):
            return years[k]
        return f"{years[0]}/{years[-1]}" if _CHANGE.search(ctx.header) else ctx.period

    def _name_cells(self, rank_rows: list[tuple[int, int, Context]], wanted: list[int]) -> list[Candidate]:
        """表3's shape: a rank row without numbers whose header names three or more years: one rank per year."""
        out = []
        for n, (i, rank, ctx) in enumerate(rank_rows):
            years = _YEAR.findall(ctx.header)
            row = _RANK_ROW.match(self.lines[i])
            if row is None or not _names_row(self.lines[i], row, ctx):
                continue
            end_line = rank_rows[n + 1][0] if n + 1 < len(rank_rows) else wanted[-1] + 1
            start = self.starts[i] + row.end()
            cells = self.finder.in_order(self.text[start:self.starts[end_line] if end_line < len(self.starts) else None])
            at = self.starts[i] + len(self.lines[i]) - len(self.lines[i].lstrip())
            for k, year in enumerate(years):
                out.append(Candidate(at, at + len(str(rank)), str(rank), str(rank), "unit-rank", None, year,
                                     self._about(cells[k][1] if k < len(cells) else [], ctx),
                                     f"{rank} {cells[k][0]}" if k < len(cells) else self.lines[i].strip(),
                                     table={"row": str(rank), "column": f"{year} 年", "period": ctx.period}))
        return out
