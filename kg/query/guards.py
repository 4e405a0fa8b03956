"""Guards shared by every way of running SPARQL: syntax errors located, updates and SERVICE refused.

The graph answers only from itself: a query may not change it (INSERT, DELETE,
LOAD, CLEAR, …) nor make the engine fetch from elsewhere (SERVICE). Both are
refused before the query reaches an engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'      # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                 # strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"                  # IRIs
    r"|#[^\n]*"                              # comments
    # variables (?service is not SERVICE): A-Z a-z _ 0-9 and U+00B7-U+FFFF, written as what they are not, since
    # the range itself costs re 10 ms to compile at every start (a bitmap of 65,000 code points)
    r"|[?$][^\x00-/:-@\[-^`{-\u00b6\U00010000-\U0010ffff]+"
    r"|[A-Za-z_][\w.-]*:[\w.-]*",               # prefixed names (cbo:Service)
)


class QueryRefused(ValueError):
    """A query the graph will not run (an update, or SERVICE). HTTP 403."""


@dataclass  # not frozen: raising through a context manager sets __traceback__ on the exception
class QuerySyntaxError(ValueError):
    """A query that is not SPARQL 1.1, with the line and column where it goes wrong. HTTP 400, exit 2."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"syntax error at line {self.line}, column {self.column}: {self.message}"


def keywords(text: str) -> list[str]:
    """The query's words outside strings, IRIs and comments, upper-cased."""
    bare = _TOKEN.sub(" ", text)
    return [w.upper() for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", bare)]


def _prologue_free(text: str) -> str:
    """The query without strings, IRIs, comments, names, and without its PREFIX/BASE prologue."""
    return re.sub(r"^\s*(?:(?:PREFIX\s*:?|BASE)\s*)*", "", _TOKEN.sub(" ", text), flags=re.IGNORECASE)


def refuse(text: str) -> None:
    """Raise QueryRefused for updates and SERVICE."""
    words = keywords(text)
    if "SERVICE" in words:
        raise QueryRefused("SERVICE is refused: this graph answers only from itself and fetches nothing from elsewhere")
    # An update starts, after its prologue, with an update verb.
    body = _prologue_free(text)
    first = re.match(r"\s*([A-Za-z]+)", body)
    if first and first.group(1).upper() in UPDATE_WORDS:
        raise QueryRefused(f"{first.group(1).upper()} is refused: this graph is read-only")


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a (read) query, from its first keyword after the prologue."""
    first = re.match(r"\s*([A-Za-z]+)", _prologue_free(text))
    return first.group(1).upper() if first else "SELECT"


def check_syntax(text: str) -> None:
    """Raise QuerySyntaxError (with line and column) if ``text`` is not a SPARQL 1.1 query."""
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        message = str(exc)
        m = re.search(r"error at (\d+):(\d+):?\s*(.*)", message, re.DOTALL)
        if m:
            raise QuerySyntaxError(int(m.group(1)), int(m.group(2)), m.group(3).strip()) from None
        raise QuerySyntaxError(1, 1, message) from None


def guard(text: str) -> None:
    """Refuse updates and SERVICE, then check the syntax."""
    refuse(text)
    check_syntax(text)
