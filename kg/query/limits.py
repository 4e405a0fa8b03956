"""The endpoint's limits, apart from the worker pool (``kg.query.engine``) so that the command line can offer them
as options without loading the pool (multiprocessing, pyoxigraph)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Limits:
    """Safe defaults; each is a command-line option of ``cbec-kg serve``, whose defaults are these."""

    max_query_chars: int = 20_000
    max_body_bytes: int = 100_000
    max_rows: int = 10_000
    timeout: float = 10.0
    workers: int = 2
