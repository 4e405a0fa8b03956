"""Fidelity: checks that the sheets model what the report says the way it says it.

Each check looks for one kind of modelling fault a hand audit found, and returns located problems:

``percentage-points``
    a difference between two shares or rates (表5's change column, "高出 … 7.4 个百分点") is in percentage
    points, not per cent;
``periods``
    a figure whose period the report does not print says so (``qualifier: period-not-stated`` with a ``note``),
    and a figure the report states about the future ("将", "预计") carries ``forecast``;
``sources``
    every source is cited by some fact, a figure whose sentence names whose data it is ("商务部数据显示")
    cites that body's data, and a measure holds one quantity;
``codes``
    countries carry valid ISO 3166 codes (checked by ``pycountry``), regions their UN M49 code where one
    exists, and a grouping lists a member only at a place where the report names it;
``ranges``
    a printed range (40%-50%, 100 到 400 人) has both ends, each with its offset;
``subjects``
    a figure is ``about`` every entity its label or sentence names.

A block may be exempt from a check with ``waive: {check: reason}``; a waiver for an unknown check, or one
that the check would not have needed, is itself a problem. The checks that read the report's text (sentences,
places) are skipped when it is not given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kg.checks.grounding import SourceText
from kg.model.ontology import Vocabulary
from kg.sheets.errors import Problem
from kg.sheets.facts import Fact, FactBase, as_list

Check = Callable[..., Iterable[tuple[Fact, str, str]]]

SENTENCE_END = "。；！？"
CLAUSE_END = SENTENCE_END + "，：,"


def _flat(text: str) -> str:
    """The report's text without its line breaks (its paragraphs are wrapped, one blank line between lines)."""
    return re.sub(r"\s*\n\s*", "", text)


def sentence(source: SourceText, offset: int, stops: str = SENTENCE_END, before: int = 0) -> str:
    """The sentence (or clause, with ``stops`` = CLAUSE_END) around ``offset``, with ``before`` more sentences
    ahead of it, line breaks taken out."""
    text = source.text
    lo = offset
    for _ in range(before + 1):
        lo = max(text.rfind(ch, 0, lo - 1 if lo < offset else lo) for ch in stops) + 1
    his = [i for i in (text.find(ch, offset) for ch in stops) if i >= 0]
    hi = min(his) if his else len(text)
    return _flat(text[max(lo, offset - 800):min(hi, offset + 400)])


def in_table(base: FactBase, fact: Fact) -> bool:
    return any(base.facts[p].cls in ("Table", "Figure") for p in fact.places() if p in base.facts)


def statistics(base: FactBase) -> list[Fact]:
    return base.of_class("Statistic")


def label(fact: Fact, lang: str = "zh") -> str:
    return (fact.data.get("label") or {}).get(lang, "")


def qualifiers(fact: Fact) -> list[str]:
    return [str(q) for q in as_list(fact.data.get("qualifier"))]


# --- 3. percentage points ----------------------------------------------------------------------------------

SHARE_WORDS = re.compile(r"占比|比重|份额|渗透率|比例|比率|增速|增长率")
DIFFERENCE_WORDS = re.compile(r"变动|降幅|升幅|高出|之差|差距|下降了|上升了")


def check_percentage_points(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """A statistic whose measure is a difference of shares or rates is in percentage points."""
    for fact in statistics(base):
        measure = base.facts.get(fact.data.get("measure"))
        if measure is None:
            continue
        name = label(measure)
        is_difference = bool(SHARE_WORDS.search(name) and DIFFERENCE_WORDS.search(name))
        unit = fact.data.get("unit")
        if is_difference and unit != "unit-percentage-point":
            yield fact, "unit", (f"measure '{measure.id}' ({name}) is a difference between shares or rates: "
                                 f"its unit is unit-percentage-point, not {unit}")
        elif unit == "unit-percentage-point" and not is_difference:
            yield fact, "unit", (f"unit-percentage-point is for differences between shares or rates, and measure "
                                 f"'{measure.id}' ({name}) names none")


# --- 4. periods and qualifiers -----------------------------------------------------------------------------

ADMITS_NO_PERIOD = re.compile(r"no (?:year|date|period|base year)|not printed|gives no|prints no|not stated|"
                              r"inferred|report's (?:present|year|time)|without (?:a year|naming the year)", re.I)
FUTURE = re.compile(r"将(?:会|在|要|达到|拥有|成为|有|不断|持续|逐渐|逐步|可能|产生|继续)|预计|预测|有望")
REPORT_YEAR = "2020"  # the report's own year (its latest dated event is 2020-12): what 今年 means in it
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def period_years(fact: Fact) -> set[str]:
    start, _, end = str(fact.data.get("period", "")).partition("/")
    years = {start[:4]} | ({end[:4]} if end else set())
    if end and end[:4].isdigit() and start[:4].isdigit():
        years |= {str(y) for y in range(int(start[:4]), int(end[:4]) + 1)}
    return {y for y in years if y}


def check_period_notes(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """``period-not-stated`` goes with a note saying what the period rests on, and a note that admits the report
    prints no period goes with the qualifier."""
    for fact in statistics(base):
        marked = "period-not-stated" in qualifiers(fact)
        note = str(fact.data.get("note", ""))
        if marked and not note:
            yield fact, "qualifier", "period-not-stated needs a note saying what the period given rests on"
        elif ADMITS_NO_PERIOD.search(note) and not marked:
            yield fact, "qualifier", "the note says the report prints no period: add qualifier period-not-stated"


def check_printed_periods(base: FactBase, source: SourceText, vocab: Vocabulary):
    """A figure in running text whose sentence (or the one before) prints none of its period's years says
    ``period-not-stated``; one stated about the future says ``forecast``."""
    for fact in statistics(base):
        if "offset" not in fact.data or in_table(base, fact):
            continue
        offset = fact.data["offset"]
        marked = "period-not-stated" in qualifiers(fact)
        near = sentence(source, offset, before=1)
        printed = (set(YEAR.findall(near)) | ({REPORT_YEAR} if "今年" in near else set())) & period_years(fact)
        if not printed and not marked:
            yield fact, "period", (f"no year of period {fact.data.get('period')} is printed in its sentence "
                                   "or the one before: add qualifier period-not-stated and say why in a note")
        clause = sentence(source, offset, CLAUSE_END)
        if FUTURE.search(clause) and "forecast" not in qualifiers(fact):
            yield fact, "qualifier", f"the report states it about the future ('{clause[:40]}'): add qualifier forecast"


# --- 6. sources ----------------------------------------------------------------------------------------------

ATTRIBUTION = re.compile(r"据([^，。；]{1,30}?)(?:的数据|数据|统计|预测|透露|调查)|"
                         r"([^，。；]{1,30}?)(?:的数据显示|数据显示|统计数据显示|统计显示|预测)")


def refs(value) -> list[str]:
    return [item["ref"] if isinstance(item, dict) else str(item) for item in as_list(value)]


def cited_sources(base: FactBase, fact: Fact) -> set[str]:
    """The sources a fact cites: its own ``citesSource``, or else (statistics) what its places cite."""
    own = set(refs(fact.data.get("citesSource")))
    if own or fact.cls != "Statistic":
        return own
    return {s for place in fact.places() if place in base.facts for s in refs(base.facts[place].data.get("cites"))}


def names(fact: Fact) -> list[str]:
    found = [n for n in (fact.data.get("label") or {}).values()]
    for more in (fact.data.get("aliases") or {}).values():
        found += more
    return [n for n in found if n]


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


def named_in(text: str, bodies: list[Fact]) -> list[Fact]:
    """The bodies ``text`` names, less those only named inside a longer name it holds (阿里 in 阿里研究院)."""
    hits = [(name, body) for body in bodies for name in names(body) if name in text]
    return list({body.id: body for name, body in hits
                 if not any(name in longer and name != longer and other.id != body.id for longer, other in hits)}.values())


def check_attributions(base: FactBase, source: SourceText, vocab: Vocabulary):
    """A figure in running text whose sentence says whose data it is ("商务部数据显示", "据中国海关统计") cites
    that body's data: a source it publishes other than a footnote's work."""
    works = _footnote_works(base)
    bodies = [f for f in base.facts.values() if f.cls in vocab.classes and vocab.is_subclass(f.cls, "Organization")]
    data_of: dict[str, set[str]] = {}
    for src in base.of_class("Source"):
        if src.id not in works:
            for body in refs(src.data.get("publishedBy")):
                data_of.setdefault(body, set()).add(src.id)
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
    import pycountry

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


# --- 5. ranges -----------------------------------------------------------------------------------------------

#: what follows the start of a range: a dash glued to it ("40%-50%", "5-7"; "15.00% -2.50" is two numbers), or 至/到
RANGE_TAIL = re.compile(r"(?:%|人|天|公斤|岁|年|倍)?(?:[-–—~]|\s*[至到]\s*)(\d+(?:,\d{3})*(?:\.\d+)?)")


def check_ranges(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """A range has both ends: ``upperValue`` with its ``upperOffset``, and a value printed as the start of a
    range (40%-50%, 100 到 400 人) has the range's top as ``upperValue``."""
    for fact in statistics(base):
        data = fact.data
        if "upperValue" in data and "upperOffset" not in data:
            yield fact, "upperValue", "the top of the range needs its offset too (upperOffset; cbec-kg ground --write)"
        if source is None or "offset" not in data:
            continue
        tail = RANGE_TAIL.match(source.text, data["offset"] + len(str(data["value"])))
        if tail and "upperValue" not in data:
            yield fact, "value", f"printed as a range ({data['value']}{tail.group(0).strip()}): add its top as upperValue"
        elif tail and str(data["upperValue"]) != tail.group(1):
            yield fact, "upperValue", f"the range printed ends at {tail.group(1)}, not {data['upperValue']}"


# --- running the checks ------------------------------------------------------------------------------------

def checks() -> dict[str, tuple[Check, bool]]:
    """Each check by name, with whether it needs the report's text. A check is called with the facts, the text
    (or None) and the ontology's vocabulary."""
    return {
        "percentage-points": (check_percentage_points, False),
        "period-notes": (check_period_notes, False),
        "periods": (check_printed_periods, True),
        "uncited-sources": (check_uncited_sources, False),
        "attributions": (check_attributions, True),
        "measure-reuse": (check_measure_reuse, False),
        "codes": (check_codes, False),
        "ranges": (check_ranges, False),
        "group-members": (check_group_members, True),
    }


def fidelity_problems(base: FactBase, source: SourceText | None, vocab: Vocabulary,
                      only: Iterable[str] | None = None) -> list[Problem]:
    """The problems every check (or those named in ``only``) finds, less the waived ones; unknown or unneeded
    waivers are problems too (an unneeded one only when its check ran)."""
    known = checks()
    chosen = [name for name in known if only is None or name in set(only)]
    used: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    ran: set[str] = set()
    for name in chosen:
        check, needs_text = known[name]
        if needs_text and source is None:
            continue
        ran.add(name)
        for fact, key, message in check(base, source, vocab):
            if name in (fact.data.get("waive") or {}):
                used.add((fact.id, name))
                continue
            problems.append(Problem(fact.file, fact.line_of(key), key, f"[{name}] {fact.id}: {message}"))
    for fact in base.facts.values():
        for name in fact.data.get("waive") or {}:
            if name not in known:
                problems.append(Problem(fact.file, fact.line_of("waive"), "waive",
                                        f"unknown check '{name}' (checks: {', '.join(known)})"))
            elif name in ran and (fact.id, name) not in used:
                problems.append(Problem(fact.file, fact.line_of("waive"), "waive",
                                        f"[{name}] {fact.id}: waived, but the check finds nothing to waive here"))
    return problems


def raise_fidelity(base: FactBase, source: SourceText | None, vocab: Vocabulary) -> None:
    """Raise CheckError (exit 1) listing what the fidelity checks find, if anything."""
    from kg.sheets.errors import CheckError

    problems = fidelity_problems(base, source, vocab)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:40])
        more = f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else ""
        raise CheckError(f"fidelity: {len(problems)} problem(s) (waive one with 'waive: {{check: reason}}' "
                         f"only where the report bears it out)\n{shown}{more}")


def report_text(root) -> SourceText | None:
    """The report's text when it is where the grounding checks look for it, else None."""
    from kg.checks.grounding import default_source

    path = default_source(root)
    return SourceText.read(path) if path.exists() else None
