"""Search (kg.search): what an analyst's words find first, the JSON answer, the command and the web routes.

The expected first hits come from the report's names and the ranking rules in kg/search/rank.py (exact label >
exact alias > prefix > contained > every word > typo-corrected; the reader's language first), not from output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from kg.cli import main
from kg.search.index import NameIndex
from kg.search.service import QueryError, Search, answer

# query, reader's language, class filter, expected first hit (id), how it should match
FIRST_HITS = [
    ("菜鸟", "zh", None, "cainiao", "alias"),                       # 2-character Chinese alias
    ("鸟", "zh", None, "cainiao", "label"),                          # 1 character, inside 菜鸟网络
    ("俄", "zh", None, "RU", "label"),                               # 1 character, prefix of 俄罗斯
    ("出口", "zh", None, "m-export-market-share", "label"),          # 2 characters: shortest label that starts with it
    ("海外仓", "zh", None, "svc-overseas-warehouse", "label"),       # exact label beats 海外仓三日达 and 速卖通海外仓
    ("速卖通", "zh", None, "aliexpress", "label"),
    ("全球速卖通", "zh", None, "aliexpress", "alias"),
    ("B2C", "zh", None, "B2C", "alias"),                             # abbreviation
    ("b2c", "en", None, "B2C", "alias"),
    ("eWTP", "zh", None, "ewtp", "alias"),
    ("EWTP", "en", None, "ewtp", "alias"),
    ("AWS", "zh", None, "aws", "alias"),
    ("aws", "en", None, "aws", "alias"),
    ("ＡＷＳ", "zh", None, "aws", "alias"),                         # full-width letters
    ("ALIEXPRESS", "en", None, "aliexpress", "label"),               # English in any case
    ("cainiao", "en", None, "cainiao", "alias"),                    # its English alias Cainiao, any case
    ("amazon web", "en", None, "aws", "label"),
    ("AliExpress 海外仓", "zh", None, "svc-aliexpress-overseas-warehouses", "words"),   # mixed scripts
    ("AliExpress海外仓", "en", None, "svc-aliexpress-overseas-warehouses", "words"),
    ("Alibabba", "en", None, "alibaba", "label"),                    # typo
    ("Amazn", "en", None, "amazon", "label"),                        # typo
    ("Alibaba", "en", "Brand", "brand-alibaba", "label"),            # class filter picks the brand, not the company
    ("海外仓", "zh", "Statistic", "s3-2-2-overseas-warehouse-weight-range", "label"),
    ("速卖通海外仓数量", "zh", None, "s3-2-5-aliexpress-warehouse-count", "label"),   # a statistic's label
    ("阿里", "zh", "Organization", "alibaba", "alias"),              # class with its sub-classes (Company)
]


@pytest.fixture(scope="module")
def search(built) -> Search:
    return Search.of_dist(built.dist)


@pytest.mark.parametrize("query,lang,cls,expected,field", FIRST_HITS, ids=[r[0] + (f"-{r[2]}" if r[2] else "") for r in FIRST_HITS])
def test_first_hit(search, query, lang, cls, expected, field):
    hits = search.find(query, lang, cls, 5)
    assert hits, f"{query!r} found nothing"
    assert hits[0].entry.id == expected, [(h.entry.id, h.score, h.matched.why()) for h in hits]
    assert hits[0].matched.field == field


def test_exact_alias_then_prefix_then_contained(search):
    hits = search.find("菜鸟", "zh", None, 10)
    assert [(h.entry.id, h.matched.how) for h in hits] == [
        ("cainiao", "exact"), ("svc-cainiao-post-lines", "prefix"), ("s2-4-singles-day-charter-flights", "contained")]
    assert hits[0].matched.why() == "alias: 菜鸟"


def test_exact_label_beats_exact_alias(search):
    # 安克 is the company's label and an alias of the brand; 安克（ANKER） the brand's label and the company's alias
    assert [(h.entry.id, h.matched.field, h.matched.how) for h in search.find("安克", "zh", None, 2)] == [
        ("anker", "label", "exact"), ("brand-anker", "alias", "exact")]
    assert [(h.entry.id, h.matched.field) for h in search.find("安克（ANKER）", "zh", None, 2)] == [
        ("brand-anker", "label"), ("anker", "alias")]


def test_reader_language_first(search):
    zh = search.find("菜鸟网络", "zh", None, 1)[0]
    en = search.find("菜鸟网络", "en", None, 1)[0]
    assert zh.entry.id == en.entry.id == "cainiao"
    assert zh.score > en.score                     # the same exact label counts more for a Chinese reader


def test_typo_is_marked_and_ranked_below_real_matches(search):
    hit = search.find("Alibabba", "en", None, 1)[0]
    assert hit.matched.corrected == "Alibabba" and "for 'Alibabba'" in hit.matched.why()
    assert hit.score < search.find("Alibaba", "en", None, 1)[0].score


def test_class_filter_keeps_only_that_class_and_below(search):
    hits = search.find("阿里", "zh", "Organization", 50)
    assert hits and all(h.entry.cls in search.catalogue.subclasses["Organization"] for h in hits)
    assert search.find("阿里", "zh", "企业", 50) == search.find("阿里", "zh", "company", 50)   # by label or name


def test_json_shape_best_first(search):
    body = answer(search, "AliExpress", "en", None, 20)
    assert body["query"] == "AliExpress" and body["lang"] == "en" and len(body["hits"]) == 20
    first = body["hits"][0]
    assert {"iri", "id", "label", "labels", "class", "score", "matched"} <= set(first)
    assert first["iri"] == "https://w3id.org/cbec-kg/resource/aliexpress" and first["label"] == "AliExpress"
    assert first["labels"] == {"en": "AliExpress", "zh": "速卖通"} and first["class"] == "Platform"
    assert first["matched"]["field"] == "label" and first["matched"]["text"] == "AliExpress"
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    json.dumps(body)


@pytest.mark.parametrize("text", ["", "   ", "a\x00b", "菜\x1b鸟", "x" * 10_000])
def test_bad_queries_say_what_is_wrong(search, text):
    with pytest.raises(QueryError):
        search.find(text)


@pytest.mark.parametrize("kwargs,word", [({"limit": 0}, "limit"), ({"limit": "ten"}, "limit"),
                                         ({"cls": "Nope"}, "class"), ({"lang": "fr"}, "language")])
def test_bad_options_say_what_is_wrong(search, kwargs, word):
    with pytest.raises(QueryError, match=word):
        search.find("菜鸟", **kwargs)


def test_nothing_found_is_empty_not_an_error(search):
    assert search.find("<script>alert(1)</script>") == []


def test_ntriples_and_turtle_give_the_same_names(built):
    from kg.search.names import read

    nt, ttl = read(built.dist / "cbec-kg.nt"), read(built.dist / "cbec-kg.ttl")
    assert nt.entries == ttl.entries and nt.names == ttl.names and len(nt.names) > 1000
    assert nt.class_labels["Company"] == {"zh": "企业", "en": "company"}


def test_names_file_holds_the_graphs_names(built, tmp_path):
    from kg.search.names import of_dist

    (tmp_path / "cbec-kg.nt").symlink_to(built.dist / "cbec-kg.nt")      # a build from before the names file
    from_file, from_graph = of_dist(built.dist), of_dist(tmp_path)
    assert from_file == from_graph and len(from_file.names) > 1000


class InMemory(NameIndex):
    KEPT = False


@pytest.mark.parametrize("cache", ["folder", "a file"])
def test_kept_index_answers_as_one_built_in_memory(built, tmp_path, monkeypatch, cache):
    # the index is kept between processes (made by the first search, opened by the next); where it cannot be kept
    # (the cache folder is a file), it is built in memory
    root = tmp_path / "cache"
    if cache == "a file":
        root.write_text("not a folder")
    monkeypatch.setenv("CBEC_KG_CACHE", str(root))
    made, opened, memory = Search.of_dist(built.dist), Search.of_dist(built.dist), Search.of_dist(built.dist)
    memory.index = InMemory(memory.catalogue.names, memory.catalogue.entries)
    assert len(list(root.glob("search/*"))) == (1 if cache == "folder" else 0)
    queries = [(q, lang, cls) for q, lang, cls, _, _ in FIRST_HITS] + [("AliExpress 海外仓", "en", None), ("amazn", "en", None)]
    for query in queries:
        assert answer(made, *query, limit=50) == answer(opened, *query, limit=50) == answer(memory, *query, limit=50)


@pytest.mark.parametrize("module", ["kg.search.names", "kg.search.service", "kg.web.search"])
def test_docstring_examples(module):
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(module))
    assert tried >= 1 and failed == 0


# -- the command -------------------------------------------------------------------------------------

def test_cli_table(built, capsys, monkeypatch):
    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["search", "菜鸟"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["#", "label"]
    assert lines[2].split()[:3] == ["1", "菜鸟网络", "Cainiao"] and "alias: 菜鸟" in lines[2]


def test_cli_json(built, capsys, monkeypatch):
    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["search", "Amazn", "--lang", "en", "--limit", "3", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in body["hits"]][0] == "amazon" and len(body["hits"]) == 3


def test_command_loads_no_rdflib(built):
    # what `cbec-kg search` imports, in a fresh process: rdflib alone would take 0.13 s of its 0.2 s
    script = "import sys; from kg.cli import main; code = main(sys.argv[1:]); print(code, 'rdflib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script, "search", "菜鸟"], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"CBEC_KG_DIST": str(built.dist)})
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and "alias: 菜鸟" in lines[2], done.stdout + done.stderr
    assert lines[-1] == "0 False"


@pytest.mark.parametrize("argv,message", [(["search", ""], "empty query"), (["search", "a\x01b"], "control"),
                                          (["search", "x" * 10_000], "too long"), (["search", "x", "--class", "Nope"], "unknown class"),
                                          (["search", "x", "--limit", "500"], "limit")])
def test_cli_bad_input_exits_2(built, capsys, monkeypatch, argv, message):
    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# -- the web routes ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(built):
    from kg.project import Project
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    with TestClient(create_app(Project(built.dist.parent), Limits(workers=1))) as c:
        yield c


def test_api_answers(client):
    r = client.get("/api/search", params={"q": "菜鸟", "limit": 8})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    hits = r.json()["hits"]
    assert hits[0]["id"] == "cainiao" and hits[0]["matched"] == {"field": "alias", "lang": "zh", "text": "菜鸟",
                                                                 "how": "exact", "corrected": ""}
    r = client.get("/api/search", params={"q": "Alibaba", "class": "Brand", "lang": "en"})
    assert [h["id"] for h in r.json()["hits"]] == ["brand-alibaba"]


@pytest.mark.parametrize("params,word", [({}, "empty"), ({"q": ""}, "empty"), ({"q": "x" * 10_000}, "too long"),
                                         ({"q": "a\x00b"}, "control"), ({"q": "x", "limit": "-1"}, "limit"),
                                         ({"q": "x", "class": "<script>"}, "unknown class"), ({"q": "x", "lang": "de"}, "language")])
def test_api_bad_input_is_400_with_message(client, params, word):
    r = client.get("/api/search", params=params)
    assert r.status_code == 400 and word in r.json()["error"]


def test_api_script_is_just_text(client):
    r = client.get("/api/search", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200 and r.json()["hits"] == []


def test_page_lists_hits_with_class_and_reason(client):
    r = client.get("/search", params={"q": "菜鸟"})
    assert r.status_code == 200 and "Content-Security-Policy" in r.headers
    page = r.text
    assert 'href="/entity/cainiao?lang=zh"' in page and "菜鸟网络" in page and "Cainiao Network" in page
    assert "企业" in page and "别名" in page and "<mark>菜鸟</mark>" in page
    assert '<script src="/static/suggest.js"></script>' in page


def test_page_in_english(client):
    page = client.get("/search", params={"q": "Amazn", "lang": "en"}).text
    assert 'href="/entity/amazon?lang=en"' in page and "spelling corrected" in page


@pytest.mark.parametrize("q,status", [("", 200), ("x" * 10_000, 400), ("a\x01b", 400), ("<script>alert(1)</script>", 200)])
def test_page_bad_input_never_500(client, q, status):
    r = client.get("/search", params={"q": q})
    assert r.status_code == status
    assert "<script>alert" not in r.text
    if status == 400:
        assert 'class="error"' in r.text


def test_suggest_script_is_served(client):
    r = client.get("/static/suggest.js")
    assert r.status_code == 200 and "/api/search" in r.text and "location.origin" in r.text
