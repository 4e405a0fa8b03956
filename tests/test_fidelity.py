"""Fidelity checks (kg.checks.fidelity): the report passes them all, and each catches its fault.

Each "caught" test changes one block of the project's own facts in memory (a failing fixture), runs the
check and puts the block back.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest

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


@pytest.fixture(scope="module")
def vocab():
    from kg.model.ontology import Vocabulary, load_ontology
    from kg.project import Project

    return Vocabulary.from_graph(load_ontology(Project.find().ontology))


def problems(base, source, vocab, only=None) -> list[str]:
    return [p.message for p in fidelity_problems(base, source, vocab, only)]


def found(base, source, vocab, check: str, fact_id: str) -> list[str]:
    return [m for m in problems(base, source, vocab, [check]) if f"] {fact_id}:" in m]


def test_the_report_passes_every_fidelity_check(report_facts, report_source, vocab):
    found_now = fidelity_problems(report_facts, report_source, vocab)
    assert found_now == [], "\n".join(map(str, found_now[:30]))


def test_an_unknown_waiver_is_a_problem(report_facts, report_source, vocab):
    with changed(report_facts, "t1-GB-sales", waive={"no-such-check": "because"}):
        messages = problems(report_facts, report_source, vocab)
    assert any("unknown check 'no-such-check'" in m for m in messages)


def test_an_unneeded_waiver_is_a_problem(report_facts, report_source, vocab):
    with changed(report_facts, "t1-GB-sales", waive={"percentage-points": "not a difference"}):
        messages = problems(report_facts, report_source, vocab, ["percentage-points"])
    assert any("t1-GB-sales: waived, but the check finds nothing" in m for m in messages)


def test_a_share_change_in_per_cent_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "t5-US-share-change-2019", unit="unit-percent"):
        messages = found(report_facts, report_source, vocab, "percentage-points", "t5-US-share-change-2019")
    assert messages and "unit-percentage-point, not unit-percent" in messages[0]


def test_percentage_points_on_a_plain_share_are_caught(report_facts, report_source, vocab):
    with changed(report_facts, "t5-US-share-2018", unit="unit-percentage-point"):
        assert found(report_facts, report_source, vocab, "percentage-points", "t5-US-share-2018")


def test_every_kind_of_fault_has_its_check():
    assert set(checks()) == {"percentage-points", "period-notes", "periods", "uncited-sources", "attributions",
                             "measure-reuse", "codes", "group-members", "ranges", "subjects", "one-node"}
    assert all(callable(check) for check, _ in checks().values())


def test_a_missing_period_not_stated_is_caught(report_facts, report_source, vocab):
    fid = "s2-3-3-aliexpress-spain-fans"
    with changed(report_facts, fid, qualifier="over", note=None):
        messages = found(report_facts, report_source, vocab, "periods", fid)
    assert any("add qualifier period-not-stated" in m for m in messages)


def test_the_qualifier_without_a_note_is_caught(report_facts, report_source, vocab):
    fid = "s2-3-3-aliexpress-spain-fans"
    with changed(report_facts, fid, note=None):
        messages = found(report_facts, report_source, vocab, "period-notes", fid)
    assert messages == [f"[period-notes] {fid}: period-not-stated needs a note saying what the period given rests on"]


def test_a_note_admitting_no_year_needs_the_qualifier(report_facts, report_source, vocab):
    fid = "s3-2-3-iphone-cn-value-share"
    with changed(report_facts, fid, qualifier=None):
        assert found(report_facts, report_source, vocab, "period-notes", fid)


def test_a_figure_about_the_future_without_forecast_is_caught(report_facts, report_source, vocab):
    fid = "s2-3-3-b2c-platform-consumers-2020"
    with changed(report_facts, fid, qualifier="nearly"):
        messages = found(report_facts, report_source, vocab, "periods", fid)
    assert any("add qualifier forecast" in m for m in messages)


def test_a_figure_not_citing_the_body_named_is_caught(report_facts, report_source, vocab):
    fid = "s2-3-1-cn-cbec-retail-export-growth-2020-q1-q3"
    with changed(report_facts, fid, citesSource="src-fn11"):
        messages = found(report_facts, report_source, vocab, "attributions", fid)
    assert any("商务部's data" in m and "src-data-mofcom" in m for m in messages)


def test_an_uncited_source_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "s2-3-1-cn-cbec-retail-export-growth-2020-q1-q3", citesSource="src-fn11"):
        messages = problems(report_facts, None, vocab, ["uncited-sources"])
    assert messages == ["[uncited-sources] src-data-mofcom: no statistic, claim or part of the report cites this source"]


def test_a_measure_reused_for_another_quantity_is_caught(report_facts, report_source, vocab):
    fid = "s3-2-5-aliexpress-warehouse-countries"
    with changed(report_facts, fid, measure="m-countries-reached"):
        messages = found(report_facts, report_source, vocab, "measure-reuse", fid)
    assert messages and "a different quantity needs its own measure" in messages[0]


def test_a_made_up_iso_code_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "FR", isoCode="FX"):
        messages = found(report_facts, report_source, vocab, "codes", "FR")
    assert messages == ["[codes] FR: 'FX' is not an ISO 3166-1 alpha-2 code"]


def test_a_region_without_its_m49_code_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "region-eastern-europe", m49Code=None):
        messages = found(report_facts, report_source, vocab, "codes", "region-eastern-europe")
    assert messages == ["[codes] region-eastern-europe: Eastern Europe is an M49 region: m49Code 151"]


def test_an_m49_code_on_a_grouping_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "region-asean", m49Code="035"):
        assert found(report_facts, report_source, vocab, "codes", "region-asean")


def test_a_member_the_report_does_not_name_there_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "FR", memberOf={"ref": "region-belt-and-road", "place": "s2-3-2"}):
        messages = found(report_facts, report_source, vocab, "group-members", "FR")
    assert messages == ["[group-members] FR: memberOf region-belt-and-road at s2-3-2: no sentence of s2-3-2 names both "
                        "法国 and “一带一路”沿线国家"]


def test_a_range_without_its_top_is_caught(report_facts, report_source, vocab):
    fid = "s2-3-1-aliexpress-gmv-growth-hit-countries-2020-03"
    with changed(report_facts, fid, upperValue=None, upperOffset=None):
        messages = found(report_facts, report_source, vocab, "ranges", fid)
    assert messages == [f"[ranges] {fid}: printed as a range (40%-50): add its top as upperValue"]


def test_a_range_top_without_its_offset_is_caught(report_facts, report_source, vocab):
    fid = "s1-1-3-b2c-cbec-firm-employees"
    with changed(report_facts, fid, upperOffset=None):
        messages = found(report_facts, None, vocab, "ranges", fid)
    assert messages and "needs its offset too" in messages[0]


def test_both_ends_of_a_range_are_in_the_graph(built):
    from rdflib import URIRef

    from kg.model.ontology import CBO, CBR

    g, s = built.graph, URIRef(CBR["s2-3-1-aliexpress-gmv-growth-hit-countries-2020-03"])
    values = {p: g.value(s, CBO[p]).toPython() for p in ("normalizedValue", "upperNormalizedValue", "charStart",
                                                         "charEnd", "upperCharStart", "upperCharEnd")}
    assert values == {"normalizedValue": Decimal("0.4"), "upperNormalizedValue": Decimal("0.5"), "charStart": 15885,
                      "charEnd": 15887, "upperCharStart": 15889, "upperCharEnd": 15891}


def test_a_category_missing_from_about_is_caught(report_facts, report_source, vocab):
    fid = "s4-1-3-3c-share-2018"
    with changed(report_facts, fid, about="CN"):
        messages = found(report_facts, report_source, vocab, "subjects", fid)
    assert messages == [f"[subjects] {fid}: names 3C 电子产品 (cat-3c-electronics, '3C 电子产品'), which 'about' lacks"]


def test_a_global_figure_not_about_the_world_is_caught(report_facts, report_source, vocab):
    fid = "s1-2-global-online-retail-2020"
    with changed(report_facts, fid, about="concept-ecommerce"):
        messages = found(report_facts, report_source, vocab, "subjects", fid)
    assert any("(region-world, '全球')" in m for m in messages)


def test_the_body_whose_data_it_is_is_not_a_subject(report_facts, report_source, vocab):
    # "据国家统计局发布的数据显示" names the NBS as the source, not as what the figure describes
    assert found(report_facts, report_source, vocab, "subjects", "s2-3-cn-exports-to-us-decline-2019") == []


def test_a_figure_printed_twice_as_two_statistics_is_caught(report_facts, report_source, vocab):
    fid = "fn17-cn-mobile-payment-rate-2019"
    twin = {"class": "Statistic", "measure": "m-mobile-payment-rate", "about": "CN", "unit": "unit-percent",
            "period": "2019", "mentionOf": None}
    with changed(report_facts, fid, **twin) as fact:
        fact.cls = "Statistic"
        try:
            messages = found(report_facts, report_source, vocab, "one-node", fid)
        finally:
            fact.cls = "Mention"
    assert messages == [f"[one-node] {fid}: the same figure as s2-3-4-cn-mobile-payment-rate-2019 (measure, subjects, "
                        "period, unit and value): make this block a Mention of it (class: Mention, mentionOf: "
                        "s2-3-4-cn-mobile-payment-rate-2019)"]


def test_a_mention_printing_another_number_is_caught(report_facts, report_source, vocab):
    with changed(report_facts, "fn17-cn-mobile-payment-rate-2019", value="68"):
        messages = found(report_facts, report_source, vocab, "one-node", "fn17-cn-mobile-payment-rate-2019")
    assert messages == ["[one-node] fn17-cn-mobile-payment-rate-2019: prints 68, but s2-3-4-cn-mobile-payment-rate-2019 is 86"]


def test_a_figure_printed_three_times_is_one_statistic_in_the_graph(built):
    from rdflib import URIRef

    from kg.model.ontology import CBO, CBR

    g = built.graph
    stat = URIRef(CBR["t4-asia-pacific-penetration"])
    mentions = sorted(int(g.value(m, CBO.charStart)) for m in g.subjects(CBO.mentionOf, stat))
    assert mentions == [17269, 17353]
    assert int(g.value(stat, CBO.charStart)) == 17513
    same = list(g.query("SELECT ?s WHERE { ?s a cbo:Statistic ; cbo:measure cbr:m-internet-penetration ; "
                        "cbo:about cbr:region-asia-pacific }"))
    assert len(same) == 1


def test_the_three_pillars_of_alibabas_supply_chain_are_held(built):
    rows = built.graph.query("""
        SELECT ?name WHERE { ?p cbo:broader cbr:concept-alibaba-supply-chain-pillars ; rdfs:label ?name ;
                             cbo:statedIn cbr:s2-4 . FILTER (LANG(?name) = "zh") } ORDER BY ?name""")
    assert [str(r.name) for r in rows] == ["全球支付结算金融", "数字化关务", "数字化和智能化物流"]
