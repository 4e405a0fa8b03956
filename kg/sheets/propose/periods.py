"""The period grammar: time expressions as the report prints them, read as sheet periods.

A period is ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END``. Expressions without a year (今年 5 月,
上半年, 一季度, 双 11, 1-9 月) take it from the document's date (今年, 去年) or from the last year printed before
them (``context``).

>>> read("2020 年 1-9 月", 2020), read("2020年上半年", 2020), read("今年 5月", 2020)
('2020-01/2020-09', '2020-01/2020-06', '2020-05')
>>> read("2010—2019 年", 2020), read("2010 年至今", 2020), read("一季度", 2020, context=2019)
('2010/2019', '2010/2020', '2019-01/2019-03')
>>> read("近 10 年", 2020)
'2010/2019'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.sheets.propose.numerals import chinese

_S = r"\s*"
_Y = r"(?P<y>(?:19|20)\d\d)" + _S + "年"
_M = r"(?P<m>1[0-2]|0?[1-9])" + _S + "月"
_MM = r"(?P<m1>1[0-2]|0?[1-9])" + _S + r"(?:月)?" + _S + r"(?:[-—–~～]|到|至)" + _S + r"(?P<m2>1[0-2]|0?[1-9])" + _S + "月"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])" + _S + "[日号]"
#: parts of a year, as (first month, last month)
PARTS = {
    "上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9), "全年": (1, 12),
    "一季度": (1, 3), "第一季度": (1, 3), "二季度": (4, 6), "第二季度": (4, 6), "上半": (1, 6),
    "三季度": (7, 9), "第三季度": (7, 9), "四季度": (10, 12), "第四季度": (10, 12),
}
_PART = "(?P<part>" + "|".join(sorted(map(re.escape, PARTS), key=len, reverse=True)) + ")"
_FESTIVAL = r"(?P<fest>“?(?:双\s*11|双\s*十一|6\s*[·.]\s*18|618)”?)"
_RELATIVE = r"(?P<rel>今年|去年|当年|同年|本年|迄今|至今)"
_SPAN = r"(?P<y1>(?:19|20)\d\d)" + _S + r"(?:年)?" + _S + r"(?:[-—–~～]|到|至)" + _S + r"(?P<y2>(?:19|20)\d\d)" + _S + "年"

#: the patterns, most specific first; each names what it reads
PATTERNS = [
    ("span", re.compile(_SPAN)),
    ("since", re.compile(_Y + _S + r"(?:至今|以来|起至今|以后|之后|后(?!期|半))")),
    ("ymm", re.compile(_Y + _S + _MM)),
    ("ymd", re.compile(_Y + _S + _M + _S + _D)),
    ("ym", re.compile(_Y + _S + _M)),
    ("ypart", re.compile(_Y + _S + _PART)),
    ("yfest", re.compile(_Y + _S + _FESTIVAL)),
    ("recent", re.compile(r"(?:近|过去|最近)" + _S + r"(?P<n>\d{1,2}|[一二两三四五六七八九十]+)" + _S + r"年(?!代)")),
    ("fiscal", re.compile(r"(?P<y>(?:19|20)\d\d)" + _S + "财年")),
    ("y", re.compile(_Y)),
    ("relfest", re.compile(_RELATIVE + _S + _FESTIVAL)),
    ("relmm", re.compile(_RELATIVE + _S + _MM)),
    ("relm", re.compile(_RELATIVE + _S + _M)),
    ("relpart", re.compile(_RELATIVE + _S + _PART)),
    ("rel", re.compile(_RELATIVE)),
    ("mm", re.compile(r"(?<![\d年])" + _MM)),
    ("m", re.compile(r"(?<![\d年.])" + _M + r"(?!" + _S + r"\d)")),
    ("part", re.compile(_PART)),
    ("fest", re.compile(_FESTIVAL)),
]


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    printed: str
    period: str
    year: int           # the year it is in (the last year of a span)


def _ym(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _months(year: int, first: int, last: int) -> str:
    return _ym(year, first) if first == last else f"{_ym(year, first)}/{_ym(year, last)}"


def _relative_year(word: str, doc_year: int, context: int | None) -> int:
    if word == "去年":
        return doc_year - 1
    if word in ("当年", "同年") and context:
        return context
    return doc_year


def _period(kind: str, g: dict, doc_year: int, context: int | None) -> tuple[str, int] | None:
    """The period and the year of one matched expression, or None when it has no year to stand on."""
    if kind == "recent":        # 近 10 年: the ten whole years before the document's
        n = int(g["n"]) if g["n"].isdigit() else int(chinese(g["n"]))
        return (f"{doc_year - n}/{doc_year - 1}" if n > 1 else str(doc_year - 1)), doc_year - 1
    if kind == "span":
        return f"{g['y1']}/{g['y2']}", int(g["y2"])
    year = int(g["y"]) if g.get("y") else (
        _relative_year(g["rel"], doc_year, context) if g.get("rel") else context)
    if year is None:
        return None
    if kind == "since":
        return f"{year}/{doc_year}", doc_year
    if g.get("m1"):
        return _months(year, int(g["m1"]), int(g["m2"])), year
    if g.get("d"):
        return f"{_ym(year, int(g['m']))}-{int(g['d']):02d}", year
    if g.get("m"):
        return _ym(year, int(g["m"])), year
    if g.get("part"):
        return _months(year, *PARTS[g["part"]]), year
    if g.get("fest"):
        return _ym(year, 6 if re.sub(r"\D", "", g["fest"]) == "618" else 11), year
    return str(year), year


def expressions(text: str, doc_year: int, start: int = 0, end: int | None = None,
                context: int | None = None) -> Iterator[TimeExpression]:
    """The time expressions in ``text[start:end]``, left to right, each read against the year before it."""
    pos, stop = start, len(text) if end is None else end
    nxt: dict[str, re.Match | None] = {}
    while pos < stop:
        best: tuple[str, re.Match] | None = None
        for kind, pattern in PATTERNS:
            if kind not in nxt or (nxt[kind] is not None and nxt[kind].start() < pos):  # type: ignore[union-attr]
                nxt[kind] = pattern.search(text, pos, stop)      # each pattern searched again only when passed
            m = nxt[kind]
            if m and (best is None or m.start() < best[1].start()):
                best = (kind, m)
        if best is None:
            return
        kind, m = best
        read_ = _period(kind, m.groupdict(), doc_year, context)
        if read_:
            context = read_[1]
            yield TimeExpression(m.start(), m.end(), m.group(), read_[0], read_[1])
        pos = m.end()


def read(printed: str, doc_year: int, context: int | None = None) -> str | None:
    """The period of one printed expression (the first one it holds), or None."""
    found = next(expressions(printed, doc_year, context=context), None)
    return found.period if found else None
