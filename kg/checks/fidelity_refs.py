"""Fidelity checks on what figures point to: subjects (1), sources (6), codes and groupings (8). See
kg.checks.fidelity."""

from __future__ import annotations

import re

from kg.checks.fidelity_base import (
    CLAUSE_END,
    SENTENCE_END,
    _flat,
    cited_sources,
    label,
    named,
    named_in,
    names,
    refs,
    sentence,
    statistics,
)
from kg.checks.grounding import SourceText
from kg.model.ontology import Vocabulary
from kg.sheets.facts import Fact, FactBase, as_list

# --- 6. sources ----------------------------------------------------------------------------------------------

ATTRIBUTION = re.compile(r"据([^，。；]{1,30}?)(?:的数据|数据|统计|预测|透露|调查)|"
                         r"([^，。；]{1,30}?)(?:的数据显示|数据显示|统计数据显示|统计显示|预测)")


def check_uncited_sources(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """Every source is cited: by a fact's ``citesSource`` (its own, or a statistic's inherited from its place) or
    by a part of the report (``cites``)."""
    cited: set[str] = set()
    for fact in base.facts.values():
        cited |= cited_sources(base, fact) | set(refs(fact.data.get("cites")))
    for fact in base.of_class("Source"):
        if fact.id not in cited:
            yield fact, "id", "no statistic, claim or part of the report cites this source"


def _footnote_works(base: FactBase) -> set[str]:
    return {s for f in base.of_class("Footnote") for s in refs(f.data.get("cites"))}


def check_attributions(base: FactBase, source: SourceText, vocab: Vocabulary):
    """A figure in running text whose sentence says whose data it is ("商务部数据显示", "据中国海关统计") cites
    that body's data: a source it publishes other than a footnote's work."""
    works = _footnote_works(base)
    bodies = named([f for f in base.facts.values() if f.cls in vocab.classes and vocab.is_subclass(f.cls, "Organization")])
    data_of: dict[str, set[str]] = {}
    for src in base.of_class("Source"):
        if src.id not in works:
            for publisher in refs(src.data.get("publishedBy")):
                data_of.setdefault(publisher, set()).add(src.id)
    for fact in statistics(base):
        if "offset" not in fact.data or any(base.facts[p].cls != "Section" for p in fact.places() if p in base.facts):
            continue
        for m in ATTRIBUTION.finditer(sentence(source, fact.data["offset"])):
            said = m.group(1) or m.group(2)
            for body in named_in(said, bodies):
                if not data_of.get(body.id):
                    yield fact, "citesSource", (f"the report gives the figure as {label(body)}'s data ('{said}'), "
                                                f"and no source holds {body.id}'s data (add one, publishedBy: {body.id})")
                elif not data_of[body.id] & cited_sources(base, fact):
                    yield fact, "citesSource", (f"the report gives the figure as {label(body)}'s data ('{said}'): "
                                                f"cite {' or '.join(sorted(data_of[body.id]))} as well")


TOP_KINDS = ("Agent", "Platform", "Brand", "Service", "Concept", "Place", "Policy", "Agreement", "Event",
             "Statistic", "Measure", "Unit", "Report", "ReportPart", "Source")


def _kinds(base: FactBase, vocab: Vocabulary, fact: Fact) -> set[str]:
    return {kind for ref in refs(fact.data.get("about")) if ref in base.facts
            for kind in TOP_KINDS if vocab.is_subclass(base.facts[ref].cls, kind)}


def check_measure_reuse(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """One measure, one quantity: the statistics of a measure describe things of one kind (no kind is common to
    all of their subjects, e.g. a platform's countries and a warehouse network's countries, is a reused measure)."""
    by_measure: dict[str, list[Fact]] = {}
    for fact in statistics(base):
        by_measure.setdefault(str(fact.data.get("measure")), []).append(fact)
    for measure, facts in by_measure.items():
        common = set(TOP_KINDS)
        for fact in facts:
            kinds = _kinds(base, vocab, fact)
            if not common & kinds:
                first = facts[0]
                yield fact, "measure", (f"measure '{measure}' already holds figures about a {'/'.join(sorted(common))} "
                                        f"({first.id}); this one is about a {'/'.join(sorted(kinds))}: "
                                        "a different quantity needs its own measure")
                break
            common &= kinds


# --- 8. codes ------------------------------------------------------------------------------------------------

#: UN M49 codes of the geographic regions (https://unstats.un.org/unsd/methodology/m49/), by English name; the
#: report's names that mean the same region are listed as well. Groupings (ASEAN, the EU, the Belt and Road) and
#: the report's own areas (Asia-Pacific, the Middle East) have no M49 code.
M49 = {
    "World": "001", "Africa": "002", "Americas": "019", "Asia": "142", "Europe": "150", "Oceania": "009",
    "Latin America and the Caribbean": "419", "Northern America": "021", "North America": "021",
    "Eastern Asia": "030", "East Asia": "030", "South-eastern Asia": "035", "Southeast Asia": "035",
    "Southern Asia": "034", "Western Asia": "145", "Central Asia": "143", "Eastern Europe": "151",
    "Western Europe": "155", "Northern Europe": "154", "Southern Europe": "039", "Northern Africa": "015",
    "Sub-Saharan Africa": "202", "Caribbean": "029", "Central America": "013", "South America": "005",
}
GROUP_LINKS = ("memberOf", "partOf")


def check_codes(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """Countries carry an ISO 3166-1 code that ``pycountry`` knows (and their id is that code); regions whose
    name is an M49 region carry its code, and no other code."""
    import pycountry  # lazy: 77 ms to import, for this check alone

    for fact in base.of_class("Country"):
        code = fact.data.get("isoCode")
        if code is None:
            yield fact, "isoCode", "a country needs its ISO 3166-1 code (isoCode)"
        elif pycountry.countries.get(alpha_2=str(code)) is None:
            yield fact, "isoCode", f"'{code}' is not an ISO 3166-1 alpha-2 code"
        elif fact.id != code:
            yield fact, "id", f"a country's id is its ISO 3166 code ('{code}')"
    for fact in base.of_class("Region"):
        english = [fact.data["label"].get("en", "")] + list((fact.data.get("aliases") or {}).get("en", []))
        due = {M49[name] for name in english if name in M49}
        code = fact.data.get("m49Code")
        if code is not None and str(code) not in M49.values():
            yield fact, "m49Code", f"'{code}' is not a UN M49 region code"
        elif due and str(code) not in due:
            yield fact, "m49Code", f"{english[0]} is an M49 region: m49Code {' or '.join(sorted(due))}"
        elif code is not None and not due:
            yield fact, "m49Code", f"m49Code {code} is given, but '{english[0]}' is not that M49 region's name"


def check_group_members(base: FactBase, source: SourceText, vocab: Vocabulary):
    """A place is put in a region or grouping (memberOf, partOf) only at a place of the report with a sentence that
    names both."""
    for fact in base.facts.values():
        if not vocab.is_subclass(fact.cls, "Place") if fact.cls in vocab.classes else True:
            continue
        for key in GROUP_LINKS:
            for item in as_list(fact.data.get(key)):
                target = base.facts.get(item["ref"] if isinstance(item, dict) else str(item))
                if target is None or target.cls != "Region":
                    continue
                places = as_list(item.get("place")) if isinstance(item, dict) else []
                if not places:
                    yield fact, key, f"{key} {target.id}: say where the report puts it there ({{ref: {target.id}, place: …}})"
                    continue
                for place in places:
                    part = base.facts.get(place)
                    if part is None or "lineStart" not in part.data:
                        continue
                    lo, hi = source.span(part.data["lineStart"], part.data["lineEnd"])
                    sentences = re.split(f"[{SENTENCE_END}]", _flat(source.text[lo:hi]))
                    if not any(_names_any(fact, s) and _names_any(target, s) for s in sentences):
                        yield fact, key, (f"{key} {target.id} at {place}: no sentence of {place} names both "
                                          f"{label(fact)} and {label(target)}")


def _names_any(fact: Fact, text: str) -> bool:
    return any(name in text for name in names(fact))


# --- 1. subjects ---------------------------------------------------------------------------------------------

#: the kinds of thing a figure can be about that a name in its label or clause points to (business models and
#: concepts such as B2C are named in nearly every label, as the field, not the subject)
SUBJECT_KINDS = ("Place", "Platform", "Brand", "Service", "Agent", "ProductCategory", "ConsumerGroup", "Event",
                 "Policy")


def _subject_candidates(base: FactBase, vocab: Vocabulary) -> list[Fact]:
    return [f for f in base.facts.values()
            if f.cls in vocab.classes and any(vocab.is_subclass(f.cls, kind) for kind in SUBJECT_KINDS)]


def check_subjects(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """A figure is about every entity its label, or the clause it is printed in, names: a product, a platform,
    a channel, a surveyed group, a place. Not counted: names that are part of the measure's own name
    ("全球占比"), and bodies named as whose data it is ("据…统计")."""
    candidates = named(_subject_candidates(base, vocab))
    for fact in statistics(base):
        about = set(refs(fact.data.get("about")))
        text = label(fact)
        running = all(base.facts[p].cls == "Section" for p in fact.places() if p in base.facts)
        if source is not None and "offset" in fact.data and running:
            text += " " + sentence(source, fact.data["offset"], CLAUSE_END + "、")
        measure = base.facts.get(str(fact.data.get("measure")))
        measure_name = label(measure) if measure else ""
        sources = {base.facts[s].id for s in cited_sources(base, fact) if s in base.facts}
        publishers = {p for s in sources for p in refs(base.facts[s].data.get("publishedBy"))}
        said = " ".join(m.group(1) or m.group(2) for m in ATTRIBUTION.finditer(text))
        covered = {name for ref in about if ref in base.facts for name in names(base.facts[ref])}
        for entity in named_in(text, candidates):
            hit = [n for n in names(entity) if n in text]
            if entity.id in about or entity.id in publishers or any(n in covered for n in hit):
                continue
            if any(n in measure_name or n in said for n in hit):
                continue
            yield fact, "about", f"names {label(entity)} ({entity.id}, '{hit[0]}'), which 'about' lacks"
