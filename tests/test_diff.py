"""``cbec-kg diff``: two builds compared as sets of triples, grouped by subject, a changed value shown as a change."""

from __future__ import annotations

import json

import pytest

from kg.cli import main
from kg.rdfio.diff import diff_paths, read_triples

CBO = "https://w3id.org/cbec-kg/ontology#"
CN_SALES = "<https://w3id.org/cbec-kg/resource/t1-CN-sales>"


def _write(path, triples):
    path.write_text("".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(built):
    return read_triples(built.dist)


def test_equal_graphs_have_no_change(built, capsys):
    assert main(["diff", str(built.dist), str(built.dist / "cbec-kg.ttl"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {"added": [], "removed": [], "changed": []}


def test_one_triple_removed(built, base, tmp_path):
    label = next(t for t in sorted(base) if t[0] == CN_SALES and t[1].endswith("#label>"))
    new = _write(tmp_path / "new.nt", base - {label})
    d = diff_paths(built.dist, new)
    assert d.added == [] and d.removed == [label] and d.changed == []


def test_one_value_changed(built, base, tmp_path, capsys):
    printed = next(t for t in base if t[0] == CN_SALES and t[1] == f"<{CBO}printedValue>")
    assert printed[2] == '"1000"'      # 表1: China's B2C cross-border sales, 2018, 1000 亿美元
    changed = (printed[0], printed[1], '"1001"')
    new = _write(tmp_path / "new.nt", (base - {printed}) | {changed})
    assert main(["diff", str(built.dist), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["added"] == [f'{CN_SALES} <{CBO}printedValue> "1001" .']
    assert data["removed"] == [f'{CN_SALES} <{CBO}printedValue> "1000" .']
    assert [(c["old"], c["new"], c["label"]) for c in data["changed"]] == [('"1000"', '"1001"', "中国 2018 年跨境 B2C 销售额")]
    assert main(["diff", str(built.dist), str(new)]) == 0
    text = capsys.readouterr().out
    assert "## 中国 2018 年跨境 B2C 销售额 (cbr:t1-CN-sales)" in text
    assert 'changed cbo:printedValue: "1000" → "1001"' in text
    assert "removed:" not in text     # the change is not also listed as a removal and an addition


@pytest.mark.parametrize("bad", ["/no/such/dist", "README.md"])
def test_bad_sides_exit_2(built, bad, capsys):
    assert main(["diff", str(built.dist), bad]) == 2
    assert bad in capsys.readouterr().err


def test_unreadable_rdf_is_located(built, tmp_path, capsys):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["diff", str(built.dist), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.ttl" in err and "Traceback" not in err


def test_each_build_writes_changes_against_the_one_it_replaces(built_project):
    from kg.build import build

    project = built_project             # the session's build, copied: the first of its project
    assert "No previous build" in (project.dist / "CHANGES.md").read_text(encoding="utf-8")
    sheet = project.root / "facts" / "table1.yaml"
    text = sheet.read_text(encoding="utf-8")
    assert "中国 2018 年跨境 B2C 销售额" in text
    sheet.write_text(text.replace('label: {zh: "中国 2018 年跨境 B2C 销售额"', 'label: {zh: "中国 2018 年跨境 B2C 零售额"'),
                     encoding="utf-8")
    build(project, quiet=True, reasoner=False)
    changes = (project.dist / "CHANGES.md").read_text(encoding="utf-8")
    assert "1 triples added, 1 removed, 0 values changed." in changes
    assert "## 中国 2018 年跨境 B2C 零售额 (cbr:t1-CN-sales)" in changes
    assert '- removed: rdfs:label "中国 2018 年跨境 B2C 销售额"@zh' in changes
    assert '- added: rdfs:label "中国 2018 年跨境 B2C 零售额"@zh' in changes
