"""Shared helpers of the fidelity checks (kg.checks.fidelity): the report's sentences and clauses, the names
of the graph's entities, what a fact cites."""

from __future__ import annotations

import re

from kg.checks.grounding import SourceText
from kg.sheets.facts import Fact, FactBase, as_list

SENTENCE_END = "。；！？"
CLAUSE_END = SENTENCE_END + "，：,"


def _flat(text: str) -> str:
    """The report's text without its line breaks (its paragraphs are wrapped, one blank line between lines)."""
    return re.sub(r"\s*\n\s*", "", text)


def sentence(source: SourceText, offset: int, stops: str = SENTENCE_END, before: int = 0) -> str:
    """The sentence (or clause, with ``stops`` = CLAUSE_END) around ``offset``, with ``before`` more sentences
    ahead of it, line breaks taken out."""
    text = source.text
    lo = offset
    for _ in range(before + 1):
        lo = max(text.rfind(ch, 0, lo - 1 if lo < offset else lo) for ch in stops) + 1
    his = [i for i in (text.find(ch, offset) for ch in stops) if i >= 0]
    hi = min(his) if his else len(text)
    return _flat(text[max(lo, offset - 800):min(hi, offset + 400)])


def in_table(base: FactBase, fact: Fact) -> bool:
    return any(base.facts[p].cls in ("Table", "Figure") for p in fact.places() if p in base.facts)


def statistics(base: FactBase) -> list[Fact]:
    return base.of_class("Statistic")


def label(fact: Fact, lang: str = "zh") -> str:
    return (fact.data.get("label") or {}).get(lang, "")


def qualifiers(fact: Fact) -> list[str]:
    return [str(q) for q in as_list(fact.data.get("qualifier"))]


def refs(value) -> list[str]:
    return [item["ref"] if isinstance(item, dict) else str(item) for item in as_list(value)]


def cited_sources(base: FactBase, fact: Fact) -> set[str]:
    """The sources a fact cites: its own ``citesSource``, or else (statistics) what its places cite."""
    own = set(refs(fact.data.get("citesSource")))
    if own or fact.cls != "Statistic":
        return own
    return {s for place in fact.places() if place in base.facts for s in refs(base.facts[place].data.get("cites"))}


def names(fact: Fact) -> list[str]:
    found = [n for n in (fact.data.get("label") or {}).values()]
    for more in (fact.data.get("aliases") or {}).values():
        found += more
    return [n for n in found if n]


def named(bodies: list[Fact]) -> list[tuple[str, Fact]]:
    """(name, entity) for every name of every entity in ``bodies``: what :func:`named_in` looks for, listed once
    for all the texts a check looks through."""
    return [(name, body) for body in bodies for name in names(body)]


def named_in(text: str, bodies: list[tuple[str, Fact]]) -> list[Fact]:
    """The entities ``text`` names (``bodies``: their names, from :func:`named`), less those named only where a
    longer name of another entity overlaps (阿里 inside 阿里研究院; 中东地区 in 非洲中东地区, where 非洲中东 comes
    first)."""
    spans = []
    for name, body in bodies:
        start = text.find(name)
        while start >= 0:
            spans.append((start, start + len(name), body))
            start = text.find(name, start + 1)
    found: dict[str, Fact] = {}
    for start, end, body in spans:
        inside = any(s < end and start < e and other.id != body.id
                     and ((e - s) > (end - start) or (e - s == end - start and s < start))
                     for s, e, other in spans)
        if not inside:
            found.setdefault(body.id, body)
    return list(found.values())
