"""The number-and-unit grammar: a numeral, an optional range, an optional 多/余, and a unit word.

Line breaks may fall anywhere (the text comes from a PDF), so whitespace is allowed between the parts. A year
before 年 (``2018 年``, ``2010-2019 年``) is a date, not a quantity; a number before 月, 日, 后 or no unit word at
all is not a quantity of prose (tables read their cells in :mod:`kg.sheets.propose.tables`).

>>> [(q.printed, q.value, q.upper, q.unit_word) for q in quantities("规模为 6750 亿美元，增速 40%-50%以上")]
[('6750 亿美元', '6750', None, '亿美元'), ('40%-50%', '40', '50', '%')]
>>> [q.printed for q in quantities("2020 年 1-9 月，增长 17%")]
['17%']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kg.sheets.propose.numerals import ARABIC, CHINESE, chinese, plain
from kg.sheets.propose.units import CURRENCY_TAIL, TENTHS, UNIT_OF, UNIT_WORD

NUMERAL = re.compile(f"{ARABIC}|{CHINESE}")
_TAIL = re.compile(rf"\s*(?:(?P<more>[多余])\s*)?(?P<unit>{UNIT_WORD})(?:{CURRENCY_TAIL})?")
_RANGE = re.compile(rf"\s*(?P<pct>[%％])?(?:[-—–~～]|\s*(?:到|至)\s*)(?P<upper>{ARABIC}|{CHINESE})"
                    rf"\s*(?:(?P<more>[多余])\s*)?(?P<unit>{UNIT_WORD})(?:{CURRENCY_TAIL})?")
#: units a Chinese numeral may take (一条龙, 三个特征 are words, not statistics)
CHINESE_UNITS = {"万亿美元", "亿美元", "百万美元", "万美元", "美元", "万亿元", "亿元", "万元", "万亿", "亿", "万", TENTHS}
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit word as printed; ``start``/``end`` are offsets in the text."""

    start: int
    end: int
    printed: str
    value: str               # the numeral as printed (Arabic), or its value (Chinese)
    upper: str | None        # the upper end of a range (40%-50%, 5-7 天)
    unit_word: str
    more: bool               # 200 多个: "over"

    @property
    def unit(self) -> str | None:
        return UNIT_OF.get(self.unit_word)


def _value(printed: str, unit_word: str) -> str:
    """The numeral's value as a sheet writes it: Arabic as printed, Chinese converted (四成 -> 40)."""
    if printed[0].isdigit() or printed[0] == "-":
        return printed
    value = chinese(printed) * (10 if unit_word == TENTHS else 1)
    return plain(Decimal(value))


def _is_date(number: str, upper: str | None, unit_word: str) -> bool:
    """2018 年, 2010-2019 年: years, which periods read (and 241992 年: a marker glued to one)."""
    if unit_word != "年":
        return False
    return len(number) >= 4 if upper is None else bool(_YEAR.fullmatch(number) and _YEAR.fullmatch(upper))


def read_at(text: str, m: re.Match) -> Quantity | None:
    """The quantity that starts with numeral ``m``, or None when no unit word follows it."""
    end = m.end()
    tail = _RANGE.match(text, end) or _TAIL.match(text, end)
    if not tail:
        return None
    unit_word, upper = tail.group("unit"), tail.groupdict().get("upper")
    if tail.groupdict().get("pct") and unit_word not in "%％":
        return None                             # 40%-50 个: not one range
    if _is_date(m.group(), upper, unit_word) or unit_word == "年" and text.startswith("代", tail.end()):
        return None                             # a year; 60 年代 is a decade
    chinese_numeral = not (m.group()[0].isdigit() or m.group()[0] == "-")
    if chinese_numeral and (unit_word not in CHINESE_UNITS or text[max(0, m.start() - 1):m.start()] in ("数", "几")):
        return None                             # 数十亿, 几万: no number
    if not chinese_numeral and unit_word == TENTHS:
        return None                             # 3成 is not printed so
    upper_value = None if upper is None else _value(upper, unit_word)
    printed = text[m.start():tail.end()]
    return Quantity(m.start(), tail.end(), printed, _value(m.group(), unit_word), upper_value, unit_word,
                    bool(tail.group("more")))


def quantities(text: str, start: int = 0, end: int | None = None) -> Iterator[Quantity]:
    """Every quantity in ``text[start:end]``, left to right; a range's upper end is not read again."""
    pos = start
    stop = len(text) if end is None else end
    while True:
        m = NUMERAL.search(text, pos, stop)
        if not m:
            return
        found = read_at(text, m)
        if found:
            yield found
            pos = found.end
        else:
            pos = m.end()
