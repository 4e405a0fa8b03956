"""Store adapters: fact lines into an Oxigraph store, and rdflib's API over it.

* ``fill_store`` bulk-loads the facts' N-Triples lines (``kg.model.mapping``) into
  an in-memory Oxigraph store while they are written;
* ``as_graph`` gives rdflib's ``Graph`` API over a store (``oxrdflib``);
* ``build_graph`` is the two together;
* ``memory_graph`` copies a store into rdflib's own memory store, whose many
  small lookups are faster than through ``oxrdflib``.
* Oxigraph's on-disk store, which the build writes to ``dist/store``, is
  ``kg.rdfio.disk``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import pyoxigraph
from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.model.mapping import fact_lines
from kg.model.ontology import Vocabulary, bind_prefixes
from kg.rdfio.disk import load_ntriples
from kg.sheets.facts import FactBase

CHUNK = 50_000  # lines handed to the loader at a time


def fill_store(base: FactBase, vocab: Vocabulary, ontology: Graph | None = None,
               meanwhile: Callable[[], object] | None = None) -> pyoxigraph.Store:
    """An Oxigraph store holding the data of all facts (and the ontology when given).

    The lines are written in chunks that a second thread bulk-loads as they come (Oxigraph lets go of Python's
    lock while it loads, so writing and loading share the two cores); ``meanwhile``, if given, is called once
    every line is written, while the last chunks load.
    """
    store = pyoxigraph.Store()
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
    failed: list[BaseException] = []

    def loader() -> None:
        while (chunk := chunks.get()) is not None:
            if not failed:
                try:
                    store.bulk_load(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
                except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                    failed.append(exc)

    thread = threading.Thread(target=loader, name="cbec-kg-loader", daemon=True)
    thread.start()
    try:
        lines: list[str] = []
        for fact in base.facts.values():
            fact_lines(fact, base, vocab, lines)
            if len(lines) >= CHUNK:
                chunks.put("\n".join(lines).encode("utf-8"))
                lines = []
        if lines:
            chunks.put("\n".join(lines).encode("utf-8"))
        if meanwhile is not None:
            meanwhile()
    finally:
        chunks.put(None)
        thread.join()
    if failed:
        raise failed[0]
    if ontology is not None:  # keeps the ontology's canonical blank-node labels
        load_ntriples(store, ontology.serialize(format="nt", encoding="utf-8"))
    return store


def as_graph(store: pyoxigraph.Store) -> Graph:
    """rdflib's API over an Oxigraph store."""
    return bind_prefixes(Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID))


def build_graph(base: FactBase, vocab: Vocabulary, ontology: Graph | None = None,
                meanwhile: Callable[[], object] | None = None) -> Graph:
    """The data graph for all facts, with the ontology merged in when given (rdflib's API, Oxigraph's store)."""
    return as_graph(fill_store(base, vocab, ontology, meanwhile))


def rdflib_term(t, iris: dict[str, URIRef] | None = None):
    """A pyoxigraph term as rdflib's (None stays None); ``iris`` keeps one ``URIRef`` per IRI when given."""
    if t is None:
        return None
    if isinstance(t, pyoxigraph.NamedNode):
        if iris is None:
            return URIRef(t.value)
        found = iris.get(t.value)
        if found is None:
            found = iris[t.value] = URIRef(t.value)
        return found
    if isinstance(t, pyoxigraph.BlankNode):
        return BNode(t.value)
    return Literal(t.value, lang=t.language) if t.language else Literal(t.value, datatype=rdflib_term(t.datatype, iris))


def memory_graph(store: pyoxigraph.Store, keep: Callable[[pyoxigraph.Quad], bool] = lambda quad: True) -> Graph:
    """A copy of the store's default graph in rdflib's memory store (whose many small lookups are ~5x faster than
    through oxrdflib), holding the triples ``keep`` accepts."""
    iris: dict[str, URIRef] = {}

    def term(t):
        return rdflib_term(t, iris)

    copy = bind_prefixes(Graph())
    copy.addN((term(q.subject), term(q.predicate), term(q.object), copy)
              for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()) if keep(q))
    return copy
