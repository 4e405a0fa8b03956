"""Fidelity checks (kg.checks.fidelity): the report passes them all, and each catches its fault.

Each "caught" test changes one block of the project's own facts in memory (a failing fixture), runs the
check and puts the block back.
"""

from __future__ import annotations

from contextlib import contextmanager

from kg.checks.fidelity import checks, fidelity_problems

_MISSING = object()


@contextmanager
def changed(base, fact_id: str, **values):
    """The block ``fact_id`` with ``values`` set (``None`` removes a key), restored afterwards."""
    data = base.facts[fact_id].data
    saved = {key: data.get(key, _MISSING) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        yield base.facts[fact_id]
    finally:
        for key, value in saved.items():
            if value is _MISSING:
                data.pop(key, None)
            else:
                data[key] = value


def found(base, source, check: str, fact_id: str) -> list[str]:
    return [p.message for p in fidelity_problems(base, source, [check]) if f"] {fact_id}:" in p.message]


def test_the_report_passes_every_fidelity_check(report_facts, report_source):
    problems = fidelity_problems(report_facts, report_source)
    assert problems == [], "\n".join(map(str, problems[:30]))


def test_an_unknown_waiver_is_a_problem(report_facts, report_source):
    with changed(report_facts, "t1-GB-sales", waive={"no-such-check": "because"}):
        messages = [p.message for p in fidelity_problems(report_facts, report_source)]
    assert any("unknown check 'no-such-check'" in m for m in messages)


def test_an_unneeded_waiver_is_a_problem(report_facts, report_source):
    with changed(report_facts, "t1-GB-sales", waive={"percentage-points": "not a difference"}):
        messages = [p.message for p in fidelity_problems(report_facts, report_source, ["percentage-points"])]
    assert any("t1-GB-sales: waived, but the check finds nothing" in m for m in messages)


def test_a_share_change_in_per_cent_is_caught(report_facts, report_source):
    with changed(report_facts, "t5-US-share-change-2019", unit="unit-percent"):
        messages = found(report_facts, report_source, "percentage-points", "t5-US-share-change-2019")
    assert messages and "unit-percentage-point, not unit-percent" in messages[0]


def test_percentage_points_on_a_plain_share_are_caught(report_facts, report_source):
    with changed(report_facts, "t5-US-share-2018", unit="unit-percentage-point"):
        assert found(report_facts, report_source, "percentage-points", "t5-US-share-2018")


def test_every_check_has_a_name_and_a_function():
    assert set(checks()) >= {"percentage-points"}


def test_a_missing_period_not_stated_is_caught(report_facts, report_source):
    fid = "s2-3-3-aliexpress-spain-fans"
    with changed(report_facts, fid, qualifier="over", note=None):
        messages = found(report_facts, report_source, "periods", fid)
    assert any("add qualifier period-not-stated" in m for m in messages)


def test_the_qualifier_without_a_note_is_caught(report_facts, report_source):
    fid = "s2-3-3-aliexpress-spain-fans"
    with changed(report_facts, fid, note=None):
        messages = found(report_facts, report_source, "period-notes", fid)
    assert messages == [f"[period-notes] {fid}: period-not-stated needs a note saying what the period given rests on"]


def test_a_note_admitting_no_year_needs_the_qualifier(report_facts, report_source):
    fid = "s3-2-3-iphone-cn-value-share"
    with changed(report_facts, fid, qualifier=None):
        assert found(report_facts, report_source, "period-notes", fid)


def test_a_figure_about_the_future_without_forecast_is_caught(report_facts, report_source):
    fid = "s2-3-3-b2c-platform-consumers-2020"
    with changed(report_facts, fid, qualifier="nearly"):
        messages = found(report_facts, report_source, "periods", fid)
    assert any("add qualifier forecast" in m for m in messages)
