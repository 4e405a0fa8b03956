"""Bad input: a located message (file, line, field), exit code 2, dist/ untouched."""

from __future__ import annotations

import json
import re

import pytest

from kg.build import load
from kg.cli import main
from kg.rdfio.serialize import sorted_ntriples
from tests.support.dist import snapshot

GOOD = """\
sheet:
  title: {zh: 测试, en: test}
facts:
  - id: test-country
    class: Country
    label: {zh: 测试国, en: Testland}
    place: table1
"""

# (case, sheet text, line of the problem, field named, words the message must hold)
CASES = [
    ("yaml_syntax", GOOD + "    note: a: b\n", 8, "", "YAML syntax error"),
    ("unknown_entity", GOOD + "    partOf: atlantis\n", 8, "partOf", "unknown entity 'atlantis'"),
    ("duplicate_id", GOOD + "  - id: test-country\n    class: Country\n    label: {zh: 又一个, en: again}\n    place: table1\n",
     8, "id", "duplicate id 'test-country'"),
    ("no_provenance", GOOD.replace("    place: table1\n", ""), 4, "place", "no provenance"),
    ("not_a_number", GOOD + """  - id: test-stat
    class: Statistic
    label: {zh: 测试数, en: test figure}
    measure: m-b2c-cb-sales
    about: test-country
    value: "1,0x0"
    unit: unit-usd-100m
    period: "2018"
    place: table1
""", 13, "value", "not a number"),
    ("unquoted_number", GOOD + """  - id: test-stat
    class: Statistic
    label: {zh: 测试数, en: test figure}
    measure: m-b2c-cb-sales
    about: test-country
    value: 4.0
    unit: unit-usd-100m
    period: "2018"
    place: table1
""", 13, "value", "quoted string"),
    ("unknown_property", GOOD + "    capitalCity: Beijing\n", 8, "capitalCity", "unknown property 'capitalCity'"),
    ("unknown_class", GOOD.replace("class: Country", "class: Nation"), 5, "class", "unknown class 'Nation'"),
    ("wrong_domain", GOOD + "    operatedBy: alibaba\n", 8, "operatedBy", "applies to a Platform"),
    ("wrong_range", GOOD + "    partOf: alibaba\n", 8, "partOf", "is a Company, but partOf expects Place"),
    ("unknown_place", GOOD.replace("place: table1", "place: table99"), 7, "place", "unknown place 'table99'"),
    ("bad_tagged_value", GOOD + "    note: !!int x\n", 8, "", "cannot read this value"),
    ("control_character", GOOD.replace("en: Testland", 'en: "Test\\x1fland"'), 6, "label", "control character U+001F"),
]


@pytest.mark.parametrize("case,text,line,field,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_located_and_leaves_dist(built_project, capsys, case, text, line, field, words):
    project = built_project
    before = snapshot(project.dist)
    sheet = project.facts_dir / "zz-bad.yaml"
    sheet.write_text(text, encoding="utf-8")
    code = main(["--root", str(project.root), "build", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    located = [ln for ln in err.splitlines() if "zz-bad.yaml" in ln]
    assert located, err
    first = located[0]
    assert re.search(rf"zz-bad\.yaml:{line}:", first), first
    if field:
        assert f"field '{field}'" in first, first
    assert words in first, first
    assert "Traceback" not in err
    assert snapshot(project.dist) == before


def test_errors_are_all_listed_at_once(project, capsys):
    text = GOOD + "    partOf: atlantis\n    capitalCity: x\n"
    (project.facts_dir / "zz-bad.yaml").write_text(text, encoding="utf-8")
    assert main(["--root", str(project.root), "check"]) == 2
    err = capsys.readouterr().err
    assert "unknown entity 'atlantis'" in err and "unknown property 'capitalCity'" in err


# --- JSON sheets (what a program writing sheets would produce): the same checks, located the same way -------------

def json_sheet(extra: dict | None = None, statistic: dict | None = None) -> str:
    fact = {"id": "test-country", "class": "Country", "label": {"zh": "测试国", "en": "Testland"}, "place": "table1"}
    fact.update(extra or {})
    facts = [fact] + ([statistic] if statistic else [])
    return json.dumps({"sheet": {"title": {"zh": "测试", "en": "test"}}, "facts": facts}, ensure_ascii=False, indent=1) + "\n"


def line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


STAT = {"id": "test-stat", "class": "Statistic", "label": {"zh": "测试数", "en": "test figure"}, "measure": "m-b2c-cb-sales",
        "about": "test-country", "value": "1,0x0", "unit": "unit-usd-100m", "period": "2018", "place": "table1"}
JSON_CASES = [
    ("json_syntax", json_sheet().replace('"class": "Country",', '"class": "Country"'), '"label"', "", "JSON syntax error"),
    ("json_unknown_entity", json_sheet({"partOf": "atlantis"}), '"partOf"', "partOf", "unknown entity 'atlantis'"),
    ("json_not_a_number", json_sheet(statistic=STAT), '"value"', "value", "not a number"),
    ("json_unknown_property", json_sheet({"capitalCity": "Beijing"}), '"capitalCity"', "capitalCity", "unknown property"),
    ("json_duplicate_key", json_sheet({"note": "a"}).replace('"note": "a"', '"note": "a",\n   "note": "b"'), '"note": "b"', "",
     "duplicate key 'note'"),
    # written as an escape (\u001f) and raw (DEL needs no escape in JSON): neither may slip past the control-character check
    ("json_escaped_control_character", json_sheet({"note": "a\x1fb"}), '"note"', "note", "control character U+001F"),
    ("json_raw_control_character", json_sheet({"note": "a\x7fb"}), '"note"', "note", "control character U+007F"),
]


@pytest.mark.parametrize("case,text,marker,field,words", JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_bad_json_sheet_is_located_and_leaves_dist(built_project, capsys, case, text, marker, field, words):
    project = built_project
    before = snapshot(project.dist)
    (project.facts_dir / "zz-bad.json").write_text(text, encoding="utf-8")
    assert main(["--root", str(project.root), "build", "--quiet"]) == 2
    err = capsys.readouterr().err
    located = [ln for ln in err.splitlines() if "zz-bad.json" in ln]
    assert located, err
    assert re.search(rf"zz-bad\.json:{line_of(text, marker)}:", located[0]), (located[0], line_of(text, marker))
    if field:
        assert f"field '{field}'" in located[0], located[0]
    assert words in located[0], located[0]
    assert "Traceback" not in err
    assert snapshot(project.dist) == before


def graph_nt(project) -> bytes:
    """The project's graph as the build writes it to cbec-kg.nt (sorted N-Triples), loaded and checked but not
    built: the rest of a build depends on the graph alone."""
    return sorted_ntriples(load(project)[0])


def test_a_json_sheet_builds_the_same_graph_as_its_yaml_twin(project, monkeypatch):
    # the report's text stays out of reach, as for any copy of the project (its fidelity checks would ask the test
    # country for an ISO code, a check this comparison is not about); $CBEC_KG_SOURCE would point the copy at it
    monkeypatch.delenv("CBEC_KG_SOURCE", raising=False)
    (project.facts_dir / "zz-test.yaml").write_text(GOOD + "    note: 一个注释\n", encoding="utf-8")
    from_yaml = graph_nt(project)
    (project.facts_dir / "zz-test.yaml").unlink()
    (project.facts_dir / "zz-test.json").write_text(json_sheet({"note": "一个注释"}), encoding="utf-8")
    assert b"test-country" in from_yaml and "一个注释".encode() in from_yaml
    assert graph_nt(project) == from_yaml
