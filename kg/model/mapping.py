"""Where a fact becomes triples.

Each block of a fact sheet becomes one resource ``cbr:<id>`` typed with its
class, labelled in Chinese and English, linked to the report part that states
it (``cbo:statedIn``) and, for statistics, to the source the report cites for
it (``cbo:citesSource``). A relation with a place of its own is also written
as an ``rdf:Statement`` carrying that place, so the question "where does the
report say this?" has an answer for single triples too.

Values computed rather than copied (a normalised value, the year of a period,
a source inherited from a table, statement records) come from the named rules
of ``kg.model.rules``.

The facts are written straight to N-Triples lines (building rdflib terms and
indexing them in rdflib's memory store cost ~35 µs a triple: 35 s at 10^6);
``kg.rdfio.store`` bulk-loads them into an Oxigraph store.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Literal

from kg.model.ontology import CBO, CBR, SKOS, Vocabulary
from kg.model.rules import (
    StatementRecord,
    decimal_text,
    inherited_sources,
    normalize,
    parse_printed,
    statement_record,
    year_of,
)
from kg.sheets.facts import Fact, FactBase

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
        year = year_of(period)
        if year is not None:
            add(f'{s} {_p("year")} "{year}"^^{INTEGER} .')
    for key, value, places in fact.relations():
        p = _p(key)
        if key in vocab.object_properties:
            add(f"{s} {p} {_r(str(value))} .")
            record = statement_record(fact.id, key, str(value), places)
            if record is not None:
                statement_lines(record, out)
        else:
            add(f"{s} {p} {nt_literal(vocab.literal(key, value))} .")
    if fact.cls == "Statistic":
        statistic_lines(fact, base, out)
    elif fact.cls == "Mention":
        offset_lines(fact, out)


def statement_lines(record: StatementRecord, out: list[str]) -> None:
    """The lines of a relation's ``rdf:Statement`` and the places that state it."""
    st, add = f"<{record.iri}>", out.append
    add(f"{st} {TYPE} {STATEMENT} .")
    add(f"{st} {SUBJECT} {_r(record.subject)} .")
    add(f"{st} {PREDICATE} {_p(record.prop)} .")
    add(f"{st} {OBJECT} {_r(record.target)} .")
    for place in record.places:
        add(f"{st} {_p('statedIn')} {_r(place)} .")


def _decimal(number: Decimal) -> str:
    return f'"{decimal_text(number)}"^^{DECIMAL}'


def statistic_lines(fact: Fact, base: FactBase, out: list[str]) -> None:
    s, data, add = _r(fact.id), fact.data, out.append
    printed = data["value"]
    value = parse_printed(printed)
    add(f"{s} {_p('printedValue')} {quoted(printed)} .")
    add(f"{s} {_p('value')} {_decimal(value)} .")
    add(f"{s} {_p('normalizedValue')} {_decimal(normalize(value, base.facts[data['unit']].data))} .")
    if "upperValue" in data:
        upper = parse_printed(data["upperValue"])
        add(f"{s} {_p('upperValue')} {_decimal(upper)} .")
        add(f"{s} {_p('upperNormalizedValue')} {_decimal(normalize(upper, base.facts[data['unit']].data))} .")
        if "upperOffset" in data:
            add(f'{s} {_p("upperCharStart")} "{int(data["upperOffset"])}"^^{INTEGER} .')
            add(f'{s} {_p("upperCharEnd")} "{int(data["upperOffset"]) + len(data["upperValue"])}"^^{INTEGER} .')
    offset_lines(fact, out)
    for source in inherited_sources(fact, base):
        add(f"{s} {_p('citesSource')} {_r(source)} .")


def offset_lines(fact: Fact, out: list[str]) -> None:
    """Where the number stands in the report's text (a statistic's, or a mention's of one)."""
    s, data = _r(fact.id), fact.data
    if "offset" in data:
        out.append(f'{s} {_p("charStart")} "{int(data["offset"])}"^^{INTEGER} .')
        out.append(f'{s} {_p("charEnd")} "{int(data["offset"]) + len(data["value"])}"^^{INTEGER} .')

