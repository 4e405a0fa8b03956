"""The second layer of a fact sheet's validation: its meaning, against the ontology.

The class and every property of a block must exist, every reference must name a
known id of a suitable class, every place must be a part of the report, strings
may hold no control characters. (The first layer, structure against
``facts/schema.json``, is ``kg.sheets.facts``.) Every problem names its file,
line and field.
"""

from __future__ import annotations

from kg.model.ontology import Vocabulary
from kg.names import PLACELESS
from kg.sheets.errors import Problem
from kg.sheets.facts import CONTROL, Fact, FactBase


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check_meaning(base: FactBase, vocab: Vocabulary) -> list[Problem]:
    """Check classes, properties, references and provenance against the ontology.

    Facts from a sheet in ``base.plain`` (its text has no escape and no control character) skip the search for
    control characters in their strings.
    """
    problems: list[Problem] = []

    def add(fact: Fact, key: str, message: str) -> None:
        problems.append(Problem(fact.file, fact.line_of(key), key, message))

    domain_ok: dict[tuple[str, str], bool] = {}
    range_ok: dict[tuple[str, str], bool] = {}
    for fact in base.facts.values():
        for key, value in fact.data.items() if fact.file not in base.plain else ():
            bad = next((m.group() for s in _strings(value) for m in [CONTROL.search(s)] if m), None)
            if bad is not None:
                add(fact, key, f"control character U+{ord(bad):04X} is not allowed (XML exports cannot carry it)")
        if fact.cls not in vocab.classes:
            add(fact, "class", f"unknown class '{fact.cls}'{vocab.suggest_class(fact.cls)}")
            continue
        if fact.cls not in PLACELESS and not fact.places():
            add(fact, "place", "no provenance: say where the report states this (a section, table, figure or footnote id)")
        for place in fact.places():
            _check_place(base, vocab, fact, "place", place, add)
        for key, value, places in fact.relations():
            if (key in vocab.object_properties or key in vocab.datatype_properties) and not _cached(domain_ok, (key, fact.cls), vocab.fits_domain):
                add(fact, key, f"{key} applies to a {vocab.domains[key]}, and '{fact.id}' is a {fact.cls}")
                continue
            if key in vocab.object_properties:
                target = base.facts.get(str(value))
                if target is None:
                    add(fact, key, f"unknown entity '{value}'")
                elif not _cached(range_ok, (key, target.cls), vocab.fits_range):
                    add(fact, key, f"'{value}' is a {target.cls}, but {key} expects {vocab.range_name(key)}")
                for place in places:
                    _check_place(base, vocab, fact, key, place, add)
            elif key in vocab.datatype_properties:
                message = vocab.literal_problem(key, value)
                if message:
                    add(fact, key, message)
            else:
                add(fact, key, f"unknown property '{key}'{vocab.suggest_property(key)}")
        if fact.cls == "Statistic" and "upperOffset" in fact.data and "upperValue" not in fact.data:
            add(fact, "upperOffset", "upperOffset given without upperValue")
    return problems


def _cached(cache: dict, key: tuple, compute) -> bool:
    found = cache.get(key)
    if found is None:
        found = cache[key] = compute(*key)
    return found


def _check_place(base: FactBase, vocab: Vocabulary, fact: Fact, key: str, place: str, add) -> None:
    target = base.facts.get(place)
    if target is None:
        add(fact, key, f"unknown place '{place}' (not a report section, table, figure or footnote id)")
    elif not vocab.is_subclass(target.cls, "ReportPart"):
        add(fact, key, f"place '{place}' is a {target.cls}, not a part of the report")
