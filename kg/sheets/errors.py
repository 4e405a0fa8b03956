"""Errors that point at the place in an input file that caused them.

Exit codes used across the CLI: 0 success, 1 the data fails a check
(reasoner, SHACL, grounding), 2 bad usage or bad input, 3 a service (a SPARQL
endpoint, a store) is unreachable or refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Control characters (newlines included) written as escapes, so one problem stays on one line."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_SERVICE = 3


@dataclass(frozen=True)
class Problem:
    """One located problem: ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if not self.file:       # a note on the list, such as "... and 3 more problems"
            return printable(self.message)
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" field '{printable(self.field)}':" if self.field else ""
        return f"{where}:{field} {printable(self.message)}"


class InputError(Exception):
    """Bad input: one or more located problems. Exit code 2."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = len(problems) if total is None else total   # more than shown, when the list was cut short
        super().__init__("\n".join(str(p) for p in problems))


class ServiceError(RuntimeError):
    """A service the command talks to (a SPARQL endpoint, a store) could not be reached, refused or failed.
    Exit code 3."""

    exit_code = EXIT_SERVICE


class CheckError(Exception):
    """The data is well formed but fails a check (reasoner, SHACL). Exit code 1."""

    exit_code = EXIT_CHECK_FAILED
