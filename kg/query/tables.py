"""Results as a person reads them in a terminal: aligned columns, CJK characters two columns wide.

>>> print(table_text(["country", "sales"], [["中国", "1000"], ["美国", "850"]]))
country  sales
-------  -----
中国     1000
美国     850
(2 rows)
"""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_text(names: list[str], body: list[list[str]]) -> str:
    """Rows of display strings under their column names, and the row count."""
    widths = [max([width(n)] + [width(row[i]) for row in body]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out)
