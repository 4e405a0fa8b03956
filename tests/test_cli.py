"""The command line: subcommands, help, exit codes."""

from __future__ import annotations

import subprocess
import sys

from kg.cli import main, parser


def test_every_command_has_help():
    sub = next(a for a in parser()._actions if a.dest == "command")
    assert {"build", "check", "ground", "queries", "query"} <= set(sub.choices)
    for name, p in sub.choices.items():
        assert p.description or sub._choices_actions, name
    assert all(action.help for action in sub._choices_actions)


def test_query_prints_a_table(built, capsys, monkeypatch):
    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["query", "b2c_exporters_2018"]) == 0
    out = capsys.readouterr().out
    assert "(10 rows)" in out
    assert "中国香港" in out and "94.3" in out


def test_query_unknown_name_suggests(built, capsys, monkeypatch):
    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["query", "b2c_exporter_2018"]) == 2
    assert "did you mean b2c_exporters_2018" in capsys.readouterr().err


def test_query_csv_and_json(built, capsys, monkeypatch):
    import csv
    import io
    import json

    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["query", "alibaba_platforms", "--format", "csv", "--lang", "en"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["platform"] for r in rows) == ["AliExpress", "Alibaba.com", "Taobao", "Tmall Global"]
    assert main(["query", "alibaba_platforms", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]["bindings"]) == 4


def test_queries_lists_catalogue(capsys):
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    assert "b2c_exporters_2018" in out and "2018 年 B2C 跨境电商交易额前十国家/地区" in out


def test_python_m_kg_is_the_cli():
    r = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "build" in r.stdout and "query" in r.stdout


def test_no_command_is_usage_error(capsys):
    assert main([]) == 2


def test_syntax_error_gives_line_and_column_and_exit_2(capsys):
    assert main(["query", "-e", "SELECT ?x\nWHERE { ?x ?y }"]) == 2
    assert "syntax error at line 2, column" in capsys.readouterr().err


def test_update_is_refused(capsys):
    assert main(["query", "-e", "DELETE WHERE { ?s ?p ?o }"]) == 2
    assert "read-only" in capsys.readouterr().err


def test_formats_parse(built, capsys, monkeypatch):
    import io

    from rdflib import Graph
    from rdflib.query import Result

    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    for fmt in ("xml", "tsv", "csv", "json"):
        assert main(["query", "ewtp_countries", "--format", fmt]) == 0
        result = Result.parse(io.BytesIO(capsys.readouterr().out.encode()), format=fmt)
        assert len(list(result)) == 4
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (?s = <https://w3id.org/cbec-kg/resource/ewtp>) }"
    for fmt, rdf_format in (("turtle", "turtle"), ("json-ld", "json-ld")):
        assert main(["query", "-e", construct, "--format", fmt]) == 0
        assert len(Graph().parse(data=capsys.readouterr().out, format=rdf_format)) >= 5


def test_show_card_and_suggestions(built, capsys, monkeypatch):
    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["show", "菜鸟"]) == 0
    out = capsys.readouterr().out
    assert "菜鸟网络 / Cainiao Network" in out and "隶属于: 阿里巴巴" in out and "二（四）速卖通案例" in out
    assert main(["show", "AliExpress", "--lang", "en"]) == 0
    assert "first-tier market: Russia" in capsys.readouterr().out
    assert main(["show", "Cainao"]) == 2
    assert "did you mean: Cainiao" in capsys.readouterr().err


def test_readme_test_command_is_what_ci_runs():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0].strip() for b in readme.split("```sh\n")[1:3]]
    assert len(blocks) == 2 and "pytest" in blocks[1]
    assert blocks[1] in (root / ".ci" / "run").read_text(encoding="utf-8")
