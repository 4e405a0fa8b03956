"""Oxigraph's on-disk store of the build (``dist/store``), and loading N-Triples into any Oxigraph store.

The build writes the asserted triples (ontology + facts) into the store's
default graph and the inferences into the graph ``kg.names.GRAPH_INFERRED``;
``cbec-kg query`` and ``show`` open it read-only, so they start in milliseconds
instead of parsing the Turtle each time. Only Oxigraph is imported here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kg.names import GRAPH_INFERRED


def load_ntriples(store: pyoxigraph.Store, data: bytes, graph: pyoxigraph.NamedNode | None = None) -> None:
    """Load N-Triples into a store (into ``graph`` when given) keeping blank-node labels (a bulk load renames them
    at random): lines with blank nodes go through the parser, the rest through the fast bulk loader."""
    plain: list[bytes] = []
    blank: list[bytes] = []
    for line in data.splitlines():
        (blank if b"_:" in line else plain).append(line)
    target = graph or pyoxigraph.DefaultGraph()
    store.bulk_load(b"\n".join(plain), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=target)
    if blank:
        store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, target)
                     for q in pyoxigraph.parse(b"\n".join(blank), format=pyoxigraph.RdfFormat.N_TRIPLES))


def write_disk_store(folder: Path, asserted: bytes, inferred: bytes) -> Path:
    """Oxigraph's on-disk store at ``folder``: ``asserted`` (N-Triples) in the default graph, ``inferred`` in the
    graph ``kg.names.GRAPH_INFERRED``. Its files are RocksDB's, not byte-reproducible: its content is (a test
    compares it, triple by triple, with the build's N-Triples)."""
    store = pyoxigraph.Store(str(folder))
    load_ntriples(store, asserted)
    load_ntriples(store, inferred, pyoxigraph.NamedNode(GRAPH_INFERRED))
    store.flush()
    store.optimize()
    del store
    return folder


def open_disk_store(folder: Path) -> pyoxigraph.Store:
    """The on-disk store, read-only (any number of processes may hold it open)."""
    if not (folder / "CURRENT").exists():
        raise FileNotFoundError(2, "no Oxigraph store here", str(folder))
    return pyoxigraph.Store.read_only(str(folder))
