"""Search benchmark: three candidate indexes under the same ranking, on the report and on synthetic names.

    python bench/search.py [--sizes 0 7400 74000] [--repeat 20] [--backends tantivy fts5-trigram fts5-jieba]
    python bench/search.py --process 5      # cbec-kg search per process: CPU, wall, and where the CPU goes

Each candidate answers "which names contain this text?" for :mod:`kg.search.rank` (the ranking is the same for
all; only the lookup differs):

* ``tantivy`` — tantivy (in memory) with a character 1–2-gram tokenizer: what ``kg.search.index`` uses;
* ``fts5-trigram`` — SQLite FTS5 with its trigram tokenizer (a term is looked up as a phrase of trigrams);
* ``fts5-jieba`` — SQLite FTS5 over jieba's search-mode words (``cut_for_search``), looked up as word prefixes.

For each size it prints build time (names → index: exact-name dictionary, Latin vocabulary and the candidate's
index), p50/p95 latency of a query in process (the ranking table of tests/test_search.py, plus for synthetic
sizes queries that match tens of thousands of names: 合成, 合, "synthetic figure 7", a misspelt "synthetc"), and
the 95th percentile of the CPU time the querying thread used (what the wall-clock figure would be on an idle
machine, as near as can be measured on a shared one), and how many rows of that table get their expected first hit. Size 0 is the report's own names (read from
``dist/``, so run ``cbec-kg build`` first); N adds the names of bench.synth's facts for N statistics
(74,000 statistics make the 10^6-triple synthetic graph), made straight from the facts, without building it.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph

from bench.synth import synthetic_facts
from kg.model.ontology import CBO, CBR
from kg.search.index import NameIndex
from kg.search.names import ALT_LABEL, RDF_TYPE, RDFS_LABEL, catalogue, graph_path
from kg.search.rank import rank
from kg.search.service import Search
from tests.test_search import FIRST_HITS

STRESS = [("合成", "zh"), ("合", "zh"), ("synthetic figure 7", "en"), ("synthetc", "en"), ("合成实体 42", "zh")]


class Fts5(NameIndex):
    """The documents in an in-memory SQLite FTS5 table; subclasses choose the tokenizer and the query."""

    TOKENIZE = "unicode61"

    def open(self, documents):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, n UNINDEXED, kind UNINDEXED, cls UNINDEXED, tokenize='{self.TOKENIZE}')")
        self.db.executemany("INSERT INTO t(text, n, kind, cls) VALUES (?, ?, ?, ?)",
                            ((self.indexed(text), n, kind, cls) for text, n, kind, cls in documents))

    def indexed(self, text):
        return text

    def match(self, terms):
        return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)

    def lookup(self, terms, kind, allowed, depth):
        query = self.match(terms)
        if not query:
            return []
        classes = sorted(allowed) if allowed is not None else []
        where = f" AND cls IN ({','.join('?' * len(classes))})" if allowed is not None else ""
        sql = f"SELECT n FROM t WHERE t MATCH ? AND kind = ?{where} ORDER BY rank LIMIT ?"
        return [r[0] for r in self.db.execute(sql, (query, kind, *classes, depth))]


class Fts5Trigram(Fts5):
    """SQLite FTS5, trigram tokenizer: a term of under three characters finds nothing."""

    TOKENIZE = "trigram"


class Fts5Jieba(Fts5):
    """SQLite FTS5 over jieba's search-mode words; a term is looked up as the prefixes of its own words."""

    def open(self, documents):
        import jieba

        jieba.setLogLevel(60)
        self.cut = jieba.cut_for_search
        super().open(documents)

    def indexed(self, text):
        return " ".join(w for w in self.cut(text.replace("\u241e", " ")) if w.strip())

    def match(self, terms):
        words = [w for t in terms for w in self.indexed(t).split() if w.isalnum()]
        return " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)


BACKENDS = {"tantivy": NameIndex, "fts5-trigram": Fts5Trigram, "fts5-jieba": Fts5Jieba}


def report_triples(dist: Path):
    path = graph_path(dist)
    fmt = pyoxigraph.RdfFormat.N_TRIPLES if path.suffix == ".nt" else pyoxigraph.RdfFormat.TURTLE
    return [(t.subject.value, t.predicate.value, t.object) for t in pyoxigraph.parse(path=str(path), format=fmt)]


def synthetic_triples(statistics_: int):
    """The name triples of bench.synth's facts for ``statistics_`` statistics (labels, aliases, class)."""
    out = []
    for fact in synthetic_facts(statistics_):
        s = f"{CBR}{fact['id']}"
        out.append((s, RDF_TYPE, pyoxigraph.NamedNode(f"{CBO}{fact['class']}")))
        for lang, text in fact.get("label", {}).items():
            out.append((s, RDFS_LABEL, pyoxigraph.Literal(text, language=lang)))
        for lang, texts in (fact.get("alias") or {}).items():
            for text in texts if isinstance(texts, list) else [texts]:
                out.append((s, ALT_LABEL, pyoxigraph.Literal(text, language=lang)))
    return out


def read_time(dist: Path, copies: int) -> None:
    """Time kg.search.names.read on the report's N-Triples repeated ``copies`` times, subjects renamed per copy."""
    import tempfile

    from kg.search.names import read

    text = graph_path(dist).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cbec-kg.nt"
        with path.open("wb") as out:
            for c in range(copies):
                out.write(text.replace(b"<" + str(CBR).encode(), b"<" + f"{CBR}c{c}-".encode()))
        lines = sum(1 for _ in path.open("rb"))
        t, cpu = time.perf_counter(), time.process_time()
        cat = read(path)
        print(f"read {lines} triples ({path.stat().st_size / 1e6:.0f} MB N-Triples, the report's {copies} times): "
              f"{time.perf_counter() - t:.2f} s ({time.process_time() - cpu:.2f} s CPU), "
              f"{len(cat.entries)} resources, {len(cat.names)} names")
        t, cpu = time.perf_counter(), time.process_time()
        NameIndex(cat.names, cat.entries)
        print(f"  and indexed them with tantivy: {time.perf_counter() - t:.2f} s ({time.process_time() - cpu:.2f} s CPU)")


#: one `cbec-kg search` in a fresh process, CPU (ms) step by step: interpreter start, imports, names, index, answer
STEPS = """
import sys, time
from pathlib import Path
marks = [time.process_time()]
import kg.cli; marks.append(time.process_time())
import tantivy; marks.append(time.process_time())
from kg.search.service import Search, table; marks.append(time.process_time())
search = Search.of_dist(Path(sys.argv[1])); marks.append(time.process_time())
table(search, search.find(sys.argv[2]), "zh"); marks.append(time.process_time())
print(*(round((b - a) * 1000, 1) for a, b in zip([0.0] + marks, marks)), "rapidfuzz" in sys.modules, "rdflib" in sys.modules)
"""
STEP_NAMES = ["start", "kg.cli", "tantivy", "kg.search", "names + index", "answer"]


def process_time(dist: Path, repeat: int) -> None:
    """Median CPU and wall of ``cbec-kg search`` in ``repeat`` fresh processes per query, and of each step."""
    import resource
    import subprocess

    env = os.environ | {"CBEC_KG_DIST": str(dist)}
    print(f"cbec-kg search in fresh processes, medians of {repeat}; load average {os.getloadavg()[0]:.1f}")
    for query in ("菜鸟", "alibabba"):
        cpu, wall, steps = [], [], []
        for _ in range(repeat):
            before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([sys.executable, "-m", "kg", "search", query], env=env, check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall.append(time.perf_counter() - t)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            out = subprocess.run([sys.executable, "-c", STEPS, str(dist), query], env=env, check=True, capture_output=True, text=True)
            steps.append(out.stdout.split())
        each = ", ".join(f"{name} {statistics.median(float(s[i]) for s in steps):.0f}" for i, name in enumerate(STEP_NAMES))
        print(f"  {query}: {statistics.median(cpu) * 1000:.0f} ms CPU, {statistics.median(wall) * 1000:.0f} ms wall; "
              f"steps (ms CPU): {each}; rapidfuzz loaded: {steps[0][-2]}, rdflib loaded: {steps[0][-1]}")


def measure(kind, cat, classes, queries, repeat):
    t0, c0 = time.perf_counter(), time.process_time()
    index = BACKENDS[kind](cat.names, cat.entries)
    _ = index.vocabulary      # made on the first correction; timed with the build, as before it was lazy
    built = (time.perf_counter() - t0, time.process_time() - c0)
    samples, cpu, missed = [], [], []
    for query, lang, cls, expected, _ in FIRST_HITS:
        hits = rank(index, query, lang, classes[cls], 5)
        if not hits or hits[0].entry.id != expected:
            missed.append(query)
    per_query: dict[str, list[float]] = {}
    for _ in range(repeat):
        for query, lang, cls in queries:
            t, c = time.perf_counter(), time.thread_time()
            rank(index, query, lang, classes[cls], 10)
            samples.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
            per_query.setdefault(f"{query}" + (f" [{cls}]" if cls else ""), []).append(cpu[-1] * 1000)
    slow = {q: statistics.median(v) for q, v in per_query.items() if statistics.median(v) > 5}
    if slow:
        print(f"  {kind}: median CPU over 5 ms: " + ", ".join(f"{q} {ms:.1f} ms" for q, ms in sorted(slow.items(), key=lambda kv: -kv[1])))
    p50, p95 = (statistics.quantiles(samples, n=100)[i] * 1000 for i in (49, 94))
    return built, p50, p95, statistics.quantiles(cpu, n=100)[94] * 1000, missed


def main() -> None:
    NameIndex.KEPT = False    # time building the index, as the first search after a build does (--process: opening it)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 7400, 74000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=list(BACKENDS))
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--read-copies", type=int, default=0,
                        help="also time reading names from the report's N-Triples repeated this many times (96: ~10^6 triples)")
    parser.add_argument("--process", type=int, default=0, metavar="N",
                        help="only time cbec-kg search in N fresh processes per query, and each step of one")
    args = parser.parse_args()
    if args.process:
        return process_time(Path(args.dist), args.process)
    if args.read_copies:
        read_time(Path(args.dist), args.read_copies)
    t0 = time.perf_counter()
    base = report_triples(Path(args.dist))
    print(f"read the report's graph ({len(base)} triples) in {time.perf_counter() - t0:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for size in args.sizes:
        cat = catalogue(base + synthetic_triples(size))
        resolver = Search(cat)
        classes = {cls: resolver.resolve_class(cls) for _, _, cls, _, _ in FIRST_HITS}
        queries = [(q, lang, cls) for q, lang, cls, _, _ in FIRST_HITS] + ([(q, lang, None) for q, lang in STRESS] if size else [])
        label = "the report" if not size else f"report + {size} synthetic statistics"
        print(f"\n{label}: {len(cat.entries)} resources, {len(cat.names)} names; {len(queries)} queries x {args.repeat}")
        print("| index | build (s; CPU) | p50 (ms) | p95 (ms) | p95 CPU (ms) | first hit as expected | missed |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for kind in args.backends:
            built, p50, p95, cpu95, missed = measure(kind, cat, classes, queries, args.repeat)
            print(f"| {kind} | {built[0]:.2f}; {built[1]:.2f} | {p50:.2f} | {p95:.2f} | {cpu95:.2f} | {len(FIRST_HITS) - len(missed)}/{len(FIRST_HITS)} "
                  f"| {', '.join(missed)} |", flush=True)


if __name__ == "__main__":
    main()
