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
