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
from kg.sheets.errors import Problem
from kg.sheets.facts import Fact, FactBase, as_list

Check = Callable[[FactBase, "SourceText | None"], Iterable[tuple[Fact, str, str]]]

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


def check_percentage_points(base: FactBase, source: SourceText | None):
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


def check_period_notes(base: FactBase, source: SourceText | None):
    """``period-not-stated`` goes with a note saying what the period rests on, and a note that admits the report
    prints no period goes with the qualifier."""
    for fact in statistics(base):
        marked = "period-not-stated" in qualifiers(fact)
        note = str(fact.data.get("note", ""))
        if marked and not note:
            yield fact, "qualifier", "period-not-stated needs a note saying what the period given rests on"
        elif ADMITS_NO_PERIOD.search(note) and not marked:
            yield fact, "qualifier", "the note says the report prints no period: add qualifier period-not-stated"


def check_printed_periods(base: FactBase, source: SourceText):
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


# --- running the checks ------------------------------------------------------------------------------------

def checks() -> dict[str, tuple[Check, bool]]:
    """Each check by name, with whether it needs the report's text."""
    return {
        "percentage-points": (check_percentage_points, False),
        "period-notes": (check_period_notes, False),
        "periods": (check_printed_periods, True),
    }


def fidelity_problems(base: FactBase, source: SourceText | None = None, only: Iterable[str] | None = None) -> list[Problem]:
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
        for fact, key, message in check(base, source):
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


def raise_fidelity(base: FactBase, source: SourceText | None) -> None:
    """Raise CheckError (exit 1) listing what the fidelity checks find, if anything."""
    from kg.sheets.errors import CheckError

    problems = fidelity_problems(base, source)
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
