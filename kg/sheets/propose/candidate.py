"""A candidate statistic, in the fact sheet's own keys so that an accepted one drops into a sheet.

``value`` is the numeral as printed (a sheet's convention), ``printedValue`` the whole printed quantity with its
unit word, ``start``/``end`` its character offsets (``offset`` = ``start``, as grounding reads it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


@dataclass
class Candidate:
    start: int
    end: int
    printed: str
    value: str
    unit: str | None
    unit_word: str | None
    period: str | None
    about: list[str]
    sentence: str
    qualifiers: list[str] = field(default_factory=list)
    upper: str | None = None
    place: str | None = None
    table: dict | None = None
    normalized: float | None = None

    def block(self) -> dict:
        """The candidate as a sheet block (keys in a curator's reading order; empty ones left out)."""
        column = re.sub(r"\D", "", str((self.table or {}).get("column", "")))
        out: dict = {"id": f"cand-{self.start}" + (f"-{column}" if column else ""),
                     "class": "Statistic", "printedValue": self.printed, "value": self.value}
        optional = {"upperValue": self.upper, "unit": self.unit, "unitWord": self.unit_word,
                    "normalizedValue": self.normalized, "period": self.period,
                    "qualifier": self.qualifiers or None, "about": self.about or None, "place": self.place,
                    "offset": self.start, "start": self.start, "end": self.end, "sentence": self.sentence,
                    "table": {k: v for k, v in self.table.items() if v is not None} if self.table else None}
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


def normalise(value: str, unit: str | None, factors: dict[str, float]) -> float | None:
    """value x the unit's factor (亿美元: x 10^8; %: x 0.01), or None when either is unknown."""
    if unit is None or unit not in factors:
        return None
    try:
        product = Decimal(value.replace(",", "")) * Decimal(repr(factors[unit]))
    except InvalidOperation:
        return None
    return float(product)
