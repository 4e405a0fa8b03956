"""Graph views: pyvis networks drawn from the graph, written as self-contained HTML pages.

A view is first an object (a ``pyvis.network.Network`` whose nodes and edges come from the built graph, see
:mod:`kg.present.network`), and only then a file. The page inlines vis-network's JavaScript and CSS from the
installed pyvis package: it opens offline and loads nothing from elsewhere. A click on a node opens its
entity page when the page is served (``cbec-kg serve``); opened as a file, the page stays where it is.

The build writes every view, chart and the gallery in its language into ``views/`` and in the other language
into ``views/<other>/`` (``views/en/`` after a Chinese build); each page links to its twin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyvis
from markupsafe import Markup
from pyvis.network import Network
from rdflib import RDF, RDFS, Graph, URIRef

from kg.model.ontology import CBO, CBR, SKOS, ancestors, local
from kg.names import NOT_SUBJECTS
from kg.present.charts import charts, write_chart
from kg.present.labels import label, other
from kg.present.network import FONT, MIN_PX, Loose, direct_parents, network_of
from kg.present.render import render as render_page
from kg.rdfio.serialize import oxigraph_store, store_of, triple_count
from kg.rdfio.store import as_graph, memory_graph

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


@dataclass
class View:
    """A named network view: its title in both languages, the network, its legend, the nodes it lists apart
    (no relation to the others) and the language it is drawn in."""

    name: str
    title: dict[str, str]
    network: Network
    legend: list[tuple[str, str, str]]
    loose: list[Loose] = field(default_factory=list)
    lang: str = "zh"


def nodes_of_classes(graph: Graph, classes: list[str]) -> list[URIRef]:
    """Resources typed with any of the given classes or their sub-classes, in IRI order."""
    parents = direct_parents(graph)
    wanted = set(classes)
    chosen: dict = {}                 # class -> whether it or an ancestor is wanted, worked out once per class
    found: set[URIRef] = set()
    for s, c in graph.subject_objects(RDF.type):
        if c not in chosen:
            name = local(c)
            chosen[c] = bool(ancestors(parents, name) & wanted) if name else False
        if chosen[c] and isinstance(s, URIRef) and str(s).startswith(str(CBR)):
            found.add(s)
    return sorted(found, key=str)


def objects_of(graph: Graph, subjects, *props: str) -> set:
    return {o for s in subjects for p in props for o in graph.objects(s, CBO[p]) if str(o).startswith(str(CBR))}


def subjects_of(graph: Graph, objects, *props: str) -> set:
    return {s for o in objects for p in props for s in graph.subjects(CBO[p], o) if str(s).startswith(str(CBR))}


def visible(graph: Graph, nodes) -> list[URIRef]:
    """Drop statistics, report parts, sources, measures and units: they show in tooltips instead."""
    hidden = set(nodes_of_classes(graph, list(NOT_SUBJECTS)))
    return sorted((n for n in set(nodes) if n not in hidden), key=str)


def theme_alibaba(graph: Graph) -> list[URIRef]:
    """Alibaba, the platforms it runs, its subsidiaries, their services and the platforms' markets."""
    alibaba = {CBR.alibaba}
    platforms = objects_of(graph, alibaba, "operates") | subjects_of(graph, alibaba, "operatedBy")
    arms = objects_of(graph, alibaba, "hasSubsidiary") | subjects_of(graph, alibaba, "subsidiaryOf")
    orgs = alibaba | platforms | arms
    services = objects_of(graph, orgs, "provides") | subjects_of(graph, orgs, "providedBy")
    markets = objects_of(graph, platforms, "servesMarket", "firstTierMarket", "secondTierMarket")
    return visible(graph, orgs | services | markets)


def theme_policy(graph: Graph) -> list[URIRef]:
    """Policies (pilots, zones, customs rules, laws, initiatives), where they apply and who issued them."""
    policies = set(nodes_of_classes(graph, ["Policy"]))
    return visible(graph, policies | objects_of(graph, policies, "appliesTo", "implementedIn", "issuedBy", "partOfPolicy"))


def theme_markets(graph: Graph) -> list[URIRef]:
    """Countries, regions and cities, with the tables' figures in their tooltips."""
    return visible(graph, nodes_of_classes(graph, ["Place"]))


def theme_business_models(graph: Graph) -> list[URIRef]:
    """The business models and operating types, with the examples and users the report names."""
    concepts = set(nodes_of_classes(graph, ["BusinessModel", "OperatingType"]))
    users = subjects_of(graph, concepts, "hasBusinessModel", "hasOperatingType")
    return visible(graph, concepts | users | objects_of(graph, concepts, "example"))


def theme_agreements_events(graph: Graph) -> list[URIRef]:
    """Agreements and events, with their parties, what they involve, affect and address."""
    core = set(nodes_of_classes(graph, ["Agreement", "Event"]))
    return visible(graph, core | objects_of(graph, core, "hasParty", "involves", "affects", "addresses"))


def theme_categories(graph: Graph) -> list[URIRef]:
    """Product categories and how they nest; their AliExpress ranks are in the tooltips."""
    return visible(graph, nodes_of_classes(graph, ["ProductCategory"]))


def theme_brands(graph: Graph) -> list[URIRef]:
    """Chinese brands going abroad, their owners and the platforms they sell on."""
    brands = set(nodes_of_classes(graph, ["Brand"]))
    return visible(graph, brands | objects_of(graph, brands, "brandOf", "sellsOn") | subjects_of(graph, brands, "hasBrand"))


def slice_view(graph: Graph, lang: str = "zh", tips: dict | None = None) -> View:
    """Business models, operating types, Alibaba's platforms and the countries of 表1."""
    nodes = nodes_of_classes(graph, ["BusinessModel", "OperatingType", "Platform", "Company"])
    table1 = sorted({o for s in graph.subjects(CBO.statedIn, CBR.table1) for o in graph.objects(s, CBO.about)
                     if isinstance(o, URIRef)}, key=str)
    net, legend, loose = network_of(graph, nodes + [n for n in table1 if n not in nodes], lang, tips=tips)
    return View("overview", {"zh": "商业模式、阿里巴巴平台与表1国家", "en": "Business models, Alibaba's platforms and the countries of Table 1"},
                net, legend, loose, lang)


THEMES = [
    ("alibaba", theme_alibaba, {"zh": "阿里巴巴生态：平台、子公司、服务与市场", "en": "The Alibaba ecosystem: platforms, arms, services, markets"}),
    ("policy", theme_policy, {"zh": "政策：试点、综合试验区、海关规则与倡议", "en": "Policy: pilots, pilot zones, customs rules, initiatives"}),
    ("markets", theme_markets, {"zh": "市场：国家与地区", "en": "Markets: countries and regions"}),
    ("business-models", theme_business_models, {"zh": "商业模式与经营类型", "en": "Business models and operating types"}),
    ("agreements-events", theme_agreements_events, {"zh": "协定与事件", "en": "Agreements and events"}),
    ("categories", theme_categories, {"zh": "商品品类", "en": "Product categories"}),
    ("brands", theme_brands, {"zh": "出海的中国品牌", "en": "Chinese brands going abroad"}),
]


def theme_view(graph: Graph, name: str, lang: str = "zh", tips: dict | None = None) -> View:
    for key, select, title in THEMES:
        if key == name:
            net, legend, loose = network_of(graph, select(graph), lang, tips=tips)
            return View(key, title, net, legend, loose, lang)
    raise LookupError(f"no view '{name}'")


def entity_view(graph: Graph, node: URIRef, depth: int = 1, lang: str = "zh") -> View:
    """The neighbourhood of one entity, ``depth`` steps along cbo: relations in either direction."""
    import networkx as nx  # lazy: 0.26 s to import, and only `cbec-kg view`'s neighbourhoods need it

    g = nx.Graph()
    hidden = set(nodes_of_classes(graph, list(NOT_SUBJECTS)))
    for s, p, o in graph:
        if local(p) and p != RDF.type and str(s).startswith(str(CBR)) and str(o).startswith(str(CBR)) \
                and s not in hidden and o not in hidden:
            g.add_edge(s, o)
    g.add_node(node)
    nodes = sorted(nx.ego_graph(g, node, radius=depth).nodes, key=str)
    net, legend, loose = network_of(graph, nodes, lang, centre=node)
    name = str(node)[len(str(CBR)):]
    title = {"zh": f"{label(graph, node, 'zh')} 的关联（{depth} 步）", "en": f"Around {label(graph, node, 'en')} ({depth} step{'s' if depth > 1 else ''})"}
    return View(f"entity-{name}", title, net, legend, loose, lang)


def views(graph: Graph, lang: str = "zh") -> list[View]:
    """The overview and every themed view (``tips``: each node's tooltip written once for all of them)."""
    tips: dict = {}
    return [slice_view(graph, lang, tips)] + [theme_view(graph, key, lang, tips) for key, _, _ in THEMES]


def render(view: View, lang: str | None = None, twin: str | None = None) -> str:
    """The view as one self-contained HTML page (``twin``: the address of the same page in the other language)."""
    lang = lang or view.lang
    nodes, edges, _, _, _, options = view.network.get_network_data()
    return render_page(
        "view.html", title=view.title[lang], lang=lang, nodes=nodes, edges=edges, options=json.loads(options),
        legend=view.legend, loose=view.loose, twin=twin, font=FONT, min_px=MIN_PX,
        vis_js=Markup(safe_script((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"))),
        vis_css=Markup((VIS_DIR / "vis-network.css").read_text(encoding="utf-8")))


def safe_script(js: str) -> str:
    """JavaScript that cannot end its <script> element early."""
    return js.replace("</script", "<\\/script")


def memory_copy(graph: Graph) -> Graph:
    """The graph in rdflib's memory store, whose many small lookups (the views make thousands) are 5x faster
    than through the Oxigraph store (the views are drawn only for graphs up to ``NETWORK_LIMIT`` triples)."""
    store = oxigraph_store(graph)
    if store is None:
        return graph
    statements = str(CBR) + "statement-"

    def seen(q) -> bool:
        """A triple some view reads: not a reified statement's, nor of a property no view shows."""
        return q.predicate.value not in UNSEEN and not getattr(q.subject, "value", "").startswith(statements)

    return memory_graph(store, seen)


#: properties no view, tooltip or legend reads: left out of the views' copy of the graph (with the reified statements)
UNSEEN = {str(p) for p in (SKOS.definition, SKOS.altLabel, SKOS.editorialNote, RDFS.comment, CBO.value, CBO.normalizedValue,
                           CBO.upperValue, CBO.charStart, CBO.charEnd, CBO.lineStart, CBO.lineEnd, CBO.year)}


def write_view(view: View, out: Path, lang: str | None = None, twin: str | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{view.name}.html"
    path.write_text(render(view, lang, twin), encoding="utf-8")
    return path


#: Above this many triples the build draws no network views: their thousands of nodes would neither settle nor be
#: read, and drawing them took longer than the rest of the build. ``cbec-kg view LABEL`` still draws any neighbourhood.
NETWORK_LIMIT = 200_000


def twin_of(name: str, lang: str, first: str) -> str:
    """The relative address of page ``name`` in the other language: ``views/<other>/`` holds the language the
    build was not asked for."""
    return f"{other(lang)}/{name}" if lang == first else f"../{name}"


def write_views(graph: Graph, out: Path, lang: str = "zh", queries: Path | None = None) -> list[Path]:
    """Every themed view and chart, and the gallery ``index.html`` that links them, in ``lang`` into ``out`` and
    in the other language into ``out/<other>/`` (the charts' queries answered by Oxigraph: the store behind
    ``graph``, or a copy in one)."""
    size = triple_count(graph)
    drawable = memory_copy(graph) if size <= NETWORK_LIMIT else None
    sparql = as_graph(store_of(graph))
    skipped = None if drawable is not None else (size, NETWORK_LIMIT)
    files: list[Path] = []
    for page_lang in (lang, other(lang)):
        folder = out if page_lang == lang else out / page_lang
        files += write_language(drawable, sparql, folder, page_lang, lang, queries, skipped)
    return files


def write_language(drawable: Graph | None, sparql: Graph, out: Path, lang: str, first: str, queries: Path | None,
                   skipped: tuple[int, int] | None) -> list[Path]:
    """The views, charts and gallery of one language into ``out``."""
    made = views(drawable, lang) if drawable is not None else []
    files = [write_view(view, out, lang, twin_of(f"{view.name}.html", lang, first)) for view in made]
    drawn = charts(sparql, queries, lang) if queries else []
    files += [write_chart(chart, out, lang, twin_of(f"{chart.name}.html", lang, first)) for chart in drawn]
    index = out / "index.html"
    index.write_text(render_page("index.html", views=made, charts=drawn, lang=lang, skipped=skipped,
                                 twin=twin_of("index.html", lang, first)), encoding="utf-8")
    return files + [index]

