"""What every command writes: messages on standard error, text on standard output, and the lookup of a label."""

from __future__ import annotations

import sys

from kg.sheets.errors import printable


def err(message: str) -> None:
    """A message on standard error; control characters (from the user's own input, often) written as escapes, line
    by line, so a terminal shows them rather than acting on them."""
    text = "\n".join(printable(line) for line in message.split("\n"))
    print(f"cbec-kg: {text}", file=sys.stderr)


def out(text: str) -> None:
    """``text`` on standard output, ending in one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def find_or_suggest(graph, label: str) -> list:
    """Resources labelled ``label``; when there are none, an error that suggests the closest labels."""
    from kg.web.entity import find, suggest

    nodes = find(graph, label)
    if not nodes:
        close = suggest(graph, label)
        raise LookupError(f"nothing is labelled '{label}'" + (f"; did you mean: {', '.join(close)}?" if close else ""))
    return nodes
