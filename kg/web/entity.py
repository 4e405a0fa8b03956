"""Entity cards: everything the graph says about one resource, each row with its own place in the report.

A relation pointing at the entity is worded from the entity's side by the label of the ontology's inverse
property (on 菜鸟's card: "隶属于 阿里巴巴", not "旗下机构 阿里巴巴"); where the ontology has no inverse, as
"阿里巴巴 的 <property>" / "<property> of Alibaba". A row's places are those of its own ``rdf:Statement``
where the report states the relation somewhere else than its subject, else its subject's places.

The graph is read through ``kg.query.lookup`` in pyoxigraph terms: an Oxigraph store (``cbec-kg show`` opens the
build's on-disk store, and loads no rdflib) or an rdflib graph (the pages'; converted term by term).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from kg.present.labels import other, pick
from kg.present.labels import term_label as label
from kg.present.labels import term_text as text_in
from kg.query.lookup import CBO, CBR, OWL, RDF, RDFS, SKOS, Lookup, lookup, term, text
from kg.web.context import Snippet, SourceTexts, place_title, snippet

QUALIFIERS = {"approx": ("约", "approx."), "over": ("超过", "over"), "under": ("不到", "under"),
              "nearly": ("近", "nearly"), "forecast": ("预测", "forecast")}
HIDDEN_UNITS = ("名次",)           # a rank's unit: the number alone says it


@dataclass(frozen=True)
class PlaceRef:
    """A section, table, figure or footnote, by id and by the title a reader cites it with."""

    id: str
    title: str


@dataclass
class Fact:
    """One relation row: ``prop`` ``value``; with ``of`` set, worded "value 的 prop" / "prop of value"."""

    prop: str
    value: str
    target: str | None
    places: list[PlaceRef]
    kind: str = ""               # the target's class, beside its name (two "DEKO": brand and company)
    of: bool = False
    verb: bool = False           # English: the label is a verb phrase, so the row reads "value prop <this>"


@dataclass
class Figure:
    """A statistic about the entity: its value as printed, unit, period, source, and its sentence."""

    id: str
    label: str
    value: str
    unit: str
    period: str
    source: str
    source_id: str
    places: list[PlaceRef]
    sentence: Snippet | None = None


@dataclass
class Card:
    iri: str
    id: str
    labels: dict[str, str]
    types: list[str]
    aliases: list[str] = field(default_factory=list)
    definition: str = ""
    places: list[PlaceRef] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    inbound: list[Fact] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sentence: Snippet | None = None      # for a statistic: the sentence of the report that prints it

    def name(self, lang: str) -> str:
        return pick(self.labels, lang, self.id)


# -- finding resources ----------------------------------------------------------------------------

def resource_id(node) -> str | None:
    """The id of a resource (its IRI after ``cbr:``), or None for anything else (an rdflib or pyoxigraph term)."""
    node = term(node)
    return node.value[len(CBR.iri):] if isinstance(node, NamedNode) and node.value.startswith(CBR.iri) else None


def _local(node) -> bool:
    """Whether ``node`` is a term of the ontology (``cbo:``)."""
    return isinstance(node, NamedNode) and node.value.startswith(CBO.iri)


def find(graph, wanted: str) -> list[NamedNode]:
    """Resources whose label, alias or id is ``wanted`` (case-insensitive), in IRI order."""
    graph, key = lookup(graph), wanted.strip()
    folded, names = key.casefold(), (RDFS.label, SKOS.altLabel)
    found = {s for o in graph.texts(names) if o.value.casefold() == folded
             for p in names for s in graph.subjects(p, o) if resource_id(s) is not None}
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", key) and graph.match(CBR[key], None, None):
        found.add(CBR[key])
    return sorted(found, key=text)


def suggest(graph, wanted: str, n: int = 5) -> list[str]:
    """Up to ``n`` labels close to ``wanted``: by spelling first, then those containing it."""
    graph = lookup(graph)
    names = sorted({o.value for p in (RDFS.label, SKOS.altLabel) for s, o in graph.subject_objects(p)
                    if resource_id(s) is not None})
    import difflib  # only when nothing was found: not on the way to a card

    close = difflib.get_close_matches(wanted, names, n=n, cutoff=0.5)
    if len(close) < n and wanted.strip():
        close += [name for name in names if wanted.casefold() in name.casefold() and name not in close][: n - len(close)]
    return close


def kind(graph, node, lang: str) -> str:
    """The class (or classes) a resource is typed with, by label: '品牌', 'company'."""
    graph = lookup(graph)
    return ", ".join(sorted(label(graph, t, lang) for t in graph.objects(term(node), RDF.type) if _local(t)))


# -- places ----------------------------------------------------------------------------------------

def place_refs(graph: Lookup, places, lang: str) -> list[PlaceRef]:
    """Places in the report's order (by their first line), each with its title."""
    def order(p):
        start = graph.value(p, CBO.lineStart)
        return (int(start.value) if start is not None else 10**9, p.value)
    return [PlaceRef(resource_id(p) or p.value, place_title(graph, p, lang)) for p in sorted(set(places), key=order)]


def statement_places(graph: Lookup, subject, prop, obj) -> list:
    """Places of the ``rdf:Statement`` s recording this triple (none when it has none)."""
    found: list = []
    for st in graph.subjects(RDF.subject, subject):
        if graph.has(st, RDF.predicate, prop) and graph.has(st, RDF.object, obj):
            found.extend(graph.objects(st, CBO.statedIn))
    return found


def row_places(graph: Lookup, subject, prop, obj, lang: str) -> list[PlaceRef]:
    """The row's own places: its statement's, else its subject's (where the report states the subject)."""
    places = statement_places(graph, subject, prop, obj) or list(graph.objects(subject, CBO.statedIn))
    return place_refs(graph, places, lang)


# -- wording relations from the other side ------------------------------------------------------

def inverses(graph: Lookup) -> dict:
    """Property -> its inverse, both ways, from ``owl:inverseOf``; a symmetric property is its own."""
    found: dict = {}
    for p, q in graph.subject_objects(OWL.inverseOf):
        found.setdefault(p, q)
        found.setdefault(q, p)
    for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
        found[p] = p
    return found


def inbound_fact(graph: Lookup, subject, prop, node, lang: str, inverse) -> Fact:
    """``subject prop node`` worded from ``node``'s side."""
    places = row_places(graph, subject, prop, node, lang)
    name, target, cls = label(graph, subject, lang), resource_id(subject), kind(graph, subject, lang)
    if inverse is not None:
        return Fact(label(graph, inverse, lang), name, target, places, cls)
    prop_label = label(graph, prop, lang)
    return Fact(prop_label, name, target, places, cls, of=True, verb=lang == "en" and is_verb_phrase(prop_label))


# -- the card --------------------------------------------------------------------------------------

#: not shown as rows: names and places have their own lines, character offsets are the sentence's business
SKIP = {RDF.type, RDFS.label, SKOS.altLabel, SKOS.definition, CBO.statedIn,
        CBO.charStart, CBO.charEnd, CBO.upperCharStart, CBO.upperCharEnd}
NORMALISED = (CBO.normalizedValue, CBO.upperNormalizedValue)


def normalised_text(graph: Lookup, stat, value, lang: str) -> str:
    """A normalised value as a reader reads it: grouped digits and the base unit ('100,000,000,000 US$')."""
    from decimal import Decimal  # only for normalised values: ``show`` starts faster without it

    from kg.model.numbers import decimal_text  # lazy: it imports decimal too

    whole, _, frac = decimal_text(Decimal(value.value)).partition(".")
    base = graph.value(graph.value(stat, CBO.unit), CBO.baseUnit) or graph.value(stat, CBO.unit)
    unit = unit_text(graph, base, lang) if base is not None else ""
    return f"{int(whole):,}" + (f".{frac}" if frac else "") + (f" {unit}" if unit else "")


def _other_language(graph: Lookup, node, p, o, lang: str) -> bool:
    """A text in the other language where the property also has one in the reader's."""
    if not isinstance(o, Literal) or not o.language or o.language == lang:
        return False
    return any(isinstance(v, Literal) and v.language == lang for v in graph.objects(node, p))


def outbound(graph: Lookup, node, lang: str) -> list[Fact]:
    rows = []
    for _, p, o in sorted(graph.match(node, None, None), key=lambda t: (t[1].value, t[2].value)):
        if p in SKIP or not _local(p) or _other_language(graph, node, p, o, lang):
            continue
        target = resource_id(o)
        text = normalised_text(graph, node, o, lang) if p in NORMALISED else label(graph, o, lang)
        rows.append(Fact(label(graph, p, lang), text, target,
                         row_places(graph, node, p, o, lang), kind(graph, o, lang) if target else ""))
    return rows


def inbound(graph: Lookup, node, lang: str, seen: set) -> list[Fact]:
    inverse = inverses(graph)
    rows = []
    for s, p, _ in sorted(graph.match(None, None, node), key=lambda t: (t[1].value, t[0].value)):
        if not _local(p) or p in (CBO.about, CBO.statedIn) or resource_id(s) is None:
            continue
        if graph.has(s, RDF.type, RDF.Statement) or (inverse.get(p), s) in seen:
            continue                      # already a row of the card's own (asserted both ways)
        rows.append(inbound_fact(graph, s, p, node, lang, inverse.get(p)))
    return rows


def unit_text(graph: Lookup, unit, lang: str) -> str:
    """A unit as a reader writes it after a number: its symbol, or in English its label."""
    if unit is None:
        return ""
    symbol = _str(graph.value(unit, CBO.symbol))
    if symbol in HIDDEN_UNITS:
        return ""
    if lang == "en" and not symbol.isascii():
        return text_in(graph, unit, RDFS.label, "en")
    return symbol or label(graph, unit, lang)


def _str(value) -> str:
    """A term's text, '' for none."""
    return value.value if value is not None else ""


def value_text(graph: Lookup, stat, lang: str) -> str:
    """The printed value, with its upper bound and qualifier: '约 2000', '40-50'."""
    value = _str(graph.value(stat, CBO.printedValue) or graph.value(stat, CBO.value))
    upper = graph.value(stat, CBO.upperValue)
    if upper is not None:
        value = f"{value}–{upper.value}"
    qualifier = QUALIFIERS.get(_str(graph.value(stat, CBO.qualifier)))
    if qualifier:
        value = f"{qualifier[0 if lang == 'zh' else 1]} {value}"
    return value


def figure(graph, stat, lang: str, source_text: SourceTexts) -> Figure:
    graph, stat = lookup(graph), term(stat)
    source = graph.value(stat, CBO.citesSource)
    return Figure(resource_id(stat) or stat.value, label(graph, stat, lang), value_text(graph, stat, lang),
                  unit_text(graph, graph.value(stat, CBO.unit), lang), _str(graph.value(stat, CBO.period)),
                  label(graph, source, lang) if source is not None else "", resource_id(source) or "",
                  place_refs(graph, graph.objects(stat, CBO.statedIn), lang),
                  snippet(graph, stat, source_text, lang))


#: what ``figure`` reads of each statistic
FIGURE_PROPS = (RDFS.label, CBO.printedValue, CBO.value, CBO.upperValue, CBO.qualifier, CBO.unit, CBO.period,
                CBO.citesSource, CBO.statedIn)


def card(graph, node, lang: str = "zh", source_text: SourceTexts = None) -> Card:
    """Everything the graph states about ``node``; with the report's ``source_text``, each figure's sentence."""
    graph, node = lookup(graph), term(node)
    result = Card(
        iri=node.value, id=resource_id(node) or node.value,
        labels={v.language: v.value for v in graph.objects(node, RDFS.label) if isinstance(v, Literal) and v.language},
        types=sorted(label(graph, t, lang) for t in graph.objects(node, RDF.type) if _local(t)),
        aliases=sorted({a.value for a in graph.objects(node, SKOS.altLabel)} - {text_in(graph, node, RDFS.label, lang)}),
        definition=text_in(graph, node, SKOS.definition, lang),
        places=place_refs(graph, graph.objects(node, CBO.statedIn), lang),
    )
    result.facts = outbound(graph, node, lang)
    seen = {(t[1], t[2]) for t in graph.match(node, None, None)}
    result.inbound = inbound(graph, node, lang, seen)
    stats = sorted(graph.subjects(CBO.about, node), key=text)
    graph.prefetch(stats, FIGURE_PROPS)        # one query instead of eight lookups a figure (3% of show 速卖通)
    result.figures = [figure(graph, s, lang, source_text) for s in stats]
    if graph.has(node, RDF.type, CBO.Statistic):
        result.sentence = snippet(graph, node, source_text, lang)
    return result


VERB_WORDS = ("has", "is", "cites", "sells", "serves", "involves", "addresses", "applies", "related")
PREPOSITIONS = ("by", "in", "to", "from", "of", "on")


def is_verb_phrase(english: str) -> bool:
    """'involves', 'founded by', 'sells on' read as verbs ("X involves Y"); 'first-tier market' as a noun.

    >>> [is_verb_phrase(x) for x in ("involves", "founded by", "first-tier market", "example")]
    [True, True, False, False]
    """
    words = english.split()
    return bool(words) and (words[0] in VERB_WORDS or words[-1] in PREPOSITIONS)


# -- as text, for ``cbec-kg show`` --------------------------------------------------------------

def fact_text(f: Fact, lang: str, this: str = "this") -> str:
    """A row as one phrase: '隶属于: 阿里巴巴', '阿里巴巴 的 成员', 'member of Alibaba'."""
    if not f.of:
        return f"{f.prop}: {f.value}"
    if lang == "zh":
        return f"{f.value} 的 {f.prop}"
    return f"{f.value} {f.prop} {this}" if f.verb else f"{f.prop} of {f.value}"


def render_text(c: Card, lang: str = "zh") -> str:
    name, second = c.name(lang), c.labels.get(other(lang), "")
    out = [f"{name}" + (f" / {second}" if second and second != name else ""), f"  {c.iri}",
           f"  types: {', '.join(c.types)}"]
    if c.aliases:
        out.append(f"  aliases: {', '.join(c.aliases)}")
    if c.definition:
        out.append(f"  definition: {c.definition}")
    if c.places:
        out.append(f"  stated in: {'; '.join(p.title for p in c.places)}")
    for title, facts in (("facts", c.facts), ("linked from", c.inbound)):
        if facts:
            out.append(f"{title}:")
            out.extend(f"  {fact_text(f, lang, name)}" + (f"  [{'; '.join(p.title for p in f.places)}]" if f.places else "")
                       for f in facts)
    if c.figures:
        out.append("figures:")
        for f in c.figures:
            where = [p.title for p in f.places] + ([("数据来源：" if lang == "zh" else "data: ") + f.source] if f.source else [])
            out.append(f"  {f.label}: {f.value}{f.unit} ({f.period})  [{'; '.join(where)}]")
    return "\n".join(out)
