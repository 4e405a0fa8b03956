"""Numerals as printed: Arabic (``40,383``, ``-2.50``, ``1.69``) and Chinese (``一千八百六十二``, ``四``).

>>> chinese("一千八百六十二"), chinese("两"), chinese("十五"), chinese("三万")
(Decimal('1862'), Decimal('2'), Decimal('15'), Decimal('30000'))
"""

from __future__ import annotations

import re
from decimal import Decimal

#: an Arabic number as printed: thousands separators, a decimal part; a sign only where a table prints one
ARABIC = r"(?<![\d.,])(?:(?<=[\s(（])-)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: a run of Chinese numerals with at least one digit character
CHINESE = r"[零〇一二两三四五六七八九十百千]*[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}


def chinese(printed: str) -> Decimal:
    """The value of a Chinese numeral (一千八百六十二, 十五, 两, 三万, 四亿五千万); ValueError when it is none."""
    if not printed or not re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+", printed):
        raise ValueError(f"not a Chinese numeral: {printed!r}")
    total, section, digit = 0, 0, None
    for char in printed:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[char]
            digit = None
        else:   # 万, 亿: everything so far is multiplied
            section += digit or 0
            total = (total + section) * _LARGE[char]
            section, digit = 0, None
    return Decimal(total + section + (digit or 0))


def plain(value: Decimal) -> str:
    """A Decimal written without exponent or trailing zeros: 1.69E+12 -> '1690000000000'."""
    text = format(value.normalize(), "f")
    return text
