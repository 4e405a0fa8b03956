"""The candidate index: which names contain a piece of text, and which Latin words a misspelt one may mean.

Names (normalised, see :func:`kg.search.names.normalise`) go into an in-memory tantivy index whose tokenizer
cuts them into character 1- and 2-grams, so 1- and 2-character Chinese words (出口, 菜鸟) are found as well as
longer text: a term is looked up as all its 2-grams (its one character, if it has one). tantivy returns the
best ``depth`` names by BM25, which favours short names, the ones most likely to match exactly; every name
equal to the term is added from a dictionary, then the names that do not really contain the term are dropped.
``bench/search.py`` measured this against SQLite FTS5 (trigram; jieba-segmented) — see ``docs/benchmarks.md``.

Latin words that match nothing are corrected to the closest words of the names' vocabulary (rapidfuzz's
normalised Indel similarity, at least 80 of 100): ``alibabba`` → ``alibaba``.
"""

from __future__ import annotations

import re
import unicodedata

import tantivy
from rapidfuzz import fuzz, process

from kg.search.names import Name

DEPTH = 2000                  # names tantivy returns per term, best first
TYPO_CUTOFF = 80              # least similarity (0-100) for a spelling correction
_WORD = re.compile(r"[a-z][a-z0-9]*")


def grams(term: str) -> list[str]:
    """The distinct tokens a term is looked up by: its 2-grams, or its one character."""
    if len(term) == 1:
        return [term]
    return sorted({term[i:i + 2] for i in range(len(term) - 1)})


def words(text: str) -> set[str]:
    """The Latin words of a name, case-folded (for spelling corrections)."""
    return set(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


class NameIndex:
    """Names searchable by contained text, with a dictionary of exact names and a vocabulary of Latin words."""

    def __init__(self, names: list[Name]):
        self.names = names
        self.exact: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            self.exact.setdefault(name.norm, []).append(i)
        self.vocabulary = sorted({w for name in names for w in words(name.text) if len(w) >= 3})
        self._index, self._searcher = _build(names)

    def containing(self, term: str, depth: int = DEPTH) -> list[int]:
        """Positions of the names that contain ``term`` (normalised), at most ``depth`` of them plus exact ones."""
        if not term:
            return []
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.term_query(self._index.schema, "text", g)) for g in grams(term)])
        found = set(self.exact.get(term, ()))
        for _, address in self._searcher.search(query, depth, count=False).hits:
            found.add(self._position(address))
        return sorted(i for i in found if term in self.names[i].norm)

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Words of the vocabulary that ``word`` may be a misspelling of, closest first."""
        if len(word) < 4 or not _WORD.fullmatch(word):
            return []
        best = process.extract(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=limit)
        return [w for w, _, _ in sorted(best, key=lambda m: (-m[1], m[0])) if w != word]

    def _position(self, address) -> int:
        """A hit's position in ``names``: its document number in a one-segment index, else its stored ``n``."""
        if self._searcher.num_segments == 1:
            return address.doc
        return self._searcher.doc(address)["n"][0]


def _build(names: list[Name]):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="grams12", index_option="freq")
    builder.add_unsigned_field("n", stored=True)
    index = tantivy.Index(builder.build())
    index.register_tokenizer("grams12", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 2, False)).build())
    writer = index.writer(heap_size=64_000_000, num_threads=1)
    for i, name in enumerate(names):
        writer.add_document(tantivy.Document(text=name.norm, n=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, index.searcher()
