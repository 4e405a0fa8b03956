"""The derived values (kg/model/rules.py), on the report's own facts, and the mapping that writes them."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

import kg.model.ontology
import kg.model.rules
import kg.names
from kg.model.mapping import fact_lines
from kg.model.ontology import CBO, CBR, Vocabulary, load_ontology
from kg.model.rules import (
    decimal_text,
    inherited_sources,
    normalize,
    parse_printed,
    statement_iri,
    statement_record,
    year_of,
)
from kg.project import Project


@pytest.mark.parametrize("module", [kg.names, kg.model.rules, kg.model.ontology])
def test_docstring_examples_hold(module):
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_graph(load_ontology(Project.find().ontology))


def lines_of(fact_id: str, base, vocab) -> list[str]:
    out: list[str] = []
    fact_lines(base.facts[fact_id], base, vocab, out)
    return out


def test_table1_china_sales_normalised_to_dollars(report_facts, vocab):
    # 表1: China sold 1000 亿美元 (1 亿 = 10^8) in 2018: 10^11 US$
    fact = report_facts.facts["t1-CN-sales"]
    unit = report_facts.facts[fact.data["unit"]].data
    assert normalize(parse_printed(fact.data["value"]), unit) == Decimal("100000000000")
    lines = lines_of("t1-CN-sales", report_facts, vocab)
    assert f'<{CBR}t1-CN-sales> <{CBO}normalizedValue> "100000000000"^^<http://www.w3.org/2001/XMLSchema#decimal> .' in lines
    assert f'<{CBR}t1-CN-sales> <{CBO}year> "2018"^^<http://www.w3.org/2001/XMLSchema#integer> .' in lines


def test_figure_inherits_its_tables_source(report_facts, vocab):
    # 表1 cites UNCTAD; its figures name no source of their own
    assert inherited_sources(report_facts.facts["t1-CN-sales"], report_facts) == ["src-unctad-ecommerce-2018"]
    assert f"<{CBR}t1-CN-sales> <{CBO}citesSource> <{CBR}src-unctad-ecommerce-2018> ." in lines_of("t1-CN-sales", report_facts, vocab)


def test_a_figure_with_its_own_source_inherits_none(report_facts):
    own = [f for f in report_facts.of_class("Statistic") if "citesSource" in f.data]
    assert own, "the report's facts have figures that name their own source"
    assert all(inherited_sources(f, report_facts) == [] for f in own)


def test_years_of_periods():
    assert year_of("2018") == 2018
    assert year_of("2019-03") == 2019
    assert year_of("2019-01/2019-06") == 2019
    assert year_of("2006/2010") is None


def test_printed_numbers_and_canonical_decimals():
    assert parse_printed("1,234.50") == Decimal("1234.50")
    assert decimal_text(Decimal("1234.50")) == "1234.5"
    assert decimal_text(Decimal("100") * Decimal("0.01")) == "1"


def test_statement_records_only_for_placed_relations(report_facts, vocab):
    assert statement_record("a", "partOf", "b", []) is None
    record = statement_record("a", "partOf", "b", ["s1", "table1"])
    assert record is not None and record.places == ("s1", "table1")
    assert record.iri == statement_iri("a", "partOf", "b") != statement_iri("a", "partOf", "c")
    placed = next((f, key, value, places) for f in report_facts.facts.values()
                  for key, value, places in f.relations() if places and key in vocab.object_properties)
    fact, key, value, places = placed
    iri = statement_iri(fact.id, key, str(value))
    lines = lines_of(fact.id, report_facts, vocab)
    assert f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{CBR}{value}> ." in lines
    assert {f"<{iri}> <{CBO}statedIn> <{CBR}{p}> ." for p in places} <= set(lines)
