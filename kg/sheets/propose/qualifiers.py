"""Qualifiers: the words around a number that say it is approximate, a bound or a forecast.

Before the number: 近/接近/将近 (``nearly``), 超过/超/逾/突破 (``over``), 约/大约 (``approx``), 不到/不足/小于/
低于 (``under``); after it: 多/余/以上 (``over``), 左右 (``approx``), 以下/以内 (``under``); and 预计, 有望 or
将达到 earlier in its clause (``forecast``). The curators read 不超过 in a definition (从业人员不超过 400 人) as the
bound itself, not a qualifier, and so does this.

>>> qualifiers("平均增速接近 ", "", "")
['nearly']
>>> qualifiers("预计 2020 年将达到 ", "", "")
['forecast']
>>> qualifiers("已经拓展到全球 ", "以上的", "多")
['over']
"""

from __future__ import annotations

import re

_BEFORE = [
    ("nearly", re.compile(r"(?:接近|将近|近乎|几近|近)$")),
    ("over", re.compile(r"(?<!不)(?:超过|超出|逾|突破|多于|超)$")),
    ("approx", re.compile(r"(?:大约|约为|约有|大概|约)$")),
    ("under", re.compile(r"(?:不到|不足|少于|小于|低于)$")),
]
_AFTER = [
    ("over", re.compile(r"^(?:以上|多)")),
    ("approx", re.compile(r"^(?:左右|上下)")),
    ("under", re.compile(r"^(?:以下|以内)")),
]
_FORECAST = re.compile(r"预计|预测将|有望|将(?:会)?(?:达到|达|突破|增至|增长到)")
_CLAUSE_END = re.compile(r"[。；！？]")


def squeeze(text: str) -> str:
    """Text without whitespace: the PDF's line breaks fall inside words."""
    return re.sub(r"\s+", "", text)


def qualifiers(before: str, after: str, more: str) -> list[str]:
    """The qualifiers of a number given the text before it (its clause), after its unit, and 多/余 inside it."""
    near = squeeze(before)[-6:]
    found = [name for name, pattern in _BEFORE if pattern.search(near)]
    tail = squeeze(after)[:3]
    found += [name for name, pattern in _AFTER if pattern.search(tail) and name not in found]
    if more and "over" not in found:
        found.append("over")
    clause = _CLAUSE_END.split(squeeze(before))[-1]
    if _FORECAST.search(clause):
        found.append("forecast")
    return found
