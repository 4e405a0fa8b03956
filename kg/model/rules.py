"""Derived values: what the graph states that no fact sheet writes down, each rule by name.

The mapping (``kg.model.mapping``) writes what a block says; where it writes a
value computed from the block, or from other blocks, it calls one of these:

* ``parse_printed`` — a number as the report prints it ("1,000", "7.3") as a decimal;
* ``decimal_text`` — a decimal in canonical ``xsd:decimal`` form (no exponent, no trailing zeros);
* ``normalize`` — a figure in its unit's base unit (亿美元 -> US$: times the unit's ``factor``);
* ``year_of`` — the calendar year of a period, when the period lies within one year;
* ``inherited_sources`` — the sources a figure inherits from the table or footnote that states it;
* ``statement_record`` — the reified ``rdf:Statement`` of a relation that has a place of its own.

>>> decimal_text(normalize(parse_printed("1,000"), {"factor": 100000000}))
'100000000000'
>>> year_of("2018"), year_of("2019-01/2019-06"), year_of("2015/2018")
(2018, 2019, None)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kg.model.numbers import decimal_text, parse_printed  # noqa: F401 - named rules, kept in a module of their own
from kg.model.ontology import CBR
from kg.sheets.facts import Fact, FactBase, as_list


def normalize(value: Decimal, unit: Mapping[str, Any]) -> Decimal:
    """``value`` in the base unit of ``unit`` (a Unit block's data: its ``factor``, 1 when it has none)."""
    return value * Decimal(str(unit.get("factor", 1)))


def year_of(period: str) -> int | None:
    """The year of a period ``YYYY[-MM[-DD]][/YYYY[-MM[-DD]]]``, or None when it spans more than one year."""
    start, _, end = period.partition("/")
    if not end or end[:4] == start[:4]:
        return int(start[:4])
    return None


def inherited_sources(fact: Fact, base: FactBase) -> list[str]:
    """"On whose data?": a figure that names no ``citesSource`` inherits the sources its table or footnote cites."""
    if "citesSource" in fact.data:
        return []
    return [source for place in fact.places() for source in as_list(base.facts[place].data.get("cites"))]


@dataclass(frozen=True)
class StatementRecord:
    """A relation ``subject prop target`` written as an ``rdf:Statement``, so its places can be stated."""

    iri: str
    subject: str
    prop: str
    target: str
    places: tuple[str, ...]


def statement_iri(subject: str, prop: str, target: str) -> str:
    """A stable IRI for the statement of one relation: a digest of its three parts."""
    digest = hashlib.sha1(f"{subject} {prop} {target}".encode()).hexdigest()[:12]
    return str(CBR[f"statement-{subject}-{digest}"])


def statement_record(subject: str, prop: str, target: str, places: list[str]) -> StatementRecord | None:
    """The statement record of a relation, when the relation has places of its own (else None)."""
    if not places:
        return None
    return StatementRecord(statement_iri(subject, prop, target), subject, prop, target, tuple(places))
