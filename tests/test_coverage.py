"""Coverage: the share of the report's numbers that the facts account for."""

from __future__ import annotations

import re
from pathlib import Path

from kg.checks.coverage import measure, numbers_in

DOC = Path(__file__).resolve().parent.parent / "docs" / "coverage.md"


def test_at_least_99_percent_of_numbers_are_accounted_for(report_facts, report_source):
    cov = measure(report_facts, report_source)
    assert len(cov.numbers) > 400
    assert cov.share >= 0.99, f"{cov.share:.1%}: " + ", ".join(f"line {n.line} {n.text}" for n in cov.missing()[:20])


def test_each_number_left_is_explained_in_docs(report_facts, report_source):
    """docs/coverage.md lists every number no fact accounts for (line and number), each with why."""
    rows = re.findall(r"^\| (\d+) \| ([\d.,]+) \| [^|]+ \| ([^|]+?) \|$", DOC.read_text(encoding="utf-8"), re.M)
    assert all(len(why) > 20 for _, _, why in rows)
    left = sorted((n.line, n.text) for n in measure(report_facts, report_source).missing())
    assert sorted((int(line), text) for line, text, _ in rows) == left


def test_dropping_a_table_loses_its_numbers(report_facts, report_source):
    before = measure(report_facts, report_source)
    kept = {k: v for k, v in report_facts.facts.items() if not (v.cls == "Statistic" and v.places() == ["table1"])}
    reduced = type(report_facts)(kept, report_facts.sheets)
    after = measure(reduced, report_source)
    lost = {n.line for n in after.missing()} - {n.line for n in before.missing()}
    assert set(range(572, 591, 2)) <= lost


def test_page_numbers_markers_and_addresses_are_not_numbers(report_source):
    starts = {report_source.line_of(n.start) for n in numbers_in(report_source, set())}
    assert 530 not in starts            # the page number " 13 " alone on its line
    assert 189 not in starts            # an address (footnote 1)
    assert 147 not in starts            # a footnote marker alone on its line
