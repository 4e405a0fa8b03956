r"""Where in a sheet's text a syntax problem is: line and column in characters, for messages that point at it.

>>> line_column("a\nbc", 3)
(2, 2)
"""

from __future__ import annotations

import json
import re

import yaml

from kg.sheets.errors import Problem

SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def half_surrogate(name: str, text: str) -> Problem | None:
    """The first JSON string whose escapes make half of a UTF-16 pair (``"\\ud800"`` alone): JSON reads it, but it
    is no character, and no RDF or XML file can carry it."""
    if not SURROGATE_ESCAPE.search(text):
        return None
    for m in JSON_STRING.finditer(text):
        if SURROGATE_ESCAPE.search(m.group()):
            try:
                json.loads(m.group()).encode("utf-8")
            except UnicodeEncodeError:
                line, column = line_column(text, m.start())
                return Problem(name, line, "", f"the string {m.group()[:60]} holds half of a UTF-16 surrogate pair, "
                                               f"which is not a character (column {column})")
    return None


def line_column(text: str | bytes, position: int) -> tuple[int, int]:
    """1-based line and column, in characters, of a position in a text (or of a byte in UTF-8 bytes)."""
    if isinstance(text, bytes):
        start = text.rfind(b"\n", 0, position) + 1
        return text.count(b"\n", 0, position) + 1, len(text[start:position].decode("utf-8", errors="replace")) + 1
    start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - start + 1


def reader_problem(exc: yaml.reader.ReaderError) -> str:
    """What a ReaderError is about, without its dump of the input's name and position."""
    character = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
    return f"character U+{character:04X} is not allowed in a YAML sheet ({exc.reason})"
