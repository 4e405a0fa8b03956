"""Property-based tests: mutated fact sheets end in a valid graph or a located error, never a traceback or a broken dist/."""

from __future__ import annotations

import contextlib
import copy
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.build import build
from kg.cli import main
from kg.project import Project
from tests.support.dist import snapshot

ROOT = Path(__file__).resolve().parent.parent

BASE = [
    {"id": "fz-country", "class": "Country", "label": {"zh": "测试国", "en": "Testland"}, "isoCode": "TL", "place": "table1"},
    {"id": "fz-company", "class": "Company", "label": {"zh": "测试公司", "en": "Test Co"}, "basedIn": "fz-country",
     "place": ["s2-1"]},
    {"id": "fz-platform", "class": "Platform", "label": {"zh": "测试平台", "en": "Test Mall"}, "operatedBy": "fz-company",
     "place": "s2-1"},
    {"id": "fz-stat", "class": "Statistic", "label": {"zh": "测试数", "en": "test figure"}, "measure": "m-b2c-cb-sales",
     "about": "fz-country", "value": "1,234.5", "unit": "unit-usd-100m", "period": "2019", "place": "table1"},
]
ODD = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(min_size=600, max_size=2000),
    st.sampled_from(['<script>alert(1)</script>', 'a "quoted" \\ back\\slash', "line\nbreak", "tab\there",
                     "comma, \"and\" quote", "}{]['", "a b#c<d>e", "\u202eRTL\u202c", "\u0000nul", "零宽\u200b空格",
                     "emoji 🛒", "&amp; &lt;", "@context", "_:b0", "http://x/ y"]),
)
VALUES = st.one_of(ODD, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                   st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))


@st.composite
def mutated(draw):
    facts = copy.deepcopy(BASE)
    kind = draw(st.sampled_from(["drop", "retype", "break_ref", "duplicate", "odd_text", "odd_id", "raw", "new_key"]))
    block = draw(st.sampled_from(facts))
    keys = sorted(block)
    if kind == "drop":
        block.pop(draw(st.sampled_from(keys)))
    elif kind == "retype":
        block[draw(st.sampled_from(keys))] = draw(VALUES)
    elif kind == "break_ref":
        key = draw(st.sampled_from([k for k in keys if k in ("basedIn", "operatedBy", "about", "measure", "unit", "place")]
                                   or ["place"]))
        block[key] = draw(st.sampled_from(["nowhere", "fz-stat", "table1", "unit-percent", "report", "B2B"]))
    elif kind == "duplicate":
        facts.append(copy.deepcopy(block))
    elif kind == "odd_text":
        where = draw(st.sampled_from(["zh", "en", "value", "period", "note"]))
        if where in ("zh", "en"):
            block["label"][where] = draw(ODD)
        else:
            block[where] = draw(ODD)
    elif kind == "odd_id":
        block["id"] = draw(ODD)
    elif kind == "new_key":
        block[draw(st.sampled_from(["capital", "partOf", "date", "rank", "related", "label"]))] = draw(VALUES)
    text = yaml.safe_dump({"facts": facts}, allow_unicode=True, sort_keys=False)
    if kind == "raw":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from([":", "- ", "\t", "{", "]", "'", '"', "&a", "*b", "!!int x", "\n  x: y"])) + text[at:]
    return kind, text


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    """A small project (report structure, units and one sheet) with a good build in dist/, for fuzzing."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "facts").mkdir()
    for name in ("schema.json", "report.yaml", "units.yaml", "sources.yaml", "organisations.yaml", "places.yaml",
                 "table1.yaml", "alibaba.yaml", "business-models.yaml"):
        shutil.copy(ROOT / "facts" / name, root / "facts" / name)
    build(Project.find(root), quiet=True, reasoner=False)
    return root, snapshot(root / "dist")


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_mutated_sheet_builds_or_fails_cleanly(case, fuzz_project):
    kind, text = case
    root, before = fuzz_project
    sheet = root / "facts" / "fuzz.yaml"
    sheet.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--root", str(root), "build", "--quiet", "--no-reasoner"])
    message = err.getvalue()
    assert code in (0, 1, 2), message
    assert "Traceback" not in message
    if code == 0:
        g = Graph().parse(root / "dist" / "cbec-kg.ttl", format="turtle")
        assert len(g) > 1000
        assert (root / "dist" / "views" / "index.html").exists()
        before.clear()
        before.update(snapshot(root / "dist"))
    else:
        lines = [ln for ln in message.splitlines() if ln.strip() and not ln.startswith("cbec-kg:") and "more problems" not in ln]
        assert lines, message
        for line in lines:
            assert re.match(r"^\s*\S*fuzz\.yaml:\d+: ", line) or re.match(r"^\s*\S+\.yaml:\d+: ", line), (kind, line)
        assert snapshot(root / "dist") == before, "a failed build changed dist/"


def test_fuzz_base_sheet_is_valid(fuzz_project):
    root, _ = fuzz_project
    (root / "facts" / "fuzz.yaml").write_text(yaml.safe_dump({"facts": BASE}, allow_unicode=True), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--root", str(root), "build", "--quiet", "--no-reasoner"]) == 0
