"""Where a fact becomes triples.

Each block of a fact sheet becomes one resource ``cbr:<id>`` typed with its
class, labelled in Chinese and English, linked to the report part that states
it (``cbo:statedIn``) and, for statistics, to the source the report cites for
it (``cbo:citesSource``). A relation with a place of its own is also written
as an ``rdf:Statement`` carrying that place, so the question "where does the
report say this?" has an answer for single triples too.

The facts are written straight to N-Triples lines and bulk-loaded into an
Oxigraph store (building rdflib terms and indexing them in rdflib's memory
store cost ~35 µs a triple: 35 s at 10^6); the graph is then used through
rdflib's API over that store (``oxrdflib``).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pyoxigraph
from oxrdflib import OxigraphStore
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.model.ontology import CBO, CBR, SKOS, Vocabulary, bind_prefixes
from kg.sheets.facts import Fact, FactBase, as_list


def iri(fact_id: str) -> URIRef:
    return CBR[fact_id]


def decimalquoted(number: Decimal) -> str:
    """Canonical xsd:decimal text: no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def parse_printed(printed: str) -> Decimal:
    return Decimal(printed.replace(",", ""))


def statement_iri(subject: str, prop: str, target: str) -> URIRef:
    digest = hashlib.sha1(f"{subject} {prop} {target}".encode()).hexdigest()[:12]
    return CBR[f"statement-{subject}-{digest}"]


_RES = str(CBR)
TYPE, LABEL, ALT, DEFINITION, NOTE = (f"<{t}>" for t in (RDF.type, RDFS.label, SKOS.altLabel, SKOS.definition, SKOS.editorialNote))
STATEMENT, SUBJECT, PREDICATE, OBJECT = (f"<{t}>" for t in (RDF.Statement, RDF.subject, RDF.predicate, RDF.object))
INTEGER, DECIMAL = f"<{XSD.integer}>", f"<{XSD.decimal}>"


def _p(name: str) -> str:
    return f"<{CBO}{name}>"


def _r(fact_id: str) -> str:
    return f"<{_RES}{fact_id}>"


def quoted(text: str) -> str:
    """A string as an N-Triples (and SPARQL) literal: quotes, backslashes and line breaks escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def nt_literal(term: Literal) -> str:
    out = quoted(str(term))
    if term.language:
        return f"{out}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{out}^^<{term.datatype}>"
    return out


def fact_lines(fact: Fact, base: FactBase, vocab: Vocabulary, out: list[str]) -> None:
    """The N-Triples lines of one block."""
    s = _r(fact.id)
    data = fact.data
    add = out.append
    add(f"{s} {TYPE} {_p(fact.cls)} .")
    for lang, text in data["label"].items():
        add(f"{s} {LABEL} {quoted(text)}@{lang} .")
    for lang, names in (data.get("aliases") or {}).items():
        for name in names:
            add(f"{s} {ALT} {quoted(name)}@{lang} .")
    for lang, text in (data.get("definition") or {}).items():
        add(f"{s} {DEFINITION} {quoted(text)}@{lang} .")
    if data.get("note"):
        add(f"{s} {NOTE} {quoted(data['note'])} .")
    stated_in = _p("statedIn")
    for place in fact.places():
        add(f"{s} {stated_in} {_r(place)} .")
    if "period" in data:
        period = data["period"]
        add(f"{s} {_p('period')} {quoted(period)} .")
        start, _, end = period.partition("/")
        if not end or end[:4] == start[:4]:
            add(f'{s} {_p("year")} "{int(start[:4])}"^^{INTEGER} .')
    for key, value, places in fact.relations():
        p = _p(key)
        if key in vocab.object_properties:
            o = _r(str(value))
            add(f"{s} {p} {o} .")
            if places:
                st = f"<{statement_iri(fact.id, key, str(value))}>"
                add(f"{st} {TYPE} {STATEMENT} .")
                add(f"{st} {SUBJECT} {s} .")
                add(f"{st} {PREDICATE} {p} .")
                add(f"{st} {OBJECT} {o} .")
                for place in places:
                    add(f"{st} {stated_in} {_r(place)} .")
        else:
            add(f"{s} {p} {nt_literal(vocab.literal(key, value))} .")
    if fact.cls == "Statistic":
        statistic_lines(fact, base, out)
    elif fact.cls == "Mention":
        offset_lines(fact, out)


def _decimal(number: Decimal) -> str:
    return f'"{decimalquoted(number)}"^^{DECIMAL}'


def statistic_lines(fact: Fact, base: FactBase, out: list[str]) -> None:
    s, data, add = _r(fact.id), fact.data, out.append
    printed = data["value"]
    value = parse_printed(printed)
    add(f"{s} {_p('printedValue')} {quoted(printed)} .")
    add(f"{s} {_p('value')} {_decimal(value)} .")
    unit = base.facts[data["unit"]]
    factor = Decimal(str(unit.data.get("factor", 1)))
    add(f"{s} {_p('normalizedValue')} {_decimal(value * factor)} .")
    if "upperValue" in data:
        upper = parse_printed(data["upperValue"])
        add(f"{s} {_p('upperValue')} {_decimal(upper)} .")
        add(f"{s} {_p('upperNormalizedValue')} {_decimal(upper * factor)} .")
        if "upperOffset" in data:
            add(f'{s} {_p("upperCharStart")} "{int(data["upperOffset"])}"^^{INTEGER} .')
            add(f'{s} {_p("upperCharEnd")} "{int(data["upperOffset"]) + len(data["upperValue"])}"^^{INTEGER} .')
    offset_lines(fact, out)
    if "citesSource" not in data:
        # "On whose data?": a figure inherits the source its table or footnote cites.
        for place in fact.places():
            for source in as_list(base.facts[place].data.get("cites")):
                add(f"{s} {_p('citesSource')} {_r(source)} .")


def offset_lines(fact: Fact, out: list[str]) -> None:
    """Where the number stands in the report's text (a statistic's, or a mention's of one)."""
    s, data = _r(fact.id), fact.data
    if "offset" in data:
        out.append(f'{s} {_p("charStart")} "{int(data["offset"])}"^^{INTEGER} .')
        out.append(f'{s} {_p("charEnd")} "{int(data["offset"]) + len(data["value"])}"^^{INTEGER} .')


CHUNK = 50_000  # lines handed to the loader at a time


def fill_store(base: FactBase, vocab: Vocabulary, ontology: Graph | None = None, meanwhile=None) -> pyoxigraph.Store:
    """An Oxigraph store holding the data of all facts (and the ontology when given).

    The lines are written in chunks that a second thread bulk-loads as they come (Oxigraph lets go of Python's
    lock while it loads, so writing and loading share the two cores); ``meanwhile``, if given, is called once
    every line is written, while the last chunks load.
    """
    import queue
    import threading

    store = pyoxigraph.Store()
    chunks: queue.Queue = queue.Queue(maxsize=8)
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
    if ontology is not None:
        from kg.rdfio.serialize import load_ntriples  # keeps the ontology's canonical blank-node labels

        load_ntriples(store, ontology.serialize(format="nt", encoding="utf-8"))
    return store


def as_graph(store: pyoxigraph.Store) -> Graph:
    """rdflib's API over an Oxigraph store."""
    return bind_prefixes(Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID))


def build_graph(base: FactBase, vocab: Vocabulary, ontology: Graph | None = None, meanwhile=None) -> Graph:
    """The data graph for all facts, with the ontology merged in when given (rdflib's API, Oxigraph's store)."""
    return as_graph(fill_store(base, vocab, ontology, meanwhile))


def memory_graph(store: pyoxigraph.Store, keep=lambda quad: True) -> Graph:
    """A copy of the store's default graph in rdflib's memory store (whose many small lookups are ~5x faster than
    through oxrdflib), holding the triples ``keep`` accepts."""
    from rdflib import BNode

    iris: dict[str, URIRef] = {}

    def term(t):
        if isinstance(t, pyoxigraph.NamedNode):
            found = iris.get(t.value)
            if found is None:
                found = iris[t.value] = URIRef(t.value)
            return found
        if isinstance(t, pyoxigraph.BlankNode):
            return BNode(t.value)
        return Literal(t.value, lang=t.language) if t.language else Literal(t.value, datatype=term(t.datatype))

    copy = bind_prefixes(Graph())
    copy.addN((term(q.subject), term(q.predicate), term(q.object), copy)
              for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()) if keep(q))
    return copy
