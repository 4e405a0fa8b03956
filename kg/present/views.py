"""Graph views: pyvis networks drawn from the graph, written as self-contained HTML.

A view is first an object (a ``pyvis.network.Network`` whose nodes and edges
come from SPARQL over the built graph), and only then a file. The HTML inlines
vis-network's JavaScript and CSS from the installed pyvis package: it opens
offline and loads nothing from elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pyvis
from pyvis.network import Network
from rdflib import RDF, RDFS, Graph, URIRef

from kg.model.ontology import CBO, CBR, SKOS, local

TEMPLATES = Path(__file__).parent / "templates"
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"

#: colour and shape per class; the legend is drawn from this table
STYLE: dict[str, tuple[str, str]] = {
    "Country": ("#4e79a7", "dot"),
    "Region": ("#a0cbe8", "dot"),
    "City": ("#86bcb6", "dot"),
    "Province": ("#59a14f", "dot"),
    "Company": ("#f28e2b", "square"),
    "Platform": ("#e15759", "diamond"),
    "Brand": ("#ff9d9a", "star"),
    "BusinessModel": ("#76b7b2", "triangle"),
    "OperatingType": ("#b6992d", "triangleDown"),
    "Service": ("#d37295", "hexagon"),
    "Policy": ("#8cd17d", "box"),
    "Agreement": ("#499894", "box"),
    "Event": ("#b07aa1", "ellipse"),
    "ProductCategory": ("#9d7660", "dot"),
    "Organization": ("#fabfd2", "square"),
    "Source": ("#bab0ac", "text"),
    "Person": ("#d7b5a6", "dot"),
    "Challenge": ("#ff9d9a", "triangleDown"),
    "Recommendation": ("#8cd17d", "triangle"),
    "Concept": ("#d4a6c8", "dot"),
}
DEFAULT_STYLE = ("#cccccc", "dot")
#: how the legend draws each vis-network shape
SYMBOL = {"dot": "●", "square": "■", "diamond": "◆", "triangle": "▲", "triangleDown": "▼", "star": "★",
          "hexagon": "⬢", "box": "▬", "ellipse": "◯", "text": "T"}


@dataclass
class View:
    """A named network view with its title and the classes it shows."""

    name: str
    title: dict[str, str]
    network: Network
    legend: list[tuple[str, str, str]]


def label(graph: Graph, node, lang: str) -> str:
    best = None
    for value in graph.objects(node, RDFS.label):
        if getattr(value, "language", None) == lang:
            return str(value)
        best = best or str(value)
    return best or (local(node) or str(node).rsplit("/", 1)[-1])


def style_class(graph: Graph, vocab_parents: dict[str, list[str]], node) -> str:
    """The most specific class of a node that has a style (or its own class)."""
    classes = sorted(filter(None, (local(c) for c in graph.objects(node, RDF.type))))
    for cls in classes:
        for candidate in [cls] + vocab_parents.get(cls, []):
            if candidate in STYLE:
                return candidate
    return classes[0] if classes else "Thing"


def class_parents(graph: Graph) -> dict[str, list[str]]:
    """For each cbo: class, its cbo: ancestors from nearest to farthest."""
    direct: dict[str, list[str]] = {}
    for c, p in graph.subject_objects(RDFS.subClassOf):
        if local(c) and local(p):
            direct.setdefault(local(c), []).append(local(p))
    result = {}
    for cls in direct:
        seen, todo = [], list(direct[cls])
        while todo:
            nxt = todo.pop(0)
            if nxt not in seen:
                seen.append(nxt)
                todo.extend(direct.get(nxt, []))
        result[cls] = seen
    return result


def tooltip(graph: Graph, node, lang: str) -> str:
    """Plain text: the entity's class, its figures with their place in the report."""
    lines = [label(graph, node, lang)]
    classes = sorted(label(graph, c, lang) for c in graph.objects(node, RDF.type) if local(c))
    lines.append(" / ".join(classes))
    figures = []
    for stat in graph.subjects(CBO.about, node):
        measure = label(graph, graph.value(stat, CBO.measure), lang)
        unit = graph.value(graph.value(stat, CBO.unit), CBO.symbol)
        places = ", ".join(sorted(label(graph, p, lang) for p in graph.objects(stat, CBO.statedIn)))
        unit_text = "" if unit is None or str(unit) in ("", "名次") else str(unit)
        figures.append(f"{measure} {graph.value(stat, CBO.period)}: {graph.value(stat, CBO.printedValue)}{unit_text} ({places})")
    lines += sorted(figures)
    places = sorted(label(graph, p, lang) for p in graph.objects(node, CBO.statedIn))
    if places:
        lines.append(("出处：" if lang == "zh" else "Stated in: ") + "; ".join(places))
    return "\n".join(lines)


def network_of(graph: Graph, nodes: list[URIRef], lang: str = "zh") -> tuple[Network, list[tuple[str, str, str]]]:
    """A network of the given nodes and every cbo: object property between them."""
    parents = class_parents(graph)
    net = Network(height="780px", width="100%", directed=True, cdn_resources="in_line")
    keep = set(nodes)
    used: dict[str, tuple[str, str]] = {}
    for node in nodes:
        cls = style_class(graph, parents, node)
        color, shape = STYLE.get(cls, DEFAULT_STYLE)
        used[cls] = (color, shape)
        net.add_node(str(node), label=label(graph, node, lang), title=tooltip(graph, node, lang),
                     color=color, shape=shape)
    edges = sorted((str(s), str(p), str(o)) for s in keep for p, o in graph.predicate_objects(s)
                   if o in keep and local(p) and p != RDF.type)
    for s, p, o in edges:
        net.add_edge(s, o, label=label(graph, URIRef(p), lang), title=label(graph, URIRef(p), lang), arrows="to")
    net.set_options(json.dumps(OPTIONS))
    legend = [(label(graph, CBO[cls], lang), used[cls][0], SYMBOL.get(used[cls][1], "●")) for cls in sorted(used)]
    return net, legend


OPTIONS = {
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.4},
        "stabilization": {"enabled": True, "iterations": 400, "fit": True},
    },
    "edges": {"font": {"size": 10, "align": "middle"}, "color": {"inherit": False, "color": "#999999"},
              "smooth": {"type": "continuous"}},
    "nodes": {"font": {"size": 14}},
    "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 150},
}


def nodes_of_classes(graph: Graph, classes: list[str]) -> list[URIRef]:
    """Resources typed with any of the given classes or their sub-classes, in IRI order."""
    parents = class_parents(graph)
    wanted = set(classes)
    found = set()
    for s, c in graph.subject_objects(RDF.type):
        name = local(c)
        if name and str(s).startswith(str(CBR)) and ({name} | set(parents.get(name, []))) & wanted:
            found.add(s)
    return sorted(found, key=str)


def objects_of(graph: Graph, subjects, *props: str) -> set:
    return {o for s in subjects for p in props for o in graph.objects(s, CBO[p]) if str(o).startswith(str(CBR))}


def subjects_of(graph: Graph, objects, *props: str) -> set:
    return {s for o in objects for p in props for s in graph.subjects(CBO[p], o) if str(s).startswith(str(CBR))}


HIDDEN = ("Statistic", "Mention", "ReportPart", "Report", "Source", "Measure", "Unit")


def visible(graph: Graph, nodes) -> list[URIRef]:
    """Drop statistics, report parts, sources, measures and units: they show in tooltips instead."""
    hidden = set(nodes_of_classes(graph, list(HIDDEN)))
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


def slice_view(graph: Graph, lang: str = "zh") -> View:
    """Business models, operating types, Alibaba's platforms and the countries of 表1."""
    nodes = nodes_of_classes(graph, ["BusinessModel", "OperatingType", "Platform", "Company"])
    table1 = sorted({o for s in graph.subjects(CBO.statedIn, CBR.table1) for o in graph.objects(s, CBO.about)}, key=str)
    net, legend = network_of(graph, nodes + [n for n in table1 if n not in nodes], lang)
    return View("overview", {"zh": "商业模式、阿里巴巴平台与表1国家", "en": "Business models, Alibaba's platforms and the countries of Table 1"},
                net, legend)


THEMES = [
    ("alibaba", theme_alibaba, {"zh": "阿里巴巴生态：平台、子公司、服务与市场", "en": "The Alibaba ecosystem: platforms, arms, services, markets"}),
    ("policy", theme_policy, {"zh": "政策：试点、综合试验区、海关规则与倡议", "en": "Policy: pilots, pilot zones, customs rules, initiatives"}),
    ("markets", theme_markets, {"zh": "市场：国家与地区", "en": "Markets: countries and regions"}),
    ("business-models", theme_business_models, {"zh": "商业模式与经营类型", "en": "Business models and operating types"}),
    ("agreements-events", theme_agreements_events, {"zh": "协定与事件", "en": "Agreements and events"}),
    ("categories", theme_categories, {"zh": "商品品类", "en": "Product categories"}),
    ("brands", theme_brands, {"zh": "出海的中国品牌", "en": "Chinese brands going abroad"}),
]


def theme_view(graph: Graph, name: str, lang: str = "zh") -> View:
    for key, select, title in THEMES:
        if key == name:
            net, legend = network_of(graph, select(graph), lang)
            return View(key, title, net, legend)
    raise LookupError(f"no view '{name}'")


def entity_view(graph: Graph, node: URIRef, depth: int = 1, lang: str = "zh") -> View:
    """The neighbourhood of one entity, ``depth`` steps along cbo: relations in either direction."""
    import networkx as nx

    g = nx.Graph()
    hidden = set(nodes_of_classes(graph, list(HIDDEN)))
    for s, p, o in graph:
        if local(p) and p != RDF.type and str(s).startswith(str(CBR)) and str(o).startswith(str(CBR)) \
                and s not in hidden and o not in hidden:
            g.add_edge(s, o)
    g.add_node(node)
    nodes = sorted(nx.ego_graph(g, node, radius=depth).nodes, key=str)
    net, legend = network_of(graph, nodes, lang)
    name = str(node)[len(str(CBR)):]
    title = {"zh": f"{label(graph, node, 'zh')} 的关联（{depth} 步）", "en": f"Around {label(graph, node, 'en')} ({depth} step{'s' if depth > 1 else ''})"}
    return View(f"entity-{name}", title, net, legend)


def views(graph: Graph, lang: str = "zh") -> list[View]:
    return [slice_view(graph, lang)] + [theme_view(graph, key, lang) for key, _, _ in THEMES]


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              keep_trailing_newline=True)


def render(view: View, lang: str = "zh") -> str:
    """The view as one self-contained HTML page."""
    nodes, edges, _, height, width, options = view.network.get_network_data()
    return _env().get_template("view.html").render(
        title=view.title[lang], lang=lang, nodes=nodes, edges=edges, options=json.loads(options),
        height=height, legend=view.legend,
        vis_js=jinja2.utils.markupsafe.Markup(safe_script((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"))),
        vis_css=jinja2.utils.markupsafe.Markup((VIS_DIR / "vis-network.css").read_text(encoding="utf-8")))


def safe_script(js: str) -> str:
    """JavaScript that cannot end its <script> element early."""
    return js.replace("</script", "<\\/script")


def memory_copy(graph: Graph) -> Graph:
    """The graph in rdflib's memory store, whose many small lookups (the views make thousands) are 5x faster
    than through the Oxigraph store (the views are drawn only for graphs up to ``NETWORK_LIMIT`` triples)."""
    from kg.rdfio.serialize import oxigraph_store

    store = oxigraph_store(graph)
    if store is None:
        return graph
    from kg.model.mapping import memory_graph

    statements = str(CBR) + "statement-"
    return memory_graph(store, lambda q: q.predicate.value not in UNSEEN and not q.subject.value.startswith(statements))


#: properties no view, tooltip or legend reads: left out of the views' copy of the graph (with the reified statements)
UNSEEN = {str(p) for p in (SKOS.definition, SKOS.altLabel, SKOS.editorialNote, RDFS.comment, CBO.value, CBO.normalizedValue,
                           CBO.upperValue, CBO.charStart, CBO.charEnd, CBO.lineStart, CBO.lineEnd, CBO.year)}


def write_view(view: View, out: Path, lang: str = "zh") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{view.name}.html"
    path.write_text(render(view, lang), encoding="utf-8")
    return path


#: Above this many triples the build draws no network views: their thousands of nodes would neither settle nor be
#: read, and drawing them took longer than the rest of the build. ``cbec-kg view LABEL`` still draws any neighbourhood.
NETWORK_LIMIT = 200_000


def write_views(graph: Graph, out: Path, lang: str = "zh", queries: Path | None = None) -> list[Path]:
    """Every themed view and chart, and the gallery ``index.html`` that links them (the charts' queries answered
    by Oxigraph: the store behind ``graph``, or a copy in one)."""
    from kg.present.charts import charts, write_chart
    from kg.rdfio.serialize import triple_count

    size = triple_count(graph)
    made = views(memory_copy(graph), lang) if size <= NETWORK_LIMIT else []
    files = [write_view(view, out, lang) for view in made]
    from kg.model.mapping import as_graph
    from kg.rdfio.serialize import store_of

    sparql = as_graph(store_of(graph))
    drawn = charts(sparql, queries, lang) if queries else []
    files += [write_chart(chart, out, lang) for chart in drawn]
    index = out / "index.html"
    skipped = None if size <= NETWORK_LIMIT else (size, NETWORK_LIMIT)
    index.write_text(_env().get_template("index.html").render(views=made, charts=drawn, lang=lang, skipped=skipped), encoding="utf-8")
    return files + [index]
