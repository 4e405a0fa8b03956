"""Every number in the fact sheets stands, as printed, at its offset inside its place."""

from __future__ import annotations

from kg.checks.grounding import check_dates, check_grounding, statistics


def test_every_statistic_is_grounded(report_facts, report_source):
    problems = check_grounding(report_facts, report_source)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_every_statistic_has_an_offset(report_facts):
    missing = [f"{f.file}:{f.line} {f.id}" for f in statistics(report_facts) if "offset" not in f.data]
    assert missing == []


def test_a_wrong_offset_is_caught(report_facts, report_source):
    stat = report_facts.facts["t1-GB-sales"]
    original = stat.data["offset"]
    try:
        stat.data["offset"] = original + 1
        problems = check_grounding(report_facts, report_source)
        assert any(p.field == "offset" and "t1" in p.file or "table1" in p.file for p in problems)
        assert any("not '400'" in p.message for p in problems)
    finally:
        stat.data["offset"] = original


def test_table1_values_read_from_the_source(report_facts, report_source):
    for fact in statistics(report_facts):
        if fact.places() == ["table1"]:
            start = fact.data["offset"]
            assert report_source.text[start:start + len(fact.data["value"])] == fact.data["value"]
            assert 572 <= report_source.line_of(start) <= 590


def test_source_file_is_the_one_recorded(report_facts, report_source):
    assert report_facts.facts["report"].data["sha256"] == report_source.sha256


def test_every_date_and_period_is_printed_in_its_place(report_facts, report_source):
    problems = check_dates(report_facts, report_source)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_an_invented_year_is_caught(report_facts, report_source):
    fact = report_facts.facts["ewtp"]
    original = fact.data["date"]
    try:
        fact.data["date"] = "2031"
        assert any(p.field == "date" and "2031" in p.message for p in check_dates(report_facts, report_source))
    finally:
        fact.data["date"] = original
