"""Numbers as the report prints them and as the graph writes them (no RDF library needed).

>>> decimal_text(parse_printed("1,234.50"))
'1234.5'
"""

from __future__ import annotations

from decimal import Decimal


def parse_printed(printed: str) -> Decimal:
    """A number as printed in the report (thousands separated by commas) as a decimal."""
    return Decimal(printed.replace(",", ""))


def decimal_text(number: Decimal) -> str:
    """Canonical xsd:decimal text: no exponent, no trailing zeros; also how results print a number.

    >>> decimal_text(Decimal("7.30")), decimal_text(Decimal("1E+3")), decimal_text(Decimal("0.000"))
    ('7.3', '1000', '0')
    """
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"
