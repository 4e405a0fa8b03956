"""Fidelity checks on figures themselves: percentage points (3), periods and qualifiers (4), ranges (5), one
figure one node (2). See kg.checks.fidelity."""

from __future__ import annotations

import re

from kg.checks.fidelity_base import (
    CLAUSE_END,
    in_table,
    label,
    qualifiers,
    refs,
    sentence,
    statistics,
)
from kg.checks.grounding import SourceText
from kg.model.ontology import Vocabulary
from kg.sheets.facts import Fact, FactBase

# --- 3. percentage points ----------------------------------------------------------------------------------

SHARE_WORDS = re.compile(r"占比|比重|份额|渗透率|比例|比率|增速|增长率")
DIFFERENCE_WORDS = re.compile(r"变动|降幅|升幅|高出|之差|差距|下降了|上升了")


def check_percentage_points(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """A statistic whose measure is a difference of shares or rates is in percentage points."""
    for fact in statistics(base):
        measure = base.facts.get(str(fact.data.get("measure", "")))
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


# --- 2. one figure, one node ---------------------------------------------------------------------------------

def figure_key(fact: Fact) -> tuple:
    """What makes two statistics the same figure: measure, subjects, period, unit and number."""
    data = fact.data
    return (data.get("measure"), tuple(sorted(refs(data.get("about")))), data.get("period"), data.get("unit"),
            str(data.get("value", "")).replace(",", "").lstrip("0"), str(data.get("upperValue", "")))


def check_one_node(base: FactBase, source: SourceText | None, vocab: Vocabulary):
    """The same figure for the same thing is one statistic; a second place that prints it is a Mention of it
    (``class: Mention``, ``mentionOf``), which grounding and coverage check but counts leave out."""
    first: dict[tuple, Fact] = {}
    for fact in statistics(base):
        key = figure_key(fact)
        if key in first:
            yield fact, "class", (f"the same figure as {first[key].id} (measure, subjects, period, unit and value): "
                                  f"make this block a Mention of it (class: Mention, mentionOf: {first[key].id})")
        else:
            first[key] = fact
    for mention in base.of_class("Mention"):
        target = base.facts.get(str(mention.data.get("mentionOf")))
        if target is None or target.cls != "Statistic":
            yield mention, "mentionOf", "a mention names the statistic it prints again (mentionOf: <statistic id>)"
        elif str(mention.data.get("value", "")).replace(",", "") != str(target.data["value"]).replace(",", ""):
            yield mention, "value", f"prints {mention.data.get('value')}, but {target.id} is {target.data['value']}"
