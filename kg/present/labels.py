"""One rule for naming a node in the reader's language.

A label in the asked language; else the other language's; else the IRI's local name.
Every page, view, chart, card and export names nodes through :func:`label`.

>>> from rdflib import Graph, Literal, URIRef, RDFS
>>> g = Graph(); n = URIRef("https://example.org/r/x")
>>> _ = g.add((n, RDFS.label, Literal("速卖通", lang="zh")))
>>> label(g, n, "en")
'速卖通'
"""

from __future__ import annotations

from rdflib import RDFS, Graph, Literal

LANGS = ("zh", "en")


def other(lang: str) -> str:
    """The other language of the two the graph is labelled in."""
    return "en" if lang == "zh" else "zh"


def local_name(node) -> str:
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[-1]
    return text


def text_in(graph: Graph, node, prop, lang: str, fallback: bool = True) -> str:
    """The value of ``prop`` in ``lang``, else (unless ``fallback`` is False) in the other language, else any
    value, else ''."""
    found: dict[str | None, str] = {}
    for value in graph.objects(node, prop):
        found.setdefault(getattr(value, "language", None), str(value))
    if not fallback:
        return found.get(lang, "")
    for key in (lang, other(lang), None):
        if key in found:
            return found[key]
    return next(iter(found.values()), "")


def label(graph: Graph, node, lang: str) -> str:
    """The name of ``node`` for a reader of ``lang`` (a literal stands for itself)."""
    if isinstance(node, Literal):
        return str(node)
    return text_in(graph, node, RDFS.label, lang) or local_name(node)


def pick(labels: dict, lang: str, default: str = "") -> str:
    """From ``{lang: text}``, the reader's language first, then the other one."""
    return labels.get(lang) or labels.get(other(lang)) or default
