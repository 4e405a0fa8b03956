"""Conflicts: figures for the same thing that disagree, each with both places.

Two kinds, both read from the built graph:

* **same figure, different values** — statistics with the same measure, the same subjects and the same period
  whose normalised values differ (within one document or across documents);
* **a total against its parts** — a statistic about several subjects whose value differs from the sum of the
  statistics with the same measure, unit and period about each of those subjects alone (表2's printed total
  against the sum of its rows). Shares are not added: only units other than per cent are summed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, URIRef

from kg.names import PREFIX_IRIS
from kg.present.labels import label
from kg.query.sources import ask

QUERY = f"""
PREFIX cbo: <{PREFIX_IRIS["cbo"]}>
""" + """SELECT ?s ?measure ?period ?value ?printed ?unit ?symbol ?about ?place WHERE {
  ?s a cbo:Statistic ; cbo:measure ?measure ; cbo:period ?period ; cbo:normalizedValue ?value ;
     cbo:printedValue ?printed ; cbo:unit ?unit ; cbo:about ?about .
  OPTIONAL { ?unit cbo:symbol ?symbol }
  OPTIONAL { ?s cbo:statedIn ?place }
}"""


@dataclass
class Figure:
    iri: str
    measure: str
    period: str
    value: Decimal
    printed: str
    unit: str
    symbol: str
    about: frozenset[str]
    places: tuple[str, ...]


@dataclass
class Conflict:
    kind: str              # "values differ" | "total differs from its parts"
    measure: str
    period: str
    about: tuple[str, ...]
    first: Figure
    second: Figure | None  # None for a total: the parts are in ``parts``
    parts: tuple[Figure, ...] = ()
    parts_sum: Decimal | None = None


def figures(graph: Graph) -> list[Figure]:
    rows: dict[str, dict] = {}
    for s, measure, period, value, printed, unit, symbol, about, place in ask(graph, QUERY).rows:
        row = rows.setdefault(s.value, {"first": (measure, period, value, printed, unit, symbol),
                                        "about": set(), "places": set()})
        row["about"].add(about.value)
        if place is not None:
            row["places"].add(place.value)
    out = []
    for iri, x in sorted(rows.items()):
        measure, period, value, printed, unit, symbol = x["first"]
        out.append(Figure(iri, measure.value, period.value, Decimal(value.value), printed.value, unit.value,
                          symbol.value if symbol is not None else "", frozenset(x["about"]), tuple(sorted(x["places"]))))
    return out


def differing(figs: list[Figure]) -> list[Conflict]:
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figs:
        groups[(f.measure, f.period, f.about)].append(f)
    out = []
    for (measure, period, about), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        for i, a in enumerate(members):
            out += [Conflict("values differ", measure, period, tuple(sorted(about)), a, b)
                    for b in members[i + 1:] if a.value != b.value]
    return out


def totals(figs: list[Figure]) -> list[Conflict]:
    single: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figs:
        if len(f.about) == 1:
            single[(f.measure, f.period, f.unit, next(iter(f.about)))].append(f)
    out = []
    for total in figs:
        if len(total.about) < 2 or total.symbol == "%":
            continue
        parts = [single.get((total.measure, total.period, total.unit, a), []) for a in sorted(total.about)]
        if not all(len(p) == 1 for p in parts):
            continue
        found = tuple(p[0] for p in parts)
        amount = sum((p.value for p in found), Decimal(0))
        if amount != total.value:
            out.append(Conflict("total differs from its parts", total.measure, total.period, tuple(sorted(total.about)),
                                total, None, found, amount))
    return out


def conflicts(graph: Graph) -> list[Conflict]:
    figs = figures(graph)
    return differing(figs) + totals(figs)


def _places(graph: Graph, f: Figure, lang: str) -> str:
    return "; ".join(label(graph, URIRef(p), lang) for p in f.places)


def report(graph: Graph, found: list[Conflict], lang: str = "zh") -> str:
    """One paragraph per conflict, each side with its printed value and places."""
    if not found:
        return "no conflicts\n"
    out = []
    for c in found:
        head = f"{c.kind}: {label(graph, URIRef(c.measure), lang)}, {c.period}"
        first = f"  {label(graph, URIRef(c.first.iri), lang)}: {c.first.printed} [{_places(graph, c.first, lang)}]"
        if c.second is not None:
            second = f"  {label(graph, URIRef(c.second.iri), lang)}: {c.second.printed} [{_places(graph, c.second, lang)}]"
        else:
            names = ", ".join(p.printed for p in c.parts)
            second = f"  sum of its {len(c.parts)} parts ({names}) = {_plain(c.parts_sum, c.first)}"
        out += [head, first, second]
    return "\n".join(out) + "\n"


def _plain(amount: Decimal | None, like: Figure) -> str:
    """A sum of normalised values written in the unit its total was printed in (``232,027``)."""
    try:
        factor = like.value / Decimal(like.printed.replace(",", ""))
    except (ArithmeticError, ValueError):
        return str(amount)
    return f"{(amount / factor).normalize():,}" if amount is not None and factor else str(amount)
