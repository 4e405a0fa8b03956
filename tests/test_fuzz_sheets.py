"""Issue 16: a located message and nothing else for every bad sheet. The short profile of ``bench/fuzz_sheets.py``
(the long one, 10^4 mutated sheets, is run by hand: docs/benchmarks.md), and the bugs it found, one test each."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fuzz_sheets import fuzz, options  # noqa: E402
from bench.mutations import MUTATIONS  # noqa: E402

GOOD = """\
facts:
  - id: test-country
    class: Country
    label: {zh: 测试国, en: Testland}
    place: table1
"""


def test_short_fuzz_profile_finds_nothing(tmp_path):
    figures = fuzz(options(["--runs", "36", "--build-every", "12", "--subprocess-every", "18", "--cli-runs", "16",
                            "--seed", "1", "--out", str(tmp_path)]))
    assert figures["failures"] == 0, figures["first_failures"]
    assert figures["tracebacks"] == 0
    assert figures["runs"]["check"] == 36 and figures["runs"]["build --no-reasoner"] == 3
    assert figures["runs"]["check (fresh process)"] == 2
    assert sum(v for k, v in figures["exit_codes"].items() if k.startswith("check -> 2")) > 18   # the mutations bite
    assert len(figures["check_exit_codes_by_kind"]) >= 8


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_each_mutation_changes_a_sheet(kind):
    import random

    text = (ROOT / "facts" / "units.yaml").read_text(encoding="utf-8")
    changed = [MUTATIONS[kind](random.Random(seed), text) != text for seed in range(5)]
    assert any(changed)


def _check(project, monkeypatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(project.root)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--root", str(project.root), "check"])
    return code, err.getvalue().splitlines()


def test_control_character_yaml_refuses_is_located(project, monkeypatch):
    """Was 'facts/x.yaml: YAML error: unacceptable character #x0011 ... position 63', with no line."""
    (project.facts_dir / "zz-bad.yaml").write_text(GOOD.replace("Testland", "Test\x11land"), encoding="utf-8")
    code, lines = _check(project, monkeypatch)
    column = GOOD.split("\n")[3].index("Testland") + 5
    assert code == 2
    assert lines[0] == (f"facts/zz-bad.yaml:4: YAML error: character U+0011 is not allowed in a YAML sheet "
                        f"(control characters are not allowed) (column {column})")


def test_file_cut_inside_a_character_is_located(project, monkeypatch):
    """Was 'facts/x.yaml: not UTF-8 text (unexpected end of data)', with no line."""
    data = GOOD.encode("utf-8")
    cut = data.index("测".encode("utf-8")) + 1
    (project.facts_dir / "zz-bad.yaml").write_bytes(data[:cut])
    column = len(GOOD.split("\n")[3].split("测")[0]) + 1
    code, lines = _check(project, monkeypatch)
    assert code == 2
    assert lines[0] == f"facts/zz-bad.yaml:4: not UTF-8 text (unexpected end of data, column {column})"


def test_half_surrogate_in_json_is_located(project, monkeypatch):
    """Was "cbec-kg: 'utf-8' codec can't encode character '\\ud800'", with no file or line: JSON reads the escape."""
    sheet = ('{"facts": [\n {"id": "test-country", "class": "Country",\n  "label": {"zh": "测试国", "en": "\\ud800"},\n'
             '  "place": "table1"}]}\n')
    (project.facts_dir / "zz-bad.json").write_text(sheet, encoding="utf-8")
    code, lines = _check(project, monkeypatch)
    assert code == 2
    assert lines[0] == ('facts/zz-bad.json:3: the string "\\ud800" holds half of a UTF-16 surrogate pair, which is not a '
                        f'character (column {sheet.split(chr(10))[2].index(chr(92))})')


def test_json_number_yaml_reads_as_text_is_refused(project, monkeypatch):
    """Was an AttributeError from the mapping: 1e906 is infinity to JSON, a string to YAML, and the JSON sheet was
    judged in its YAML reading."""
    sheet = ('{"facts": [\n {"id": "test-country", "class": "Country",\n  "label": {"zh": "测试国", "en": 1e906},\n'
             '  "place": "table1"}]}\n')
    (project.facts_dir / "zz-bad.json").write_text(sheet, encoding="utf-8")
    code, lines = _check(project, monkeypatch)
    assert code == 2
    assert lines[0] == "facts/zz-bad.json:3: field 'label.en': inf must be a quoted string, exactly as printed in the report"


def test_json_sheet_with_a_yaml_line_break_is_located(project, monkeypatch):
    """Was unlocated: U+2029 is an ordinary character to JSON and a line break to YAML, which reads the lines."""
    sheet = ('{"facts": [\n {"id": "test-country", "class": "Country",\n  "label": {"zh": "测试国", "en": "T"},\n'
             '  "partOf": {"\u2029ref": "cn", "place": "table1"},\n  "place": "table1"}]}\n')
    (project.facts_dir / "zz-bad.json").write_text(sheet, encoding="utf-8")
    code, lines = _check(project, monkeypatch)
    assert code == 2
    assert lines[0].startswith("facts/zz-bad.json:4: field 'partOf': ")


def test_more_problems_note_has_no_stray_colon(project, monkeypatch):
    blocks = "".join(f"  - id: t{i}\n    class: Country\n    label: {{zh: 国{i}, en: C{i}}}\n    place: nowhere\n"
                     for i in range(55))
    (project.facts_dir / "zz-bad.yaml").write_text("facts:\n" + blocks, encoding="utf-8")
    code, lines = _check(project, monkeypatch)
    assert code == 2
    assert lines[-2] == "... and 5 more problems"
    assert lines[-1] == "cbec-kg: 55 problem(s) in the input; nothing was written"


def test_show_escapes_control_characters_in_its_message(built, monkeypatch):
    """Was the label echoed raw: an escape sequence the terminal would act on."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--root", str(built.dist.parent), "show", "\x1b[31m菜鸟\x07"])
    assert code == 2
    assert err.getvalue().startswith("cbec-kg: nothing is labelled '\\x1b[31m菜鸟\\x07'")
    assert "\x1b" not in err.getvalue() and "\x07" not in err.getvalue()
