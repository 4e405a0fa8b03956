"""The SPARQL editor page (/editor) as the server sends it: menu by theme, languages, bad parameters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kg.query.saved import catalogue
from kg.web.editor import menu

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client(built):
    from kg.project import Project
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    with TestClient(create_app(Project(built.dist.parent), Limits(timeout=2.0, workers=1))) as c:
        yield c


def config(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', page, re.S)
    assert found, "no editor configuration in the page"
    return json.loads(found.group(1))


def test_menu_groups_every_saved_query_once_by_theme():
    queries = catalogue(ROOT / "queries")
    themes = menu(ROOT / "queries", "zh")
    names = [q["name"] for t in themes for q in t.queries]
    assert sorted(names) == sorted(q.name for q in queries)
    tables = next(t for t in themes if t.name == "表格")
    assert "b2c_exporters_2018" in [q["name"] for q in tables.queries]
    assert [t.name for t in menu(ROOT / "queries", "en")][:1] == ["Alibaba & AliExpress"]


def test_editor_page_extends_base_and_opens_one_query(client):
    r = client.get("/editor")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert 'class="top"' in r.text and "/static/editor.js" in r.text and "/assets/yasgui/yasgui.min.js" in r.text
    assert "<summary>表格" in r.text and "2018 年 B2C 跨境电商交易额前十国家/地区" in r.text
    settings = config(r.text)
    assert settings["endpoint"] == "/sparql" and settings["start"] in settings["queries"]
    assert len(settings["queries"]) == len(catalogue(ROOT / "queries"))
    assert '"zh"' in settings["queries"]["b2c_exporters_2018"]["text"]      # $lang filled in


def test_english_page_has_english_titles_and_labels(client):
    r = client.get("/editor", params={"lang": "en", "query": "b2c_exporters_2018"})
    assert r.status_code == 200 and '<html lang="en">' in r.text
    assert "<summary>Tables" in r.text and "Top ten B2C cross-border e-commerce sellers of 2018" in r.text
    settings = config(r.text)
    assert settings["start"] == "b2c_exporters_2018"
    assert '"en"' in settings["queries"]["b2c_exporters_2018"]["text"]
    assert "Saved queries" in r.text and "保存的查询" not in r.text


@pytest.mark.parametrize("params, status, words", [
    ({"lang": "fr"}, 400, "unknown language 'fr'"),
    ({"query": "b2c_exporter"}, 404, "did you mean b2c_exporters_2018"),
    ({"query": "../pyproject"}, 404, "no saved query '../pyproject'"),
    ({"query": ""}, 404, "no saved query ''"),
])
def test_bad_parameters_are_refused_with_a_message(client, params, status, words):
    r = client.get("/editor", params=params)
    assert r.status_code == status and words in r.text


def test_editor_assets_are_served(client):
    for path in ("/static/editor.js", "/static/editor.css", "/assets/yasgui/yasgui.min.js"):
        assert client.get(path).status_code == 200, path
