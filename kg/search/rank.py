"""How search ranks: Wikidata's entity-search order, with the reader's language first.

A resource scores by its best-matching name. Whole query equal to a label (100) > equal to an alias (90) > a
label that starts with it (80) > an alias that does (75) > a label that contains it (60) > an alias (55) > every
word of the query found in one or another name of the resource (40, for mixed queries like ``AliExpress 海外仓``)
> the same after correcting a misspelt Latin word (30 % of what the correct spelling would score). Within a
step: a name in the reader's language adds 3, a resource that is not a statistic 1, and a name the query fills
more of up to 1 (its share of the name's characters); so the bonuses (at most 5) never lift a hit a step.
Equal scores go to the shorter name, then to the id.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from itertools import groupby

from kg.search.index import DEPTH, NameIndex
from kg.search.names import Entry, Name, normalise

BASE = {("exact", "label"): 100, ("prefix", "label"): 80, ("contained", "label"): 60,
        ("exact", "alias"): 90, ("prefix", "alias"): 75, ("contained", "alias"): 55}
ALL_WORDS = 40
READER_LANGUAGE = 3
NOT_A_STATISTIC = 1
CLOSENESS = 1
TYPO_SHARE = 0.3
TYPO_WORDS = 3             # misspelt words tried per query (the first ones), each with its 3 closest words

Found = dict[int, tuple[float, "Match"]]      # resource position -> (score, why)


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
    """A resource found, its score (see the module's text) and why."""

    entry: Entry
    score: float
    matched: Match


def terms(query: str) -> list[str]:
    """The query's words, normalised: split at white space and where Chinese meets other script."""
    text = unicodedata.normalize("NFKC", query).casefold()
    words = ("".join(run) for script, run in groupby(text, _script) if script is not None)
    return [t for t in (normalise(w) for w in words) if t]


def _script(char: str) -> int | None:
    """Chinese (0), any other script (1) or white space (None): a word is a run of one script. (Not a regular
    expression: compiling a class of CJK ranges took 3-8 ms of each ``cbec-kg search``.)"""
    if char.isspace():
        return None
    return 0 if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" else 1


def score_name(name: Name, entry: Entry, term: str, lang: str) -> tuple[float, str]:
    """(score, how) of a name of ``entry`` that contains ``term``."""
    how = "exact" if name.norm == term else "prefix" if name.norm.startswith(term) else "contained"
    bonus = (READER_LANGUAGE if name.lang == lang else 0) + (NOT_A_STATISTIC if entry.cls != "Statistic" else 0)
    return BASE[(how, name.kind)] + bonus + CLOSENESS * len(term) / len(name.norm), how


def best_name(index: NameIndex, positions, term: str, lang: str) -> tuple[float, Match] | None:
    """The best (score, match) among the names at ``positions`` that contain ``term``."""
    best = None
    for i in positions:
        name = index.names[i]
        if term in name.norm:
            score, how = score_name(name, index.entries[name.entry], term, lang)
            if best is None or score > best[0]:
                best = (score, Match(name.kind, name.lang, name.text, how))
    return best


def whole(index: NameIndex, term: str, lang: str, allowed: set[str] | None, depth: int) -> Found:
    """Best (score, match) per resource one of whose names contains the whole query."""
    by_entry: dict[int, list[int]] = {}
    for i in index.containing(term, allowed, depth):
        by_entry.setdefault(index.names[i].entry, []).append(i)
    return {e: found for e, positions in by_entry.items() if (found := best_name(index, positions, term, lang))}


def every_word(index: NameIndex, words: list[str], lang: str, allowed: set[str] | None, depth: int) -> Found:
    """Resources with every word in one or another of their names (either language)."""
    out: Found = {}
    for e in index.having_all(words, allowed, depth):
        parts = [found for w in words if (found := best_name(index, index.of_entry[e], w, lang))]
        if len(parts) < len(words):
            continue
        fill = sum(score - BASE[(m.how, m.field)] for score, m in parts) / len(parts)   # the parts' bonuses
        text = " + ".join(dict.fromkeys(m.text for _, m in parts))
        out[e] = (ALL_WORDS + fill, Match("words", "", text, "words"))
    return out


def matches(index: NameIndex, query: str, lang: str, allowed: set[str] | None, depth: int, enough: int) -> Found:
    """The resources the query finds as typed, with their best (score, match). Every-word matches score below
    whole-query ones, so they are looked for only while fewer than ``enough`` resources are found."""
    words = terms(query)
    best = whole(index, "".join(words), lang, allowed, depth)
    if len(words) > 1 and len(best) < enough:
        for entry, found in every_word(index, words, lang, allowed, depth).items():
            best.setdefault(entry, found)
    return best


def corrected(index: NameIndex, query: str, lang: str, allowed: set[str] | None, depth: int) -> Found:
    """Resources found once misspelt Latin words (ones no name contains) are replaced by close words."""
    words = terms(query)
    best: Found = {}
    unmatched = [i for i, word in enumerate(words) if not index.containing(word, depth=20)]
    for i in unmatched[:TYPO_WORDS]:
        for fix in index.corrections(words[i]):
            fixed = " ".join(words[:i] + [fix] + words[i + 1:])
            for entry, (score, match) in matches(index, fixed, lang, allowed, depth, depth).items():
                score = round(score * TYPO_SHARE, 6)
                if entry not in best or score > best[entry][0]:
                    best[entry] = (score, replace(match, corrected=query.strip()))
    return best


def rank(index: NameIndex, query: str, lang: str, allowed: set[str] | None, limit: int) -> list[Hit]:
    """The ``limit`` best hits for ``query``, of the ``allowed`` classes (all when None), best first."""
    depth = max(DEPTH, 2 * limit)                # candidates asked of the index per lookup
    found = matches(index, query, lang, allowed, depth, limit)
    if len(found) < limit:                       # corrections score below every match as typed
        for entry, hit in corrected(index, query, lang, allowed, depth).items():
            found.setdefault(entry, hit)
    hits = [Hit(index.entries[e], round(score, 3), match) for e, (score, match) in found.items()]
    hits.sort(key=lambda h: (-h.score, len(h.matched.text), h.entry.id))
    return hits[:limit]
