"""The candidate index: which names contain a piece of text, and which Latin words a misspelt one may mean.

Two kinds of document go into a tantivy index whose tokenizer cuts text into character 1- and
2-grams (so 1- and 2-character Chinese words, 出口 and 菜鸟, are found as well as longer text): one per name
(normalised, see :func:`kg.search.names.normalise`), and one per resource holding all its names, for queries
whose words are spread over a resource's names (``AliExpress 海外仓``). Each carries its resource's class, so a
class filter is applied inside the index. A term is looked up as all its 2-grams (its one character, if it has
one); tantivy returns the best ``depth`` documents by BM25, which favours short names, those most likely to
match exactly; names equal to the term are added from a dictionary, then whatever does not really contain the
term is dropped. ``bench/search.py`` measured this against SQLite FTS5 (trigram; jieba-segmented words): see
``docs/benchmarks.md``. The index is kept on disk between processes, outside ``dist/`` (:func:`kept`), so a
``cbec-kg search`` opens it instead of building it.

Latin words that match nothing are corrected to the closest words of the names' vocabulary (rapidfuzz's
normalised Indel similarity, at least 80 of 100): ``alibabba`` → ``alibaba``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import tantivy

from kg.project import cache_folder
from kg.search.names import Entry, Name

FORMAT = 1                    # of the index's schema and tokenizer: change it when _schema or _index changes
MOST_KEPT = 8                 # indexes kept between processes (the ones used last)
DEPTH = 100                   # documents the index returns per lookup, best first (at least)
TYPO_CUTOFF = 80              # least similarity (0-100) for a spelling correction
NAME, RESOURCE = 0, 1         # the two kinds of document
SEPARATOR = "\u241e"          # between a resource's names in its document (no query contains it)
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
    """Names (and resources) searchable by contained text and class; exact names; a vocabulary of Latin words."""

    KEPT = True               # the index kept between processes (see kept); False: built in memory each time

    def __init__(self, names: list[Name], entries: list[Entry]):
        self.names, self.entries = names, entries
        self.exact: dict[str, list[int]] = {}
        self.of_entry: list[list[int]] = [[] for _ in entries]
        for i, name in enumerate(names):
            self.exact.setdefault(name.norm, []).append(i)
            self.of_entry[name.entry].append(i)
        self.open(list(self.documents()))

    @cached_property
    def vocabulary(self) -> list[str]:
        """The names' Latin words of three letters or more, made when a spelling is first corrected (4 ms)."""
        return sorted({w for name in self.names for w in words(name.text) if len(w) >= 3})

    def documents(self) -> Iterator[tuple[str, int, int, str]]:
        """(text, position, kind, class): every name, then every resource with all its names."""
        for i, name in enumerate(self.names):
            yield name.norm, i, NAME, self.entries[name.entry].cls
        for e, positions in enumerate(self.of_entry):
            yield SEPARATOR.join(self.names[i].norm for i in positions), e, RESOURCE, self.entries[e].cls

    def open(self, documents: list[tuple[str, int, int, str]]) -> None:
        """Index the documents, or open their kept index (``bench/search.py`` overrides this and :meth:`lookup` to
        try other indexes)."""
        self._index = kept(documents) if self.KEPT else in_memory(documents)
        self._searcher = self._index.searcher()
        self._one_segment = self._searcher.num_segments == 1
        self._first = {kind: next(j for j, d in enumerate(documents) if d[2] == kind) for kind in {d[2] for d in documents}}

    def lookup(self, terms: list[str], kind: int, allowed: set[str] | None, depth: int) -> list[int]:
        """Positions (of names, or of resources) of up to ``depth`` documents likely to contain every term."""
        must = [tantivy.Query.term_query(self._index.schema, "text", g) for t in terms for g in grams(t)]
        must.append(tantivy.Query.term_query(self._index.schema, "kind", kind))
        if allowed is not None:
            must.append(tantivy.Query.term_set_query(self._index.schema, "cls", sorted(allowed)))
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])
        return [self._position(address, kind) for _, address in self._searcher.search(query, depth, count=False).hits]

    def containing(self, term: str, allowed: set[str] | None = None, depth: int = DEPTH) -> list[int]:
        """Positions of names that contain ``term`` (normalised): at most ``depth`` from the index, plus exact ones."""
        if not term:
            return []
        exact = [i for i in self.exact.get(term, ()) if allowed is None or self.entries[self.names[i].entry].cls in allowed]
        found = set(exact) | set(self.lookup([term], NAME, allowed, depth))
        return sorted(i for i in found if term in self.names[i].norm)

    def having_all(self, terms: list[str], allowed: set[str] | None = None, depth: int = DEPTH) -> list[int]:
        """Positions of resources each term of which is in one or another of their names."""
        found = self.lookup(terms, RESOURCE, allowed, depth)
        return sorted(e for e in found if all(any(t in self.names[i].norm for i in self.of_entry[e]) for t in terms))

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Words of the vocabulary that ``word`` may be a misspelling of, closest first."""
        if len(word) < 4 or not _WORD.fullmatch(word):
            return []
        from rapidfuzz import fuzz, process  # only a query that matched nothing needs it (25 ms to import)

        best = process.extract(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=limit)
        return [w for w, _, _ in sorted(best, key=lambda m: (-m[1], m[0])) if w != word]

    def _position(self, address, kind: int) -> int:
        """A hit's position among names or resources: from its document number in a one-segment index, else
        its stored ``n``."""
        if self._one_segment:
            return address.doc - self._first[kind]
        return self._searcher.doc(address)["n"][0]


def kept(documents: list[tuple[str, int, int, str]]) -> tantivy.Index:
    """The index of ``documents``, kept between processes in :func:`kg.project.cache_folder` under a digest of them and of
    the index's format: opened in 1 ms of CPU where building it takes some 50 (the report) to 7,000 (10^6 triples).
    Made on first need; built in memory when it cannot be kept or opened."""
    digest = hashlib.sha256(f"{getattr(tantivy, '__version__', '')} {FORMAT}".encode())   # its index format too
    digest.update(json.dumps(documents, ensure_ascii=False).encode())
    root = cache_folder("search")
    folder = root / digest.hexdigest()[:32]
    try:
        if not folder.is_dir():
            _keep(documents, root, folder)
        with contextlib.suppress(OSError):
            os.utime(folder)                         # used now: _forget_old keeps it
        return _index(tantivy.Index.open(str(folder)))
    except (OSError, ValueError):
        return in_memory(documents)


def _keep(documents: list[tuple[str, int, int, str]], root: Path, folder: Path) -> None:
    """Write the index of ``documents`` into ``folder``: whole, or not at all."""
    import tempfile  # only to keep a new index (2 ms to import)

    root.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".new-", dir=root))
    try:
        _fill(_index(tantivy.Index(_schema(), path=str(fresh))), documents)
        with contextlib.suppress(OSError):           # another process kept the same index first
            fresh.rename(folder)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)     # what is left of it, if it was not renamed
    _forget_old(root)


def in_memory(documents: list[tuple[str, int, int, str]]) -> tantivy.Index:
    return _fill(_index(tantivy.Index(_schema())), documents)


def _forget_old(root: Path, most: int = MOST_KEPT) -> None:
    """Remove all but the ``most`` indexes used last (a build with other names makes another)."""
    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:                              # removed meanwhile by another process
            return 0.0

    indexes = sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=used, reverse=True)
    for old in indexes[most:]:
        shutil.rmtree(old, ignore_errors=True)


def _schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="grams12", index_option="freq")
    builder.add_unsigned_field("n", stored=True)
    builder.add_unsigned_field("kind", indexed=True)
    builder.add_text_field("cls", stored=False, tokenizer_name="raw", index_option="basic")
    return builder.build()


def _index(index: tantivy.Index) -> tantivy.Index:
    """``index`` with the tokenizer its text field names (tokenizers are not stored with an index)."""
    index.register_tokenizer("grams12", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 2, False)).build())
    return index


def _fill(index: tantivy.Index, documents: list[tuple[str, int, int, str]]) -> tantivy.Index:
    writer = index.writer(heap_size=128_000_000, num_threads=1)
    for text, n, kind, cls in documents:
        doc = tantivy.Document()
        doc.add_text("text", text)
        doc.add_unsigned("n", n)
        doc.add_unsigned("kind", kind)
        doc.add_text("cls", cls)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index
