"""Issue 16: `lineEnd: \\u0000` in a fact sheet was reported, located, but rdflib first logged "Failed to convert
Literal lexical form to value" with a full traceback to standard error. The value is now refused before any RDF
term is made of it, and the CLI keeps libraries' logging off the terminal (kg/quiet.py)."""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import sys

import pytest

from kg.build import load
from kg.cli import main
from kg.quiet import quiet_libraries
from kg.sheets.errors import InputError

BAD = "\\u0000"   # as typed into the sheet: a backslash and five characters, not a NUL


def _break_last_footnote(path) -> tuple[int, int]:
    """Set ``partOfReport`` and ``lineEnd`` of the sheet's last block to ``\\u0000``; return their lines."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found = {}
    for key in ("partOfReport", "lineEnd"):
        at = max(i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:"))
        lines[at] = f"    {key}: {BAD}"
        found[key] = at + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return found["partOfReport"], found["lineEnd"]


@pytest.fixture()
def broken(project):
    """The project with the issue's two bad values in facts/report.yaml, and the messages they must give."""
    part_line, end_line = _break_last_footnote(project.facts_dir / "report.yaml")
    expected = [
        f"facts/report.yaml:{part_line}: field 'partOfReport': unknown entity '{BAD}'",
        f"facts/report.yaml:{end_line}: field 'lineEnd': '{BAD.replace(chr(92), chr(92) * 2)}' is not an integer",
        "cbec-kg: 2 problem(s) in the input; nothing was written",
    ]
    return project, expected


def test_cli_stderr_is_exactly_the_located_messages(broken):
    project, expected = broken
    done = subprocess.run([sys.executable, "-m", "kg", "--root", str(project.root), "check"], cwd=project.root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == expected
    assert done.stdout == ""


def test_in_process_run_says_the_same(broken, monkeypatch):
    project, expected = broken
    monkeypatch.chdir(project.root)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["--root", str(project.root), "check"]) == 2
    assert err.getvalue().splitlines() == expected


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_bad_value_is_refused_before_rdflib_sees_it(broken):
    """Without the CLI's quieting: the library itself must have nothing to complain about."""
    project, _ = broken
    seen = _Records()
    logger = logging.getLogger("rdflib")
    logger.addHandler(seen)
    try:
        with pytest.raises(InputError) as raised:
            load(project)
    finally:
        logger.removeHandler(seen)
    assert [r.getMessage() for r in seen.records] == []
    assert {p.field for p in raised.value.problems} == {"partOfReport", "lineEnd"}


def test_quiet_libraries_drops_unhandled_records_and_restores_logging(monkeypatch):
    from rdflib import XSD, Literal

    monkeypatch.setattr(logging.getLogger(), "handlers", [])   # as in a console run: no handler but the last resort
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        with quiet_libraries():
            Literal("x", datatype=XSD.integer)          # rdflib logs a traceback for this
        inside = err.getvalue()
        Literal("y", datatype=XSD.integer)
    assert inside == ""
    assert "Failed to convert Literal" in err.getvalue()   # outside the block, logging is as it was
