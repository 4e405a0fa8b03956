"""Every number in the fact sheets stands, as printed, at its offset inside its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import load
from kg.grounding import SourceText, check_grounding, default_source, statistics
from kg.project import Project

PROJECT = Project.find()
SOURCE = default_source(PROJECT.root)

pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason=f"source text not found at {SOURCE}: grounding not checked")


@pytest.fixture(scope="module")
def facts():
    return load(PROJECT)[1]


@pytest.fixture(scope="module")
def source():
    return SourceText.read(SOURCE)


def test_every_statistic_is_grounded(facts, source):
    problems = check_grounding(facts, source)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_every_statistic_has_an_offset(facts):
    missing = [f"{f.file}:{f.line} {f.id}" for f in statistics(facts) if "offset" not in f.data]
    assert missing == []


def test_a_wrong_offset_is_caught(facts, source):
    stat = facts.facts["t1-GB-sales"]
    original = stat.data["offset"]
    try:
        stat.data["offset"] = original + 1
        problems = check_grounding(facts, source)
        assert any(p.field == "offset" and "t1" in p.file or "table1" in p.file for p in problems)
        assert any("not '400'" in p.message for p in problems)
    finally:
        stat.data["offset"] = original


def test_table1_values_read_from_the_source(facts, source):
    for fact in statistics(facts):
        if fact.places() == ["table1"]:
            start = fact.data["offset"]
            assert source.text[start:start + len(fact.data["value"])] == fact.data["value"]
            assert 572 <= source.line_of(start) <= 590


def test_source_file_is_the_one_recorded(facts, source):
    assert facts.facts["report"].data["sha256"] == source.sha256
