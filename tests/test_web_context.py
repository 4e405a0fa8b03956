"""Every number in its sentence (kg/web/context.py): the report's text around a statistic, and place titles."""

from __future__ import annotations

import doctest

import pytest
from rdflib import RDF, Graph

import kg.web.context as context
from kg.model.ontology import CBO, CBR
from kg.project import Project
from kg.web.context import place_parts, place_title, snippet, source_text


@pytest.fixture(scope="module")
def graph(graph_file) -> Graph:
    g = Graph()
    g.parse(graph_file)
    return g


@pytest.fixture(scope="module")
def text(graph) -> str:
    found = source_text(Project.find().root, graph).get(CBR.report)
    if found is None:
        pytest.skip("the report's text is not at ../shared/sources (or $CBEC_KG_SOURCE): not checked")
    return found


def test_doctests():
    assert doctest.testmod(context).failed == 0


def test_table_figure_is_highlighted_in_its_row(graph, text):
    s = snippet(graph, CBR["t1-GB-sales"], text)
    assert s.number == "400"
    assert "英国" in s.before                      # the row names its country before the figure
    assert "8.2" in s.after and "15.0" in s.after  # and goes on with the row's other columns
    assert "\n" not in s.before + s.after
    assert (s.place_id, s.section_number) == ("table1", "表1")
    assert s.section_title.startswith("2018 年")


def test_body_figure_is_highlighted_in_its_sentence(graph, text):
    s = snippet(graph, CBR["s2-2-2-cn-us-b2c-cb-sales-share-2018"], text)
    assert s.number == "45.8"
    assert "联合国贸易和发展会议" in s.before and "销售总额的" in s.before
    assert s.after.startswith("%") and s.after.endswith("。")
    assert "表" not in s.after                     # the sentence stops at its full stop
    assert (s.place_id, s.section_number, s.section_title) == ("s2-2-2", "二（二）2", "中美两大市场")


def test_sentence_is_capped_and_never_crosses_a_full_stop(graph, text):
    stats = sorted((s for s in graph.subjects(CBO.charStart, None) if (s, RDF.type, CBO.Statistic) in graph), key=str)
    snippets = [snippet(graph, s, text) for s in stats]
    assert len(stats) > 200 and all(s is not None for s in snippets)
    for s, stat in zip(snippets, stats):
        assert s.number == str(graph.value(stat, CBO.printedValue))
        assert len(s.before) <= context.CAP + 1 and len(s.after) <= context.CAP + 1
        assert "。" not in s.before and "。" not in s.after[:-1]


def test_english_place_names(graph, text):
    s = snippet(graph, CBR["s3-1-amazon-retail-2019"], text, lang="en")
    assert s.number == "2000" and "亚马逊" in s.before
    assert (s.section_number, s.section_title) == ("3.1", "Platform ecosystems")


@pytest.mark.parametrize("place,lang,title", [
    ("s2-4", "zh", "二（四）速卖通案例"), ("s2", "zh", "二、全球跨境电商概况"), ("s2-2-1", "zh", "二（二）1 B2B 与 B2C 的份额和增速"),
    ("fn12", "zh", "脚注 12"), ("abstract", "zh", "摘要"), ("s2-4", "en", "2.4 The AliExpress case"),
    ("fn12", "en", "Footnote 12"), ("table1", "zh", "表1：2018 年 B2C 跨境电商交易额前十国家/地区")])
def test_place_title(graph, place, lang, title):
    assert place_title(graph, CBR[place], lang) == title


def test_place_parts_of_a_table(graph):
    assert place_parts(graph, CBR["table6"], "zh") == ("表6", "2019 年中国品牌出海十强")
    assert place_parts(graph, CBR["table6"], "en") == ("Table 6", "top ten Chinese brands abroad, 2019")


def test_no_text_no_snippet(graph, text):
    assert snippet(graph, CBR["t1-GB-sales"], None) is None
    assert snippet(graph, CBR["GB"], text) is None                     # not a statistic: no offset
    shifted = "x" + text                                               # a different text: offsets do not fit
    assert snippet(graph, CBR["t1-GB-sales"], shifted) is None


def test_a_different_text_is_not_used(graph, tmp_path, monkeypatch):
    other = tmp_path / "other.txt"
    other.write_text("不是这份报告。", encoding="utf-8")
    monkeypatch.setattr(context, "source_paths", lambda root, file_name=None: [other])
    assert source_text(tmp_path, graph) == {}
    assert source_text(tmp_path) == "不是这份报告。"
