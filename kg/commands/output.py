"""What every command writes: messages on standard error, text on standard output, and the lookup of a label."""

from __future__ import annotations

import sys

from kg.sheets.errors import printable


def err(message: str) -> None:
    """A message on standard error; control characters (from the user's own input, often) written as escapes, line
    by line, so a terminal shows them rather than acting on them."""
    text = "\n".join(printable(line) for line in message.split("\n"))
    print(f"cbec-kg: {text}", file=sys.stderr)


def open_page(path) -> None:
    """Open a written page (a file) in the user's browser."""
    import webbrowser  # lazy: it imports subprocess, shlex and shutil (~15 ms), and only --open needs it

    webbrowser.open(path.resolve().as_uri())


def out(text: str) -> None:
    """``text`` on standard output, ending in one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def find_or_suggest(graph, label: str) -> list:
    """Resources labelled ``label`` in ``graph`` (an Oxigraph store, a lookup in one, or an rdflib graph), as terms
    of the graph's own kind; when there are none, an error that suggests the closest labels."""
    import pyoxigraph

    from kg.query.lookup import Lookup, lookup
    from kg.web.entity import find, suggest

    found = lookup(graph)
    nodes = find(found, label)
    if not nodes:
        close = suggest(found, label)
        raise LookupError(f"nothing is labelled '{label}'" + (f"; did you mean: {', '.join(close)}?" if close else ""))
    if isinstance(graph, (pyoxigraph.Store, Lookup)):
        return nodes
    from rdflib import URIRef  # an rdflib graph's caller (``view``) goes on in rdflib's terms

    return [URIRef(n.value) for n in nodes]
