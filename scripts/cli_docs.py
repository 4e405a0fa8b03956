"""Write docs/cli.md: every ``cbec-kg`` command's ``--help``, as the program prints it (80 columns).

Run it after changing a command's options: ``python scripts/cli_docs.py``. tests/test_docs.py fails while
docs/cli.md and the program disagree.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COLUMNS = "80"


def subcommands(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def cli_reference() -> str:
    """The text of docs/cli.md, from the parser itself."""
    from kg.cli import parser

    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS   # argparse wraps help to the terminal's width
    try:
        return _reference(parser())
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def _reference(top: argparse.ArgumentParser) -> str:
    parts = ["# Command reference", "",
             "Every command's `--help`, as `cbec-kg` prints it (written by `scripts/cli_docs.py`; "
             "`tests/test_docs.py` checks it).", "",
             "```", top.format_help().rstrip(), "```"]
    for name, sub in subcommands(top).items():
        parts += ["", f"## cbec-kg {name}", "", "```", sub.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(cli_reference(), encoding="utf-8")
    print("wrote docs/cli.md")
