"""One rule for naming a node in the reader's language.

A label in the asked language; else the other language's; else the IRI's local name.
Every page, view, chart, card and export names nodes through :func:`label` (an rdflib graph) or
:func:`term_label` (pyoxigraph terms, through ``kg.query.lookup``); both choose by :func:`choose`.

>>> from rdflib import Graph, Literal, URIRef, RDFS
>>> g = Graph(); n = URIRef("https://example.org/r/x")
>>> _ = g.add((n, RDFS.label, Literal("速卖通", lang="zh")))
>>> label(g, n, "en")
'速卖通'
"""

from __future__ import annotations

from collections.abc import Iterable

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


def choose(values: Iterable[tuple[str | None, str]], lang: str, fallback: bool = True) -> str:
    """Of (language, text) pairs, the first text in ``lang``, else (unless ``fallback`` is False) in the other
    language, else any, else ''."""
    found: dict[str | None, str] = {}
    for language, text in values:
        found.setdefault(language, text)
    if not fallback:
        return found.get(lang, "")
    for key in (lang, other(lang), None):
        if key in found:
            return found[key]
    return next(iter(found.values()), "")


def text_in(graph, node, prop, lang: str, fallback: bool = True) -> str:
    """The value of ``prop`` in ``lang`` on an rdflib graph (see ``choose``)."""
    return choose(((getattr(v, "language", None), str(v)) for v in graph.objects(node, prop)), lang, fallback)


def label(graph, node, lang: str) -> str:
    """The name of ``node`` for a reader of ``lang`` (a literal stands for itself)."""
    from rdflib import RDFS, Literal  # lazy: show and search import this module and load no rdflib

    if isinstance(node, Literal):
        return str(node)
    return text_in(graph, node, RDFS.label, lang) or local_name(node)


def term_text(found, node, prop, lang: str, fallback: bool = True) -> str:
    """``text_in`` for pyoxigraph terms: the value of ``prop`` in ``lang`` through a ``kg.query.lookup.Lookup``."""
    return choose(((getattr(v, "language", None), v.value) for v in found.objects(node, prop)), lang, fallback)


def term_label(found, node, lang: str) -> str:
    """``label`` for pyoxigraph terms (a literal stands for itself)."""
    from kg.query.lookup import RDFS  # lazy: pyoxigraph, which search loads none of

    if getattr(node, "datatype", None) is not None:      # only a literal has a datatype
        return node.value
    return term_text(found, node, RDFS.label, lang) or local_name(node.value)


def pick(labels: dict, lang: str, default: str = "") -> str:
    """From ``{lang: text}``, the reader's language first, then the other one."""
    return labels.get(lang) or labels.get(other(lang)) or default
