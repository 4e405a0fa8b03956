"""How search ranks: Wikidata's entity-search order, with the reader's language first.

A resource scores by its best-matching name. Whole query equal to a label (100) > equal to an alias (90) > a
label that starts with it (80) > an alias that does (75) > a label that contains it (60) > an alias (55) > every
word of the query found in some name of the resource (40, for mixed queries like ``AliExpress 海外仓``) > the
same after correcting a misspelt Latin word (30 % of what the correct spelling would score). A name in the
reader's language adds 3; a name the query fills more of adds up to 2 (its share of the name's characters).
Ties go to resources that are not statistics, then to the shorter name, then to the id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from kg.search.index import NameIndex
from kg.search.names import Entry, Name, normalise

BASE = {("exact", "label"): 100, ("prefix", "label"): 80, ("contained", "label"): 60,
        ("exact", "alias"): 90, ("prefix", "alias"): 75, ("contained", "alias"): 55}
ALL_WORDS = 40
READER_LANGUAGE = 3
CLOSENESS = 2
TYPO_SHARE = 0.3
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_TERMS = re.compile(f"[{_CJK}]+|[^\\s{_CJK}]+")


@dataclass(frozen=True)
class Match:
    """Why a resource was found: which name (field, language, text), and how (exact, prefix, contained, words)."""

    field: str
    lang: str
    text: str
    how: str
    corrected: str = ""        # the query as spelling correction changed it, when it did

    def why(self) -> str:
        """E.g. ``alias: 菜鸟`` or ``label: Alibaba (for 'Alibabba')``."""
        note = f" (for '{self.corrected}')" if self.corrected else ""
        return f"{self.field}: {self.text}{note}"


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    matched: Match


def terms(query: str) -> list[str]:
    """The query's words, normalised: split at white space and where Chinese meets other script."""
    text = unicodedata.normalize("NFKC", query).casefold()
    return [t for t in (normalise(w) for w in _TERMS.findall(text)) if t]


def score_name(name: Name, term: str, lang: str) -> tuple[float, str]:
    """(score, how) of a name that contains ``term``."""
    how = "exact" if name.norm == term else "prefix" if name.norm.startswith(term) else "contained"
    bonus = READER_LANGUAGE if name.lang == lang else 0
    return BASE[(how, name.kind)] + bonus + CLOSENESS * len(term) / len(name.norm), how


def whole(index: NameIndex, term: str, lang: str) -> dict[int, tuple[float, Match]]:
    """Best (score, match) per resource whose one name contains the whole query."""
    best: dict[int, tuple[float, Match]] = {}
    for i in index.containing(term):
        name = index.names[i]
        score, how = score_name(name, term, lang)
        if name.entry not in best or score > best[name.entry][0]:
            best[name.entry] = (score, Match(name.kind, name.lang, name.text, how))
    return best


def every_word(index: NameIndex, words: list[str], lang: str) -> dict[int, tuple[float, Match]]:
    """Resources with every word in one or another of their names (either language)."""
    per_word = [whole(index, w, lang) for w in words]
    shared = set.intersection(*(set(found) for found in per_word)) if per_word else set()
    out = {}
    for entry in shared:
        parts = [found[entry] for found in per_word]
        fill = sum(score - BASE[(m.how, m.field)] for score, m in parts) / len(parts)   # language and closeness
        text = " + ".join(dict.fromkeys(m.text for _, m in parts))
        out[entry] = (ALL_WORDS + fill, Match("words", "", text, "words"))
    return out


def matches(index: NameIndex, query: str, lang: str) -> dict[int, tuple[float, Match]]:
    """Every resource the query finds as typed, with its best (score, match)."""
    words = terms(query)
    best = whole(index, "".join(words), lang)
    if len(words) > 1:
        for entry, found in every_word(index, words, lang).items():
            if entry not in best or found[0] > best[entry][0]:
                best[entry] = found
    return best


def corrected(index: NameIndex, query: str, lang: str) -> dict[int, tuple[float, Match]]:
    """Resources found once misspelt Latin words (ones no name contains) are replaced by close words."""
    words = terms(query)
    best: dict[int, tuple[float, Match]] = {}
    for i, word in enumerate(words):
        if index.containing(word):
            continue
        for fix in index.corrections(word):
            fixed = " ".join(words[:i] + [fix] + words[i + 1:])
            for entry, (score, match) in matches(index, fixed, lang).items():
                score = round(score * TYPO_SHARE, 6)
                if entry not in best or score > best[entry][0]:
                    best[entry] = (score, replace(match, corrected=query.strip()))
    return best


def rank(index: NameIndex, entries: list[Entry], query: str, lang: str, allowed: set[str] | None,
         limit: int) -> list[Hit]:
    """The ``limit`` best hits for ``query``, of the ``allowed`` classes (all when None), best first."""
    found = matches(index, query, lang)
    for entry, hit in corrected(index, query, lang).items():
        found.setdefault(entry, hit)
    hits = [Hit(entries[e], round(score, 3), match) for e, (score, match) in found.items()
            if allowed is None or entries[e].cls in allowed]
    hits.sort(key=lambda h: (-h.score, h.entry.cls == "Statistic", len(h.matched.text), h.entry.id))
    return hits[:limit]
