"""The statistics explorer's data: every figure of the graph as a row, filtered, sorted and counted by facet.

The rows are read once from the graph the server holds (the property passes of ``statistics.csv``, see
:func:`kg.rdfio.export.statistic_rows`, so the explorer's CSV rows are the export's rows), each with its
sentence from the report (:mod:`kg.web.context`). A request then only filters, sorts and counts in memory.
The pages themselves are in :mod:`kg.web.statistics_pages`.

>>> years_of("2010/2019"), years_of("2020-01/2020-06"), years_of("2018"), years_of("")
((2010, 2019), (2020, 2020), (2018, 2018), None)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, URIRef

from kg.model.ontology import CBR, ancestors
from kg.present.labels import pick
from kg.rdfio.export import STAT_PROPERTIES, LabelIndex, statistic_rows, statistic_values
from kg.rdfio.serialize import store_of
from kg.web.context import Snippet, SourceTexts, place_parts, snippet

RES = str(CBR)
FILTERS = ("measure", "about", "period", "source", "place", "q")
COLUMNS = ("label", "about", "measure", "value", "unit", "normalized", "period", "qualifier", "source", "place")
FACETS = ("measure", "about", "year", "source", "part")
FACET_FILTER = {"measure": "measure", "about": "about", "year": "period", "source": "source", "part": "place"}
QUALIFIERS = {"approx": ("约", "about"), "over": ("超过", "over"), "nearly": ("近", "nearly"),
              "under": ("不足", "under"), "forecast": ("预测", "forecast"),
              "period-not-stated": ("未注明时期", "period not stated")}
YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Ref:
    """A node of the graph a row links to: its id (the IRI's local name) and its two labels."""

    id: str
    zh: str = ""
    en: str = ""
    number_zh: str = ""
    number_en: str = ""

    def name(self, lang: str) -> str:
        return pick({"zh": self.zh, "en": self.en}, lang, self.id)

    def number(self, lang: str) -> str:
        """A report part's number as a reader cites it ('表1', '二（四）', '2.4'), else ''."""
        return pick({"zh": self.number_zh, "en": self.number_en}, lang)


@dataclass
class Figure:
    """One statistic, as the explorer shows it."""

    id: str
    label: Ref
    about: tuple[Ref, ...]
    measure: Ref
    printed: str
    value: Decimal | None
    unit: Ref
    symbol: str
    normalized: Decimal | None
    base_unit: Ref
    period: str
    years: tuple[int, int] | None
    qualifiers: tuple[str, ...]
    sources: tuple[Ref, ...]
    places: tuple[Ref, ...]
    parts: tuple[Ref, ...]            # the top-level parts of the report holding its places
    within: frozenset[str]            # its places and every part holding them
    start: int | None
    row: list[str]                    # its row of statistics.csv
    sentence: Snippet | None = None

    def unit_name(self, lang: str) -> str:
        """The unit as printed in Chinese ('亿美元', '%'); in English its name unless the symbol is Latin."""
        if lang == "zh" or (self.symbol and self.symbol.isascii()):
            return self.symbol or self.unit.name(lang)
        return self.unit.name(lang)

    def qualifier_names(self, lang: str) -> list[str]:
        return [QUALIFIERS[q][lang == "en"] if q in QUALIFIERS else q for q in self.qualifiers]

    def text(self) -> str:
        """Both labels, case-folded, for ``q``."""
        return f"{self.label.zh}\n{self.label.en}".casefold()


def years_of(period: str) -> tuple[int, int] | None:
    """The first and last year a period ('2018', '2020-04-07', '2010/2019') covers; None if it names none."""
    found = [int(m.group()) for m in (YEAR.match(part.strip()) for part in period.split("/")) if m]
    return (min(found), max(found)) if found else None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text not in (None, "") else None
    except InvalidOperation:
        return None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.lstrip("-").isdigit() else None


@dataclass
class Table:
    """Every figure of a graph, with what the filters need to know about the values they may take."""

    figures: list[Figure]
    known: dict[str, set[str]] = field(default_factory=dict)
    refs: dict[str, Ref] = field(default_factory=dict)      # the nodes a filter may name, by id

    def name(self, value: str, lang: str) -> str:
        """What a filter's value names, in the reader's language (the value itself if it names no node)."""
        return self.refs[value].name(lang) if value in self.refs else value

    @classmethod
    def of(cls, graph: Graph, text: SourceTexts = None) -> Table:
        """The figures of ``graph``; with the report's ``text``, each with its sentence."""
        reader = _Reader(graph, text)
        figures = reader.figures()
        known = {"measure": {f.measure.id for f in figures},
                 "about": {a.id for f in figures for a in f.about},
                 "source": {s.id for f in figures for s in f.sources},
                 "place": {p for f in figures for p in f.within},
                 "period": {f.period for f in figures}}
        refs = {r.id: r for f in figures for r in (f.measure, *f.about, *f.sources)}
        refs.update((r.id, r) for r in reader.places.values())
        return cls(figures, known, refs)


class _Reader:
    """Reads the figures from the graph's store, one pass per property."""

    def __init__(self, graph: Graph, text: SourceTexts):
        self.graph, self.text = graph, text
        self.store = store_of(graph)
        self.index = LabelIndex(self.store)
        self.values = statistic_values(self.store, STAT_PROPERTIES + ("partOfReport",))
        self.first = {p: {s: min(v) for s, v in values.items()} for p, values in self.values.items()}
        self.places: dict[str, Ref] = {}

    def ref(self, iri: str | None) -> Ref:
        if not iri:
            return Ref("")
        return Ref(iri[len(RES):] if iri.startswith(RES) else iri, self.index.label(iri, "zh"), self.index.label(iri, "en"))

    def place(self, iri: str) -> Ref:
        if iri not in self.places:
            base = self.ref(iri)
            zh = place_parts(self.graph, URIRef(iri), "zh")[0]
            en = place_parts(self.graph, URIRef(iri), "en")[0]
            self.places[iri] = Ref(base.id, base.zh, base.en, zh, en)
        return self.places[iri]

    def holders(self, place: str) -> set[str]:
        """``place`` and the report parts holding it (the report itself, which no part holds, left out)."""
        parents = self.values["partOfReport"]
        return {n for n in ancestors(parents, place) if n in parents}

    def top(self, holders: set[str]) -> set[str]:
        """Of a place's holders, the parts directly under the report."""
        parents = self.values["partOfReport"]
        return {n for n in holders if not any(p in parents for p in parents[n])}

    def figures(self) -> list[Figure]:
        rows = {row[0]: row for row in statistic_rows(self.store, self.index)}
        return [self.figure(RES + key, row) for key, row in rows.items()]

    def figure(self, stat: str, row: list[str]) -> Figure:
        one, many = self.first, self.values
        unit = one["unit"].get(stat)
        places = sorted(many["statedIn"].get(stat, ()))
        within = set().union(*(self.holders(p) for p in places))
        parts = sorted(self.top(within))
        return Figure(
            id=row[0], label=self.ref(stat), about=tuple(sorted((self.ref(a) for a in many["about"].get(stat, ())),
                                                               key=lambda r: r.id)),
            measure=self.ref(one["measure"].get(stat)), printed=one["printedValue"].get(stat, ""),
            value=_decimal(one["value"].get(stat)), unit=self.ref(unit), symbol=one["symbol"].get(unit, "") if unit else "",
            normalized=_decimal(one["normalizedValue"].get(stat)),
            base_unit=self.ref((one["baseUnit"].get(unit) or unit) if unit else None),
            period=one["period"].get(stat, ""), years=years_of(one["period"].get(stat, "")),
            qualifiers=tuple(sorted(many["qualifier"].get(stat, ()))),
            sources=tuple(self.ref(s) for s in sorted(many["citesSource"].get(stat, ()))),
            places=tuple(self.place(p) for p in places), parts=tuple(self.place(p) for p in parts),
            within=frozenset(self.place(n).id for n in within),
            start=_int(one["charStart"].get(stat)), row=row,
            sentence=snippet(self.graph, URIRef(stat), self.text) if self.text else None)


# -- filters ----------------------------------------------------------------------------------------

def matches(figure: Figure, name: str, value: str) -> bool:
    """Whether ``figure`` passes the filter ``name=value``."""
    if name == "measure":
        return figure.measure.id == value
    if name == "about":
        return any(a.id == value for a in figure.about)
    if name == "source":
        return any(s.id == value for s in figure.sources)
    if name == "place":
        return value in figure.within
    if name == "period":
        if YEAR.fullmatch(value):
            return figure.years is not None and figure.years[0] <= int(value) <= figure.years[1]
        return figure.period == value
    if name == "q":
        return value.casefold() in figure.text()
    raise ValueError(f"unknown filter '{name}'")


def unknown(table: Table, name: str, value: str) -> str | None:
    """Why no figure can pass ``name=value`` when the value names nothing in the graph, else None."""
    if name == "q" or (name == "period" and YEAR.fullmatch(value)) or value in table.known.get(name, ()):
        return None
    hints = {"measure": "a measure's id, such as m-b2c-cb-sales", "about": "an entity's id, such as CN",
             "source": "a source's id, such as src-unctad-ecommerce-2018",
             "place": "a part of the report, such as table1 or s2-4",
             "period": "a year such as 2018, or a period as written, such as 2020-01/2020-06"}
    return f"no figure has {name} '{value}': give {hints[name]}"


def resolve(table: Table, name: str, value: str) -> str:
    """A filter's value as an id: an id stays; a label naming exactly one node of the filter's kind ('中国',
    'china') becomes that node's id; anything else stays as it is (and matches nothing)."""
    if name not in ("measure", "about", "source", "place") or value in table.known[name]:
        return value
    wanted = value.casefold()
    found = {i for i in table.known[name] if i in table.refs
             and wanted in (table.refs[i].zh.casefold(), table.refs[i].en.casefold())}
    return found.pop() if len(found) == 1 else value


def select(table: Table, filters: list[tuple[str, str]]) -> list[Figure]:
    """The figures passing every filter, in the report's order."""
    return [f for f in table.figures if all(matches(f, n, v) for n, v in filters)]


# -- sorting ----------------------------------------------------------------------------------------

def _names(refs, lang: str) -> str:
    return "; ".join(r.name(lang) for r in refs)


def sort_key(figure: Figure, column: str, lang: str):
    """The value of ``column`` a sort compares (numbers as numbers), or None when the figure has none."""
    keys = {
        "label": lambda f: f.label.name(lang).casefold(),
        "about": lambda f: _names(f.about, lang).casefold() or None,
        "measure": lambda f: f.measure.name(lang).casefold(),
        "value": lambda f: f.value,
        "unit": lambda f: f.unit_name(lang).casefold() or None,
        "normalized": lambda f: f.normalized,
        "period": lambda f: (f.years, f.period) if f.years else None,
        "qualifier": lambda f: " ".join(f.qualifier_names(lang)) or None,
        "source": lambda f: _names(f.sources, lang).casefold() or None,
        "place": lambda f: f.start,
    }
    return keys[column](figure)


def ordered(figures: list[Figure], column: str | None, descending: bool, lang: str) -> list[Figure]:
    """``figures`` sorted by ``column`` (ties in the report's order); figures without a value last either way."""
    base = sorted(figures, key=lambda f: (f.start is None, f.start or 0, f.id))
    if column is None:
        return base[::-1] if descending else base
    keyed = [(sort_key(f, column, lang), f) for f in base]
    present = [(k, f) for k, f in keyed if k is not None]
    present.sort(key=lambda kf: kf[0], reverse=descending)
    return [f for _, f in present] + [f for k, f in keyed if k is None]


# -- facets -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FacetValue:
    value: str          # what the filter takes
    label: str
    count: int


def facet_values(figures: list[Figure], facet: str, lang: str) -> list[FacetValue]:
    """How many of ``figures`` pass each value of ``facet``'s filter; most first (years in order)."""
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for f in figures:
        for value, label in _facet_items(f, facet, lang):
            counts[value] += 1
            labels[value] = label
    if facet == "year":
        order = sorted(counts, reverse=True)
    else:
        order = sorted(counts, key=lambda v: (-counts[v], labels[v].casefold(), v))
    return [FacetValue(v, labels[v], counts[v]) for v in order]


def _facet_items(f: Figure, facet: str, lang: str) -> list[tuple[str, str]]:
    if facet == "measure":
        return [(f.measure.id, f.measure.name(lang))]
    if facet == "about":
        return [(a.id, a.name(lang)) for a in f.about]
    if facet == "source":
        return [(s.id, s.name(lang)) for s in f.sources]
    if facet == "part":
        return [(p.id, p.name(lang)) for p in f.parts]
    if facet == "year":
        return [(str(y), str(y)) for y in range(f.years[0], f.years[1] + 1)] if f.years else []
    raise ValueError(f"unknown facet '{facet}'")


def facets(figures: list[Figure], lang: str) -> dict[str, list[FacetValue]]:
    return {name: facet_values(figures, name, lang) for name in FACETS}

