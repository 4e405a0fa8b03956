"""``cbec-kg propose``: golden cases of the period, unit and qualifier grammar (each written by hand from the
report's own phrasing), what is not a statistic, the command's JSON and YAML, ``--merge`` and bad input."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.project import Project
from kg.sheets.propose.core import propose
from kg.sheets.propose.document import knowledge
from kg.sheets.propose.periods import read
from kg.sheets.propose.qualifiers import qualifiers
from kg.sheets.propose.quantities import quantities
from kg.sheets.propose.skip import skipped_numbers

DOC_YEAR = 2020     # the report's year: what 今年 means in it

# (printed as in the report, the year it follows in its context, the period a curator writes)
PERIODS = [
    ("2020 年 1-9 月", None, "2020-01/2020-09"),
    ("今年 1-9 月", None, "2020-01/2020-09"),
    ("2020 年上半年", None, "2020-01/2020-06"),
    ("今年 5月", None, "2020-05"),
    ("一季度", 2020, "2020-01/2020-03"),
    ("前三季度", 2020, "2020-01/2020-09"),
    ("2010—2019 年", None, "2010/2019"),
    ("2010-2020 年", None, "2010/2020"),
    ("2010 年至今", None, "2010/2020"),
    ("2015 年后，全球跨境电商进入相对成熟期", None, "2015/2020"),
    ("分析速卖通在全球近 10\n\n年各品类商品消费情况", None, "2010/2019"),
    ("近十年来，随着", None, "2010/2019"),
    ("近 3 年增速又呈", None, "2017/2019"),
    ("2020 年 4 月 7日", None, "2020-04-07"),
    ("截至2020年 4月", None, "2020-04"),
    ("截至 2019 年 11 月", None, "2019-11"),
    ("2013 年 3 月", None, "2013-03"),
    ("2019 财年", None, "2019"),
    ("2019 年双 11", None, "2019-11"),
    ("当年双 11", 2015, "2015-11"),
    ("11 月到 12 月", 2020, "2020-11/2020-12"),
    ("2018\n\n年", None, "2018"),
    ("2020 年年初", None, "2020"),
    ("去年", None, "2019"),
    ("“618”大促", 2020, "2020-06"),
    ("2020 年“6·18”大促", None, "2020-06"),
    ("2020 年“双十一”促销", None, "2020-11"),
]


@pytest.mark.parametrize("printed, context, period", PERIODS, ids=[p for p, _, _ in PERIODS])
def test_period_grammar(printed, context, period):
    assert read(printed, DOC_YEAR, context=context) == period


# (a phrase of the report, the quantity's value, its upper end, unit id, unit word as printed)
QUANTITIES = [
    ("交易规模 1.73 万亿元，", "1.73", None, "unit-cny-trillion", "万亿元"),
    ("市场规模为 6750 亿美元，", "6750", None, "unit-usd-100m", "亿美元"),
    ("一千八百六十二亿美元", "1862", None, "unit-usd-100m", "亿美元"),
    ("超过四成的受访者", "40", None, "unit-percent", "成"),
    ("销售额就同比上涨 22 倍。", "22", None, "unit-multiple", "倍"),
    ("高出外贸整体增速 7.4 个百分点，", "7.4", None, "unit-percentage-point", "个百分点"),
    ("全国已有 23265 家跨境电子商务企业", "23265", None, "unit-count", "家"),
    ("产生了 17 万个包裹", "17", None, "unit-count-10k", "万"),
    ("中国网民数量已经达到9.04亿，", "9.04", None, "unit-count-100m", "亿"),
    ("年营业收入最高不超 20 亿元人民币上限", "20", None, "unit-cny-100m", "亿元"),
    ("遍及全球 200 多个国家和地区", "200", None, "unit-count", "个"),
    ("成交额平均增长同比在 40%-50%以上", "40", "50", "unit-percent", "%"),
    ("缩短到了最快 5-7\n\n天左右", "5", "7", "unit-day", "天"),
    ("员为 100 到 400 人的企业", "100", "400", "unit-person", "人"),
    ("在 2-30 公斤区间的商品", "2", "30", "unit-kg", "公斤"),
    ("完成了 2019 年 48 小时的成交额", "48", None, "unit-hour", "小时"),
    ("实现收入 9992 美元，", "9992", None, "unit-usd", "美元"),
    ("实现收入超过 300 万美元。", "300", None, "unit-usd-10k", "万美元"),
    ("全球电商网络零售额超过 4万亿美元以上的", "4", None, "unit-usd-trillion", "万亿美元"),
    ("而更为“传统”的 55-74 岁人群中", "55", "74", "unit-year", "岁"),
    ("广告不到 1年，", "1", None, "unit-year", "年"),
    ("速卖通联合菜鸟投入 300 架次包机", "300", None, "unit-count", "架次"),
    ("阿里云的年营收达到\n 400.16 亿元，", "400.16", None, "unit-cny-100m", "亿元"),
]


@pytest.mark.parametrize("phrase, value, upper, unit, word", QUANTITIES, ids=[q[0] for q in QUANTITIES])
def test_number_and_unit_grammar(phrase, value, upper, unit, word):
    found = list(quantities(phrase))
    assert len(found) == 1, [q.printed for q in found]
    q = found[0]
    assert (q.value, q.upper, q.unit, q.unit_word) == (value, upper, unit, word)
    assert phrase[q.start:q.end] == q.printed


NOT_QUANTITIES = ["2018 年占据全球跨境电商交易的", "2010—2019 年", "2020 年 1-9 月", "“80 后”和“90 后”",
                  "一条龙流程处理", "2020 年 4 月 7日", "消费者的数十亿笔跨境交易",
                  "指出生于 20 世纪 60 年代中期至 70 年代末的一代人"]


@pytest.mark.parametrize("phrase", NOT_QUANTITIES)
def test_years_dates_and_names_are_not_quantities(phrase):
    assert [q.printed for q in quantities(phrase)] == []


# (the text before the number, after its unit, 多 inside it) -> qualifiers, each from a sentence of the report
QUALIFIERS = [
    (("平均增速接近 ", "，高于", ""), ["nearly"]),
    (("占进出口总值将近 ", "。", ""), ["nearly"]),
    (("全球约有\n\n", "的 B2C", ""), ["approx"]),
    (("占总 GMV 比达到了 ", "左右，其余", ""), ["approx"]),
    (("超过 ", "的速卖通", ""), ["over"]),
    (("这个比率已经突破 ", "。", ""), ["over"]),
    (("零售进出口额同比增长超 ", "，", ""), ["over"]),
    (("占据全球跨境电商交易的 ", "以上。", ""), ["over"]),
    (("已经拓展到全球 ", "国家和地区", "多"), ["over"]),
    (("广告不到 ", "，产品", ""), ["under"]),
    (("完成中国到欧盟主要国家 ", "以下跨境物流", ""), ["under"]),
    (("阿里研究院预测，2018年全球规模为 6750 亿美元，预计 2020 年将达到 ", "，平均", ""), ["forecast"]),
    (("预计全球经济在今年收缩 ", "。", ""), ["forecast"]),
    (("从业人员最多不超过 ", "，年营业收", ""), []),
    (("中国跨境电商市场规模", "，同比增长", ""), []),
]


@pytest.mark.parametrize("args, expected", QUALIFIERS, ids=[a[0][-8:] for a, _ in QUALIFIERS])
def test_qualifier_grammar(args, expected):
    assert qualifiers(*args) == expected


SKIPPED = [
    ("占出口比重 21.5%。18\n下一句", "18"),          # a footnote marker glued after 。
    ("上一页\n 13 \n下一页", "13"),                   # a page number alone on its line
    ("表 1：2018 年", "1"),                          # a table's number
    ("《第 45 次中国互联网络发展状况统计报告》", "45"),   # part of a title
    ("1. B2B 占全球跨境电商交易的 80%", "1"),          # a list number
    ("在 3C 消费电子产品", "3"),                      # part of a name
]


@pytest.mark.parametrize("text, number", SKIPPED, ids=[t for t, _ in SKIPPED])
def test_markers_list_and_page_numbers_are_skipped(text, number):
    spans = [text[s:e] for s, e in skipped_numbers(text)]
    assert number in spans
    assert "80" not in spans and "21.5" not in spans


# --- the whole report --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_candidates(report_source):
    return propose(report_source.text, knowledge(Project.find().facts_dir))


def _at(report_source, phrase: str, number: str) -> int:
    """The offset of ``number`` inside the only occurrence of ``phrase`` in the report."""
    text = report_source.text
    assert text.count(phrase) == 1, phrase
    return text.index(phrase) + phrase.index(number)


def test_report_candidates_read_values_units_periods_and_subjects(report_source, report_candidates):
    by_start = {c.start: c for c in report_candidates}
    c = by_start[_at(report_source, "中国跨境电商市场规模10.5万亿元", "10.5")]
    assert (c.value, c.unit, c.period, c.place) == ("10.5", "unit-cny-trillion", "2019", "s2-2-1")
    assert "CN" in c.about and c.normalized == pytest.approx(10.5e12)
    c = by_start[_at(report_source, "还是增长了 17%", "17")]
    assert (c.unit, c.period) == ("unit-percent", "2020-01/2020-09")
    c = by_start[_at(report_source, "美国 17.50% 15.00% -2.50%", "-2.50")]
    assert (c.value, c.unit, c.period, c.place) == ("-2.50", "unit-percent", "2018/2019", "table5")
    assert c.about[0] == "US"


def test_report_table_cells_carry_row_column_and_period(report_source, report_candidates):
    start = _at(report_source, "3 英国 400 8.2 15.0", "400")
    cell = next(c for c in report_candidates if c.start == start)
    assert (cell.unit, cell.period, cell.about[0]) == ("unit-usd-100m", "2018", "GB")
    assert cell.table == {"row": "英国", "column": 1, "header": "(亿美元)", "period": "2018"}
    change = next(c for c in report_candidates if c.start == _at(report_source, "法国 13.20% 11.40% -1.80%", "-1.80"))
    assert change.table["header"] == "同比变动" and change.period == "2018/2019"


def test_report_years_markers_and_list_numbers_are_not_proposed(report_source, report_candidates):
    starts = {c.start for c in report_candidates}
    assert _at(report_source, "2019年，中国跨境电商市场规模", "2019") not in starts       # a year
    assert _at(report_source, "944\n\n亿元。\n10\n", "10\n") not in starts               # footnote marker
    assert _at(report_source, "1. B2B 占全球跨境电商交易的", "1") not in starts          # list number
    assert all(not c.printed.strip().endswith("年") or c.unit == "unit-year" for c in report_candidates)
    assert all(c.value not in ("2018", "2019", "2020") for c in report_candidates)


# --- the command -----------------------------------------------------------------------------------------------

SAMPLE = "2019年，中国跨境电商市场规模10.5万亿元，同比增长16.7%。预计 2020 年将达到 9940 亿美元。\n"


@pytest.fixture()
def sample(tmp_path) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_cli_json_is_a_list_of_candidates(sample, capsys):
    assert main(["propose", str(sample), "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["printedValue"], i["unit"], i["period"]) for i in items] == [
        ("10.5万亿元", "unit-cny-trillion", "2019"), ("16.7%", "unit-percent", "2019"),
        ("9940 亿美元", "unit-usd-100m", "2020")]
    assert items[2]["qualifier"] == ["forecast"] and "CN" in items[0]["about"]
    assert SAMPLE[items[1]["start"]:items[1]["end"]] == "16.7"


def test_cli_yaml_is_a_sheet(sample, capsys):
    assert main(["propose", str(sample)]) == 0
    sheet = yaml.safe_load(capsys.readouterr().out)
    assert [b["value"] for b in sheet["facts"]] == ["10.5", "16.7", "9940"]
    assert all(b["class"] == "Statistic" and b["offset"] == b["start"] for b in sheet["facts"])


def test_merge_keeps_what_a_curator_reviewed(sample, tmp_path, capsys):
    assert main(["propose", str(sample)]) == 0
    sheet = yaml.safe_load(capsys.readouterr().out)
    first, second, _ = sheet["facts"]
    first.update(status="accepted", measure="m-cn-cbec-trade", period="2019", note="checked")
    second["status"] = "dropped"
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    assert main(["propose", str(sample), "--merge", str(reviewed), "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 3
    assert items[0] == first and items[1] == second
    assert "status" not in items[2] and items[2]["value"] == "9940"


@pytest.mark.parametrize("argv, message", [
    (["propose", "{missing}"], "No such file"),
    (["propose", "{empty}"], "is empty"),
    (["propose", "{binary}"], "not a plain text file"),
    (["propose", "{latin1}"], "not UTF-8"),
    (["propose", "{sample}", "--document", "nope"], "'nope' is not a document"),
    (["propose", "{sample}", "--document", "report"], "the text is not document 'report'"),
    (["propose", "{sample}", "--merge", "{broken}"], "not a YAML or JSON sheet"),
    (["propose", "{sample}", "--merge", "{badstatus}"], "status 'maybe' is not one of"),
    (["propose", "{sample}", "--merge", "{badstart}"], "start 'twelve' is not a character offset"),
    (["propose", "{tmp}"], "is a folder, not a text file"),
])
def test_bad_input_exits_2_with_a_message(argv, message, sample, tmp_path, capsys):
    files = {"missing": tmp_path / "no.txt", "empty": tmp_path / "empty.txt", "binary": tmp_path / "b.bin",
             "latin1": tmp_path / "l.txt", "sample": sample, "broken": tmp_path / "broken.yaml",
             "badstatus": tmp_path / "bad.yaml", "badstart": tmp_path / "start.json", "tmp": tmp_path}
    files["empty"].write_text("  \n")
    files["binary"].write_bytes(b"\x00\x01\x02")
    files["latin1"].write_bytes("caf\xe9".encode("latin-1"))
    files["broken"].write_text("facts: [\n")
    files["badstatus"].write_text("facts:\n- {id: cand-1, start: 1, status: maybe}\n")
    files["badstart"].write_text('[{"id": "cand-1", "start": "twelve", "status": "accepted"}]')
    assert main([a.format(**files) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_propose_never_reads_the_curated_statistics(tmp_path, report_source, report_candidates):
    """The same candidates when every curated statistic in the sheets is made wrong (value, unit, period, offset)."""
    facts = tmp_path / "facts"
    facts.mkdir()
    changed = 0
    for sheet in sorted(Project.find().facts_dir.glob("*.yaml")):
        data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
        for block in (data or {}).get("facts") or []:
            if block.get("class") == "Statistic":
                block.update(value="999", unit="unit-kg", period="1999", offset=0, about="nobody")
                changed += 1
        (facts / sheet.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert changed > 200
    again = propose(report_source.text, knowledge(facts))
    assert [c.block() for c in again] == [c.block() for c in report_candidates]


def test_docstring_examples():
    import doctest
    import importlib

    for name in ("numerals", "units", "quantities", "qualifiers", "periods", "skip", "entities"):
        module = importlib.import_module(f"kg.sheets.propose.{name}")
        failed, tried = doctest.testmod(module)
        assert tried > 0 and failed == 0, name


def test_report_candidate_ids_are_unique(report_candidates):
    ids = [c.block()["id"] for c in report_candidates]
    assert len(ids) == len(set(ids))


def test_table3_gives_one_rank_per_year_about_that_years_category(report_source, report_candidates):
    """表3 row 1 reads 电脑与办公用品 (2010, 2011), then 手机与通讯设备 (2012-2019); row 4 starts 运动与娱乐设施."""
    first = _at(report_source, "1 电脑与", "1")
    row = {c.period: c for c in report_candidates if c.start == first}
    assert sorted(row) == [str(y) for y in range(2010, 2020)]
    assert all(c.value == "1" and c.unit == "unit-rank" and c.place == "table3" for c in row.values())
    assert row["2010"].about[0] == row["2011"].about[0] == "cat-computer-office"
    assert {row[str(y)].about[0] for y in range(2012, 2020)} == {"cat-mobile-phones"}
    assert row["2012"].sentence == "1 手机与通讯设备" and "aliexpress" in row["2012"].about
    fourth = _at(report_source, "4 运动与", "4")
    assert next(c for c in report_candidates if c.start == fourth and c.period == "2010").about[0] == \
        "cat-sports-entertainment"


def test_a_candidates_sentence_leaves_out_footnotes_the_pdf_put_inside_it(report_source, report_candidates):
    """The PDF put footnotes 13 and 14 inside the sentence on customs' 2020 H1 figures (lines 1398-1409)."""
    c = next(c for c in report_candidates if c.start == _at(report_source, "进出口增长 26.2%", "26.2"))
    assert "海关跨境电商监管平台进出口增长 26.2%" in c.sentence and "2020 年上半年" in c.sentence
    assert "eWTP" not in c.sentence and "http" not in c.sentence and "央视网" not in c.sentence
    assert c.period == "2020-01/2020-06"
    c = next(c for c in report_candidates if c.start == _at(report_source, "比重下降了 2.5%", "2.5"))
    assert c.sentence == "受中美贸易战影响，2019 年美国在中国跨境电商出口中的比重下降了 2.5%。"     # not 图 8's caption


def test_a_name_inside_a_longer_name_is_offered_too(report_source, report_candidates):
    """中国网民: the longest name is 中国网 (china.com.cn), but 中国 (China) is the one meant."""
    c = next(c for c in report_candidates if c.start == _at(report_source, "中国网民数量已经达到9.04亿", "9.04"))
    assert "CN" in c.about and c.unit == "unit-count-100m" and c.period == "2020-04"


def test_every_unit_word_names_a_unit_of_the_units_sheet():
    from kg.sheets.propose.units import UNIT_OF

    sheet = yaml.safe_load((Project.find().facts_dir / "units.yaml").read_text(encoding="utf-8"))
    units = {b["id"] for b in sheet["facts"] if b.get("class") == "Unit"}
    assert {u for u in UNIT_OF.values() if u} | {"unit-rank"} <= units



_PIECES = st.sampled_from(list("0123456789年月日%万亿元-—到至，。；\n 表图第双近约超过以上左右中国")
                          + ["今年", "上半年", "一季度", "美元", "数据来源：", "个百分点", "四成", "2019 年", "1. "])


@cache
def _knowledge():
    return knowledge(Project.find().facts_dir)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_text_gives_candidates_whose_offsets_hold_their_value(text):
    for c in propose(text, _knowledge()):
        assert 0 <= c.start < c.end <= len(text)
        if c.printed[:1].isdigit() or c.printed[:1] == "-":      # Arabic: the offsets hold the value as printed
            assert text[c.start:c.end] == c.value


def test_a_documents_date_and_places_come_from_its_sheet(tmp_path):
    """A second document: 今年 is its own year (its block's date), its places are its own sections."""
    import hashlib

    text = "一、概况\n今年 5月，速卖通在西班牙的销售额同比上涨 22 倍。\n"
    facts = tmp_path / "facts"
    facts.mkdir()
    digest = hashlib.sha256(text.encode()).hexdigest()
    (facts / "doc.yaml").write_text(
        "facts:\n"
        f"  - {{id: doc2, class: Report, label: {{zh: 另一份报告}}, date: '2021-06', sha256: {digest}}}\n"
        "  - {id: doc2-s1, class: Section, label: {zh: 概况}, partOfReport: doc2, lineStart: 1, lineEnd: 2}\n"
        "  - {id: ES, class: Country, label: {zh: 西班牙, en: Spain}, place: doc2-s1}\n", encoding="utf-8")
    [c] = propose(text, knowledge(facts))
    assert (c.value, c.unit, c.period, c.place, c.about) == ("22", "unit-multiple", "2021-05", "doc2-s1", ["ES"])
    with pytest.raises(ValueError, match="the text is not document 'doc2'"):
        propose(text + "又一句。", knowledge(facts), "doc2")


def test_tables_of_a_text_the_sheets_do_not_describe_are_read_from_their_captions():
    text = ("受中美贸易战影响，美国的比重下降了 2.5%。\n"
            "表 5：2019 年中国跨境电商主要出口国家占比变动情况\n"
            "国家 2018 年 2019 年 同比变动\n"
            "美国 17.50% 15.00% -2.50%\n"
            "法国 13.20% 11.40% -1.80%\n")
    found = {c.value: c for c in propose(text, _knowledge())}
    assert (found["17.50"].period, found["15.00"].period, found["-2.50"].period) == ("2018", "2019", "2018/2019")
    assert found["-1.80"].about[0] == "FR" and found["-1.80"].table["header"] == "同比变动"
    assert found["2.5"].table is None                       # prose: no year stated, the latest the text prints
    assert found["2.5"].period == "2019" and "period-not-stated" in found["2.5"].qualifiers
