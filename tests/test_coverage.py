"""Coverage: the share of the report's numbers that the facts account for."""

from __future__ import annotations

import pytest

from kg.build import load
from kg.coverage import measure, numbers_in
from kg.grounding import SourceText, default_source
from kg.project import Project

PROJECT = Project.find()
SOURCE = default_source(PROJECT.root)

pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason=f"source text not found at {SOURCE}: coverage not measured")


@pytest.fixture(scope="module")
def facts():
    return load(PROJECT)[1]


@pytest.fixture(scope="module")
def source():
    return SourceText.read(SOURCE)


def test_at_least_95_percent_of_numbers_are_accounted_for(facts, source):
    cov = measure(facts, source)
    assert len(cov.numbers) > 400
    assert cov.share >= 0.95, f"{cov.share:.1%}: " + ", ".join(f"line {n.line} {n.text}" for n in cov.missing()[:20])


def test_dropping_a_table_loses_its_numbers(facts, source):
    before = measure(facts, source)
    kept = {k: v for k, v in facts.facts.items() if not (v.cls == "Statistic" and v.places() == ["table1"])}
    reduced = type(facts)(kept, facts.sheets)
    after = measure(reduced, source)
    lost = {n.line for n in after.missing()} - {n.line for n in before.missing()}
    assert set(range(572, 591, 2)) <= lost


def test_page_numbers_markers_and_addresses_are_not_numbers(source):
    starts = {source.line_of(n.start) for n in numbers_in(source, set())}
    assert 530 not in starts            # the page number " 13 " alone on its line
    assert 189 not in starts            # an address (footnote 1)
    assert 147 not in starts            # a footnote marker alone on its line
