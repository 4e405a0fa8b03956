"""Search: find entities and statistics by their names, as an analyst types them.

* :mod:`kg.search.names` — the names the graph gives each resource (labels and aliases in Chinese and English,
  its class), read from the graph by the build into ``dist/search-names.json``, and the one rule that normalises
  text for matching.
* :mod:`kg.search.index` — the candidate index: tantivy with a character 1–2-gram tokenizer (chosen by
  ``bench/search.py``; see ``docs/benchmarks.md``), and a spelling fallback for Latin words (rapidfuzz).
* :mod:`kg.search.rank` — the ranking rules (exact label > exact alias > prefix > contained > all words >
  typo-corrected; the reader's language first) and :class:`~kg.search.rank.Hit`.
* :mod:`kg.search.service` — :class:`~kg.search.service.Search`: checks a query, runs it, and formats hits for
  the command line and JSON; the web pages and ``cbec-kg search`` both call it.
"""
