"""SHACL validation by SPARQL on Oxigraph: our shapes compiled into SELECT queries.

Why: pySHACL walks the data node by node in Python (about 1.2 s on the report's
10k triples, minutes at a million). Each check here is one SELECT that Oxigraph
answers over the whole store at once. pySHACL (``kg.shapes``) stays the
reference: ``tests/test_shacl_sparql.py`` runs both on the same mutated graphs
and requires equal results, the same ``Violation(focus, path, message)`` values.

The subset of SHACL Core that ``ontology/shapes.ttl`` uses, and nothing more:

- node shapes with ``sh:targetClass`` (SHACL instances, following
  ``rdfs:subClassOf*`` in the data) and ``sh:targetSubjectsOf``, and
  ``sh:property`` blank nodes whose ``sh:path`` is one IRI and which carry
  one ``sh:message``;
- ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:pattern``
  (no ``sh:flags``), ``sh:or`` of shapes that each hold only ``sh:datatype``, and
  ``sh:qualifiedValueShape [ sh:languageIn (...) ]`` with
  ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount`` (not disjoint);
- a property shape whose ``sh:severity`` is not ``sh:Violation`` is skipped, as
  ``kg.shapes`` drops its results.

Anything else raises ``Unsupported`` (naming the shape and the construct), so a
caller can fall back to pySHACL. Where pySHACL's behaviour is not the spec's, we
follow pySHACL: ``sh:languageIn`` matches a tag equal to a range or whose first
subtag equals it (so ``zh-Hant`` counts as ``zh``); ``$`` in a pattern also
matches before a final newline (Python's ``re``). Known remaining differences,
all on lexical forms the build never writes: Oxigraph stores numbers in
canonical form (``"1.50"`` and ``"1.5"`` are one value, not two), checks
well-formedness by XSD rules where rdflib uses Python's parsers (``"NaN"``,
``" 1"`` or ``"1e5"`` are decimals to pySHACL, not here), and blank-node focus
nodes get different labels in the two stores.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from kg.checks.shapes import SH, Violation
from kg.model.mapping import quoted
from kg.model.ontology import bind_prefixes
from kg.query.sources import ask

PREFIXES = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")

# Datatypes rdflib checks for ill-typed literals (which pySHACL then rejects): a cast to them must succeed here too.
CHECKED_DATATYPES = {XSD.integer, XSD.decimal, XSD.date, XSD.dateTime, XSD.time, XSD.boolean, XSD.float, XSD.double}
# Datatypes rdflib does not check: the datatype IRI alone decides.
PLAIN_DATATYPES = {XSD.string, RDF.langString, XSD.gYear, XSD.gYearMonth}

NO_EFFECT = {RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group}
NODE_SHAPE_KEYS = NO_EFFECT | {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.severity, SH.message}
PROPERTY_SHAPE_KEYS = NO_EFFECT | {RDF.type, SH.path, SH.message, SH.severity, SH.minCount, SH.maxCount, SH.datatype, SH["class"],
                                   SH.pattern, SH["or"], SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}

# Focus nodes and paths are written as kg.shapes writes them: with the data graph's namespace manager.
NAMESPACES = bind_prefixes(Graph()).namespace_manager


class Unsupported(ValueError):
    """A shape uses something this compiler does not handle."""


@dataclass(frozen=True)
class Check:
    """One constraint of one property shape: a SELECT whose ?focus rows are the focus nodes that violate it."""

    shape: str
    component: str
    path: URIRef
    message: str
    query: str


def violations(store: pyoxigraph.Store, shapes: Graph, checks: list[Check] | None = None) -> list[Violation]:
    """Every violation in the store's default graph, as ``kg.shapes.violations`` gives them (sorted, deduplicated)."""
    found = set()
    for check in compile_shapes(shapes) if checks is None else checks:
        path = NAMESPACES.normalizeUri(check.path)
        for row in ask(store, check.query).bindings():
            focus = row["focus"]
            term = URIRef(focus.value) if isinstance(focus, pyoxigraph.NamedNode) else BNode(focus.value)
            found.add(Violation(NAMESPACES.normalizeUri(term), path, check.message))
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def compile_shapes(shapes: Graph) -> list[Check]:
    """The checks for every targeted node shape of ``shapes``; raise Unsupported on anything outside the subset."""
    for target in (SH.targetNode, SH.targetObjectsOf, SH.target):
        for node in shapes.subjects(target, None):
            raise Unsupported(f"{name(shapes, node)}: {name(shapes, target)} is not supported")
    targeted = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))
    checks = []
    for node in sorted(targeted, key=str):
        shape = name(shapes, node)
        allow(shapes, node, shape, NODE_SHAPE_KEYS, SH.NodeShape)
        classes, predicates = sorted(shapes.objects(node, SH.targetClass), key=str), sorted(shapes.objects(node, SH.targetSubjectsOf), key=str)
        if any(not isinstance(t, URIRef) for t in classes + predicates):
            raise Unsupported(f"{shape}: a target that is not an IRI")
        unions = [f"{{ ?class rdfs:subClassOf* <{c}> . ?focus rdf:type ?class }}" for c in classes]
        unions += [f"{{ ?focus <{p}> [] }}" for p in predicates]
        targets = "{ SELECT DISTINCT ?focus WHERE { " + " UNION ".join(unions) + " } }"
        for prop in sorted(shapes.objects(node, SH.property), key=lambda p: (str(shapes.value(p, SH.path)), str(shapes.value(p, SH.message)))):
            checks += property_checks(shapes, prop, shape, targets)
    return checks


def property_checks(shapes: Graph, prop, parent: str, targets: str) -> list[Check]:
    path = one(shapes, prop, SH.path, parent)
    shape = f"{parent} sh:property [ sh:path {name(shapes, path)} ]"
    if not isinstance(path, URIRef):
        raise Unsupported(f"{shape}: sh:path must be a single IRI (other paths are not supported)")
    allow(shapes, prop, shape, PROPERTY_SHAPE_KEYS, SH.PropertyShape)
    if (shapes.value(prop, SH.severity) or SH.Violation) != SH.Violation:
        return []
    message = one(shapes, prop, SH.message, shape)
    if not isinstance(message, Literal):
        raise Unsupported(f"{shape}: needs exactly one literal sh:message (pySHACL's generated messages are not reproduced)")
    checks = []

    def add(component: str, query: str) -> None:
        checks.append(Check(shape, component, path, str(message), PREFIXES + query))

    def counts(component: str, low: int | None, high: int | None, keep: str = "") -> None:
        # The common bounds need no grouping (which cost 3x as much at 10^6 triples): at least one value is
        # NOT EXISTS, at most none is any value, at most one is two different values.
        if low == 1:
            add(component, f"SELECT DISTINCT ?focus WHERE {{ {targets} FILTER NOT EXISTS {{ ?focus <{path}> ?v {keep} }} }}")
        elif low:
            add(component, f"SELECT ?focus WHERE {{ {targets} OPTIONAL {{ ?focus <{path}> ?v {keep} }} }} "
                           f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {low})")
        if high == 0:
            add(component, f"SELECT DISTINCT ?focus WHERE {{ {targets} ?focus <{path}> ?v {keep} }}")
        elif high == 1:
            again = keep.replace("?v", "?w")
            add(component, f"SELECT DISTINCT ?focus WHERE {{ {targets} ?focus <{path}> ?v . {keep} ?focus <{path}> ?w . {again} "
                           f"FILTER(!sameTerm(?v, ?w)) }}")
        elif high is not None:
            add(component, f"SELECT ?focus WHERE {{ {targets} ?focus <{path}> ?v {keep} }} "
                           f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {high})")

    def each_value(component: str, bad: str) -> None:
        add(component, f"SELECT DISTINCT ?focus WHERE {{ {targets} ?focus <{path}> ?v {bad} }}")

    counts("sh:minCount/sh:maxCount", count(shapes, prop, SH.minCount, shape), count(shapes, prop, SH.maxCount, shape))
    if (datatype := one(shapes, prop, SH.datatype, shape)) is not None:
        each_value(f"sh:datatype {name(shapes, datatype)}", f"FILTER(!{has_datatype(shapes, datatype, shape)})")
    for cls in shapes.objects(prop, SH["class"]):
        if not isinstance(cls, URIRef):
            raise Unsupported(f"{shape}: sh:class must be an IRI")
        each_value(f"sh:class {name(shapes, cls)}", f"MINUS {{ ?type rdfs:subClassOf* <{cls}> . ?v rdf:type ?type }}")
    for pattern in shapes.objects(prop, SH.pattern):
        each_value(f"sh:pattern {pattern}", f"FILTER(isBlank(?v) || !REGEX(STR(?v), {regex(str(pattern), shape)}))")
    for alternatives in shapes.objects(prop, SH["or"]):
        ok = []
        for member in Collection(shapes, alternatives):
            allow(shapes, member, f"{shape} sh:or", {RDF.type, SH.datatype}, SH.NodeShape)
            ok.append(has_datatype(shapes, one(shapes, member, SH.datatype, f"{shape} sh:or member"), shape))
        if not ok:
            raise Unsupported(f"{shape}: an empty sh:or")
        each_value("sh:or", f"FILTER(!({' || '.join(ok)}))")
    qualified = one(shapes, prop, SH.qualifiedValueShape, shape)
    if qualified is not None:
        allow(shapes, qualified, f"{shape} sh:qualifiedValueShape", {RDF.type, SH.languageIn}, SH.NodeShape)
        ranges = one(shapes, qualified, SH.languageIn, f"{shape} sh:qualifiedValueShape")
        counts("sh:qualifiedValueShape", count(shapes, prop, SH.qualifiedMinCount, shape),
               count(shapes, prop, SH.qualifiedMaxCount, shape), f"FILTER({language_in(shapes, ranges, shape)})")
    elif (prop, SH.qualifiedMinCount, None) in shapes or (prop, SH.qualifiedMaxCount, None) in shapes:
        raise Unsupported(f"{shape}: sh:qualifiedMinCount/sh:qualifiedMaxCount without sh:qualifiedValueShape")
    return checks


def has_datatype(shapes: Graph, datatype, shape: str) -> str:
    """A SPARQL expression, never an error: ?v is a literal of ``datatype`` (and well-formed, where pySHACL checks that)."""
    if datatype not in CHECKED_DATATYPES | PLAIN_DATATYPES:
        raise Unsupported(f"{shape}: sh:datatype {name(shapes, datatype)} is not supported")
    well_formed = f" && isLiteral(<{datatype}>(?v))" if datatype in CHECKED_DATATYPES else ""
    return f"COALESCE(isLiteral(?v) && sameTerm(DATATYPE(?v), <{datatype}>){well_formed}, false)"


def language_in(shapes: Graph, ranges, shape: str) -> str:
    """pySHACL's sh:languageIn: the tag, or its first subtag, equals a range (case-insensitively); ``*`` takes any tag."""
    items = list(Collection(shapes, ranges))
    if not items or any(not isinstance(r, Literal) or not isinstance(r.value, str) for r in items):
        raise Unsupported(f"{shape}: sh:languageIn must be a list of strings")
    wanted = sorted({str(r).lower() for r in items})
    if "*" in wanted:
        return 'isLiteral(?v) && LANG(?v) != ""'
    listed = ", ".join(quoted(r) for r in wanted)
    return f'isLiteral(?v) && (LCASE(LANG(?v)) IN ({listed}) || LCASE(STRBEFORE(LANG(?v), "-")) IN ({listed}))'


def regex(pattern: str, shape: str) -> str:
    """The pattern as a SPARQL string literal, with Python's ``$`` (end, or before a final newline) spelt out."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            c = pattern[i:i + 2]
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            c += "^" if pattern[i + 1:i + 2] == "^" else ""
            c += "]" if pattern[i + len(c):i + len(c) + 1] == "]" else ""      # a ']' first in a class is a literal
        elif c == "$":
            out.append("\\n?$")
            i += 1
            continue
        out.append(c)
        i += len(c)
    text = quoted("".join(out))
    row = ask(pyoxigraph.Store(), f"SELECT ?p ?ok WHERE {{ BIND({text} AS ?p) BIND(REGEX(\"\", ?p) AS ?ok) }}").bindings()[0]
    if row["ok"] is None or row["p"].value != "".join(out):
        raise Unsupported(f"{shape}: sh:pattern {pattern!r} is not a regular expression Oxigraph accepts")
    return text


def count(shapes: Graph, node, predicate: URIRef, shape: str) -> int | None:
    value = one(shapes, node, predicate, shape)
    if value is None:
        return None
    if not isinstance(value, Literal) or type(value.value) is not int or value.value < 0:
        raise Unsupported(f"{shape}: {name(shapes, predicate)} must be a non-negative integer")
    return value.value


def one(shapes: Graph, node, predicate: URIRef, shape: str):
    values = list(shapes.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"{shape}: more than one {name(shapes, predicate)}")
    return values[0] if values else None


def allow(shapes: Graph, node, shape: str, keys: set, kind: URIRef) -> None:
    """Raise Unsupported if ``node`` uses a predicate outside ``keys``, or has a type other than ``kind``."""
    for predicate, value in shapes.predicate_objects(node):
        if predicate not in keys:
            raise Unsupported(f"{shape}: {name(shapes, predicate)} is not supported")
        if predicate == RDF.type and value != kind:
            raise Unsupported(f"{shape}: rdf:type {name(shapes, value)} is not supported (implicit class targets)")


def name(shapes: Graph, node) -> str:
    return shapes.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)
