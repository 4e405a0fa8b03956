"""The statistics explorer (/statistics, .csv, .json): filters, facets, sorting, pages, sentences, bad input.

Expected rows are found independently, by SPARQL over the built graph (the explorer reads it by property
passes), and the report's own numbers (表1: China 1000, the US 850, in 100 million US dollars, 2018).
"""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from kg.query.engine import Limits
from kg.query.saved import open_graph
from kg.web.serve import create_app

PREFIX = ("PREFIX cbo: <https://w3id.org/cbec-kg/ontology#> PREFIX cbr: <https://w3id.org/cbec-kg/resource/> "
          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ")
RES = "https://w3id.org/cbec-kg/resource/"


@pytest.fixture(scope="module")
def client(built):
    from kg.project import Project

    with TestClient(create_app(Project(built.dist.parent), Limits(workers=1))) as c:
        yield c


@pytest.fixture(scope="module")
def every(client) -> list[str]:
    """Every figure's id, in the explorer's default order: asked once for the module (the explorer is read-only)."""
    return json_ids(client)


@pytest.fixture(scope="module")
def graph(graph_file):
    return open_graph(graph_file, inferred=False)


def ids(graph, where: str) -> set[str]:
    """The statistics matching a SPARQL pattern on ?s."""
    rows = graph.query(PREFIX + f"SELECT DISTINCT ?s WHERE {{ ?s a cbo:Statistic . {where} }}")
    return {str(r[0])[len(RES):] for r in rows}


def counts(graph, where: str, var: str) -> dict[str, int]:
    """COUNT of statistics per value of ?var, by SPARQL GROUP BY."""
    rows = graph.query(PREFIX + f"SELECT ?{var} (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a cbo:Statistic . {where} }} "
                       f"GROUP BY ?{var}")
    return {str(r[0])[len(RES):] if str(r[0]).startswith(RES) else str(r[0]): int(r[1]) for r in rows}


def rows_json(client, **params) -> dict:
    r = client.get("/statistics.json", params={"_size": "all", **params})
    assert r.status_code == 200, r.text
    return r.json()


def json_ids(client, **params) -> list[str]:
    return [row["id"] for row in rows_json(client, **params)["rows"]]


def csv_rows(client, **params) -> list[dict]:
    r = client.get("/statistics.csv", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def html_ids(client, **params) -> list[str]:
    r = client.get("/statistics", params={"_size": "all", **params})
    assert r.status_code == 200, r.text
    body = r.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr id="([^"]+)">', body)


# -- filters ----------------------------------------------------------------------------------------

def test_about_china_has_table1_sales_and_not_the_us(client, graph):
    rows = {row["id"]: row for row in rows_json(client, about="CN")["rows"]}
    sales = rows["t1-CN-sales"]
    assert (sales["value_as_printed"], sales["period"], sales["unit"]) == ("1000", "2018", "亿美元")
    assert sales["normalized_value"] == "100000000000"
    assert "t1-US-sales" not in rows
    assert all(any(a["id"] == "CN" for a in row["about"]) for row in rows.values())
    assert set(rows) == ids(graph, "?s cbo:about cbr:CN")


def test_measure_filter_gives_the_measures_figures(client, graph):
    found = json_ids(client, measure="m-b2c-cb-sales")
    assert {"t1-CN-sales", "t1-US-sales"} <= set(found)
    assert set(found) == ids(graph, "?s cbo:measure cbr:m-b2c-cb-sales")


def test_filters_combine(client, graph):
    found = json_ids(client, measure="m-b2c-cb-sales", about="US")
    assert set(found) == ids(graph, "?s cbo:measure cbr:m-b2c-cb-sales ; cbo:about cbr:US")
    assert "t1-US-sales" in found and "t1-CN-sales" not in found


def test_source_and_place_filters(client, graph):
    assert set(json_ids(client, source="src-unctad-ecommerce-2018")) == ids(
        graph, "?s cbo:citesSource cbr:src-unctad-ecommerce-2018")
    assert set(json_ids(client, place="table1")) == ids(graph, "?s cbo:statedIn cbr:table1")
    # a section holds the tables inside it
    in_section = set(json_ids(client, place="s2-2-2"))
    assert "t1-CN-sales" in in_section
    assert in_section == ids(graph, "?s cbo:statedIn ?p . ?p cbo:partOfReport* cbr:s2-2-2")


def test_a_year_matches_periods_containing_it(client, graph):
    found = set(json_ids(client, period="2015"))
    spans = ids(graph, '?s cbo:period "2010/2019"')
    assert spans and spans <= found
    assert ids(graph, '?s cbo:period "2015"') <= found
    assert not found & ids(graph, '?s cbo:period "2018"')
    assert set(json_ids(client, period="2010/2019")) == spans


def test_text_filter_either_language_any_case(client, graph):
    lower, upper = json_ids(client, q="china"), json_ids(client, q="CHINA")
    assert lower == upper and "t1-CN-sales" in lower
    assert "t1-CN-sales" in json_ids(client, q="中国 2018 年跨境")
    labelled = ids(graph, '?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "china"))')
    assert set(lower) == labelled


def test_a_label_names_its_node(client):
    by_id = json_ids(client, about="CN")
    assert json_ids(client, about="中国") == by_id and json_ids(client, about="china") == by_id
    assert json_ids(client, measure="跨境电商 B2C 销售额") == json_ids(client, measure="m-b2c-cb-sales")
    data = rows_json(client, about="中国")
    assert data["filters"] == [{"name": "about", "value": "CN", "label": "中国"}]


def test_blank_filters_are_no_filters(client, every):
    assert json_ids(client, q="   ", about="") == every


def test_unknown_value_gives_no_rows_and_says_why(client):
    data = rows_json(client, measure="no-such-measure")
    assert data["rows"] == [] and data["total"] == 0
    assert any("no-such-measure" in m for m in data["messages"])
    page = client.get("/statistics", params={"about": "Atlantis"})
    assert page.status_code == 200 and "no figure has about &#39;Atlantis&#39;" in page.text


# -- the three representations agree -----------------------------------------------------------------

@pytest.mark.parametrize("params", [{"about": "CN"}, {"measure": "m-b2c-cb-sales", "_sort_desc": "value"},
                                    {"period": "2019", "_sort": "label"}, {"q": "速卖通", "_sort": "place"}, {}])
def test_csv_json_and_html_give_the_same_rows(client, params):
    from_json = json_ids(client, **params)
    assert [row["id"] for row in csv_rows(client, **params)] == from_json
    assert html_ids(client, **params) == from_json


def test_csv_rows_are_the_exports_rows(client, built):
    exported = {row["id"]: row for row in csv.DictReader(
        io.StringIO((built.dist / "statistics.csv").read_text(encoding="utf-8-sig")))}
    served = csv_rows(client, about="CN")
    assert served and all(row == exported[row["id"]] for row in served)


# -- facets -----------------------------------------------------------------------------------------

def facet(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


CONTAINS_2018 = ('?s cbo:period ?p FILTER(xsd:integer(SUBSTR(?p, 1, 4)) <= 2018 && '
                 '2018 <= xsd:integer(SUBSTR(IF(CONTAINS(?p, "/"), STRAFTER(?p, "/"), ?p), 1, 4))) .')


@pytest.mark.parametrize("params,where", [({}, ""), ({"about": "CN"}, "?s cbo:about cbr:CN ."),
                                          ({"period": "2018"}, CONTAINS_2018)])
def test_facet_counts_equal_sparql_counts(client, graph, params, where):
    data = rows_json(client, **params)
    assert facet(data, "measure") == counts(graph, where + " ?s cbo:measure ?m", "m")
    assert facet(data, "about") == counts(graph, where + " ?s cbo:about ?a", "a")
    assert facet(data, "source") == counts(graph, where + " ?s cbo:citesSource ?c", "c")


def test_year_facet_counts_periods_containing_the_year(client, graph):
    data = rows_json(client, about="CN")
    years = facet(data, "year")
    assert years
    for year, n in years.items():
        first = 'xsd:integer(SUBSTR(?p, 1, 4))'
        last = 'xsd:integer(SUBSTR(IF(CONTAINS(?p, "/"), STRAFTER(?p, "/"), ?p), 1, 4))'
        where = (f"?s cbo:about cbr:CN ; cbo:period ?p FILTER({first} <= {year} && {year} <= {last})")
        query = (PREFIX + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a cbo:Statistic . {where} }}")
        assert n == int(next(iter(graph.query(query)))[0]), year


def test_facet_links_add_their_filter(client):
    page = client.get("/statistics", params={"about": "CN"}).text
    assert 'href="/statistics?about=CN&amp;measure=m-b2c-cb-sales"' in page
    assert 'href="/statistics"' in page          # the chip's remove link for the only filter


# -- sorting and pages ------------------------------------------------------------------------------

def test_sort_by_normalised_value_is_numeric(client):
    up = [Decimal(r["normalized_value"]) for r in rows_json(client, _sort="normalized")["rows"]]
    down = [Decimal(r["normalized_value"]) for r in rows_json(client, _sort_desc="normalized")["rows"]]
    assert up == sorted(up) and down == sorted(down, reverse=True) and len(up) == len(down)
    sales = [r["value_as_printed"] for r in rows_json(client, measure="m-b2c-cb-sales", _sort_desc="value")["rows"]]
    assert sales[:2] == ["1000", "850"]          # as text, '850' would come first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_column_sorts_both_ways(client, every, lang):
    from kg.web.statistics import COLUMNS

    for column in COLUMNS:
        for key in ("_sort", "_sort_desc"):
            found = json_ids(client, **{key: column, "lang": lang})
            assert sorted(found) == sorted(every), (key, column)
    labels = [r["label"] for r in rows_json(client, _sort="label", lang=lang)["rows"]]
    assert labels == sorted(labels, key=str.casefold)


def test_pages_cover_the_rows_once(client, every):
    first = client.get("/statistics.json", params={"_size": "100"}).json()
    assert len(first["rows"]) == 100 and first["total"] == len(every) and first["next"]
    paged = []
    for page in range(1, first["pages"] + 1):
        paged += [r["id"] for r in client.get("/statistics.json", params={"_size": "100", "_page": page}).json()["rows"]]
    assert paged == every


# -- language and sentences -------------------------------------------------------------------------

def test_english_throughout(client):
    page = client.get("/statistics", params={"lang": "en", "about": "CN"}).text
    assert '<html lang="en">' in page
    for text in ("Value as printed", "Normalised", "China B2C cross-border sales, 2018", "hundred million US dollars",
                 "Table 1", "about: China"):
        assert text in page, text
    assert "数值（原文）" not in page


def test_each_number_in_its_sentence(client, report_source):
    row = next(r for r in rows_json(client, about="CN")["rows"] if r["id"] == "t1-CN-sales")
    assert row["sentence"]["number"] == "1000" and "中国" in row["sentence"]["before"]
    page = client.get("/statistics", params={"about": "CN", "period": "2018"}).text
    cell = page.split('<tr id="t1-CN-sales">', 1)[1].split("</tr>", 1)[0]
    assert "<mark>1000</mark>" in cell and 'href="/section/table1?lang=zh"' in cell


# -- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("params,status,words", [
    ({"_sort": "nope"}, 400, "cannot sort by 'nope'"),
    ({"_sort_desc": "<script>"}, 400, "cannot sort by"),
    ({"_sort": "label", "_sort_desc": "value"}, 400, "one of _sort and _sort_desc"),
    ({"q": "a\x01b"}, 400, "control character"),
    ({"about": "x" * 10_000}, 414, "too long"),
    ({"q": "x" * 300}, 400, "too long"),
    ({"_size": "0"}, 400, "_size"),
    ({"_size": "lots"}, 400, "_size"),
    ({"_page": "-1"}, 400, "_page"),
    ({"lang": "fr"}, 400, "lang must be zh or en"),
    ({"colour": "red"}, 400, "unknown parameter 'colour'"),
])
def test_bad_input_is_a_clear_4xx(client, params, status, words):
    page = client.get("/statistics", params=params)
    assert page.status_code == status and str(escape(words)) in page.text and "<script>" not in page.text
    data = client.get("/statistics.json", params=params)
    assert data.status_code == status and words in data.json()["error"] and "<script>" not in data.text
    text = client.get("/statistics.csv", params=params)
    assert text.status_code == status and words in text.text
    assert text.headers["content-type"].startswith("text/plain") and text.headers["x-content-type-options"] == "nosniff"


def test_markup_in_values_is_not_reflected(client):
    for params in ({"q": "<script>alert(1)</script>"}, {"about": "<script>alert(1)</script>"}):
        r = client.get("/statistics", params=params)
        assert r.status_code == 200
        assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text


def test_a_page_past_the_end_is_empty_and_says_so(client):
    data = client.get("/statistics.json", params={"_page": "99"}).json()
    assert data["rows"] == [] and any("past the last page" in m for m in data["messages"])


def test_docstring_examples():
    import doctest

    from kg.web import statistics

    failed, tried = doctest.testmod(statistics)
    assert tried > 0 and failed == 0


def test_every_link_on_the_page_answers(client):
    page = client.get("/statistics", params={"about": "CN"}).text
    links = sorted({html.unescape(h) for h in re.findall(r'href="(/[^"]*)"', page)})
    assert any(h.startswith("/section/table1") for h in links) and any(h.startswith("/entity/CN") for h in links)
    for href in links:
        if href.startswith(("/entity/", "/section/", "/statistics")):
            assert client.get(href).status_code == 200, href
