"""What is not a statistic: page numbers, footnote markers, list and heading numbers, numbering of tables and
figures, digits inside names (B2C, 3C, G20) and web addresses. (Years are dates: :mod:`quantities` leaves them
to :mod:`periods`.)

>>> text = "规模为 6750 亿美元。18\\n 13 \\n表 1：前十\\n第 45 次报告\\n1. B2B 占 80%"
>>> [text[s:e] for s, e in skipped_numbers(text)]
['18', '13', '1', '45', '1', '2']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_NUMBERING = re.compile(r"(?:表|图|案例|第|双|Top|TOP|top|No\.|P)\s*$")
URL = re.compile(r"https?://|www\.|\.html?\b|\.pdf\b|\.shtml\b")
_HEADING = re.compile(r"\s*\d{1,2}\s*[.．、]\s*(?!\d)")


def _marker(line: str, start: int, end: int) -> bool:
    """A footnote marker: alone on its line, or glued after 。，”) to the next word (。18 / 较低，15沿线)."""
    if not line[:start].strip() and not line[end:].strip():
        return True
    before = line[:start].rstrip()
    return bool(before) and before[-1] in "。，；”》）" and end - start <= 2 and not line[end:].strip()[:1].isdigit() \
        and not re.match(r"\s*(?:[%％年月日个次家种万亿倍人天])", line[end:])


def _skip(line: str, m: re.Match) -> bool:
    start, end = m.span()
    before, after = line[start - 1:start] if start else "", line[end:end + 1]
    if before.isascii() and before.isalpha() or after.isascii() and after.isalpha():
        return True                                     # B2C, 3C, 5G, G20
    if _NUMBERING.search(line[:start]) or _marker(line, start, end):
        return True
    return start == len(line) - len(line.lstrip()) and bool(_HEADING.match(line[start:]))


def skipped_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the numbers that are not statistics, whatever follows them."""
    pos = 0
    for line in text.splitlines(keepends=True):
        if URL.search(line):
            yield from ((pos + m.start(), pos + m.end()) for m in _NUMBER.finditer(line))
        else:
            yield from ((pos + m.start(), pos + m.end()) for m in _NUMBER.finditer(line) if _skip(line, m))
        pos += len(line)
