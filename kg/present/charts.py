"""Charts of the report's tables, drawn from the saved queries' answers as inline SVG.

Each chart runs a saved query over the graph and plots its rows; nothing is
typed in by hand, so a chart changes when the facts change. Every mark carries
``data-series``, ``data-x`` and ``data-value`` so a test can read back what was
plotted. The pages are plain HTML + SVG: no script, nothing loaded from elsewhere.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup
from rdflib import RDFS, Graph

from kg.model.ontology import CBO, CBR
from kg.query.saved import SavedQuery, rows, run

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


@dataclass
class Spec:
    name: str
    query: str
    kind: str                      # "bars", "bump" or "rank"
    x: str
    series: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    group: str = ""
    table: str = ""


SPECS = [
    Spec("chart-table1", "b2c_exporters_2018", "bars", "country",
         [("sales", {"zh": "跨境 B2C 销售额（亿美元）", "en": "B2C cross-border sales (100 million USD)"})], table="table1"),
    Spec("chart-table2", "table2_top10_ecommerce_2018", "bars", "company",
         [("b2cRevenue", {"zh": "B2C 收入（百万美元）", "en": "B2C revenue (million USD)"}),
          ("transactionVolume", {"zh": "交易额（百万美元）", "en": "transaction volume (million USD)"})], table="table2"),
    Spec("chart-table3", "table3_aliexpress_bestsellers", "bump", "year",
         [("rank", {"zh": "名次", "en": "rank"})], group="category", table="table3"),
    Spec("chart-table4", "table4_internet_penetration_2018", "bars", "region",
         [("penetration", {"zh": "本地互联网渗透率（%）", "en": "internet penetration (%)"}),
          ("userShare", {"zh": "本地互联网用户全球占比（%）", "en": "share of the world's internet users (%)"})], table="table4"),
    Spec("chart-table5", "table5_export_destinations", "bars", "destination",
         [("share2018", {"zh": "2018 年占比（%）", "en": "share 2018 (%)"}),
          ("share2019", {"zh": "2019 年占比（%）", "en": "share 2019 (%)"})], table="table5"),
    Spec("chart-table6", "table6_chinese_brands_abroad_2019", "rank", "brand",
         [("rank", {"zh": "排名", "en": "rank"})], table="table6"),
]


@dataclass
class Chart:
    name: str
    title: str
    source: str
    svg: str
    points: list[tuple[str, str, Decimal]]      # (series, x, value) as plotted
    rows: list[dict[str, str]]
    columns: list[str]


def _label(graph: Graph, node, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if value.language == lang:
            return str(value)
    return str(node)


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _text(x: float, y: float, content: str, **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{html.escape(str(v))}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{html.escape(content)}</text>'


def bars_svg(xs: list[str], series: list[tuple[str, str, list[Decimal]]]) -> tuple[str, list]:
    width, height, left, bottom, top = 960, 440, 70, 90, 40
    plot_w, plot_h = width - left - 20, height - bottom - top
    peak = max((v for _, _, values in series for v in values), default=Decimal(1)) or Decimal(1)
    group_w = plot_w / max(1, len(xs))
    bar_w = group_w * 0.8 / max(1, len(series))
    parts, points = [], []
    for k in range(5):
        value = peak * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(left - 6, y + 4, f"{value.normalize():f}", text_anchor="end", font_size=11))
    for i, x in enumerate(xs):
        for j, (key, name, values) in enumerate(series):
            v = values[i]
            h = float(v / peak) * plot_h
            bx = left + i * group_w + group_w * 0.1 + j * bar_w
            parts.append(f'<rect x="{bx:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[j % len(PALETTE)]}" data-series="{html.escape(key)}" data-x="{html.escape(x)}" '
                         f'data-value="{v}"><title>{html.escape(f"{x} · {name}: {v}")}</title></rect>')
            points.append((key, x, v))
        parts.append(_text(left + (i + 0.5) * group_w, top + plot_h + 18, x, text_anchor="middle", font_size=12))
    legend = [f'<rect x="{left + 220 * j}" y="10" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>'
              + _text(left + 220 * j + 18, 21, name, font_size=12) for j, (_, name, _) in enumerate(series)]
    return _svg(width, height, parts + legend), points


def bump_svg(xs: list[str], groups: dict[str, dict[str, Decimal]]) -> tuple[str, list]:
    width, height, left, top = 960, 460, 60, 40
    plot_w, plot_h, legend_x = 640, 340, 740
    step = plot_w / max(1, len(xs) - 1)
    parts, points = [], []
    for rank in range(1, 6):
        y = top + (rank - 1) * plot_h / 4
        parts.append(_text(left - 10, y + 4, f"{rank}", text_anchor="end", font_size=12))
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
    for i, x in enumerate(xs):
        parts.append(_text(left + i * step, top + plot_h + 24, x, text_anchor="middle", font_size=12))
    for g, (name, ranks) in enumerate(sorted(groups.items())):
        color = PALETTE[g % len(PALETTE)]
        coords = [(left + xs.index(x) * step, top + (float(r) - 1) * plot_h / 4, x, r) for x, r in sorted(ranks.items())]
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5" opacity="0.85"/>')
        for cx, cy, x, r in coords:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{color}" data-series="{html.escape(name)}" '
                         f'data-x="{html.escape(x)}" data-value="{r}"><title>{html.escape(f"{x} · {name}: {r}")}</title></circle>')
            points.append((name, x, r))
        ly = top + g * 22
        parts.append(f'<rect x="{legend_x}" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(legend_x + 18, ly, name, font_size=12))
    return _svg(width, height, parts), points


def rank_svg(items: list[tuple[str, Decimal]]) -> tuple[str, list]:
    width, row_h, left = 960, 30, 170
    n = len(items)
    parts, points = [], []
    for i, (name, rank) in enumerate(items):
        y = 20 + i * row_h
        length = max(0.0, (n + 1 - float(rank)) / n * (width - left - 60))
        parts.append(_text(left - 10, y + 16, name, text_anchor="end", font_size=13))
        parts.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{row_h - 8}" fill="{PALETTE[0]}" '
                     f'data-series="rank" data-x="{html.escape(name)}" data-value="{rank}"/>')
        parts.append(_text(left + length + 6, y + 16, f"{rank}", font_size=12))
        points.append(("rank", name, rank))
    return _svg(width, 40 + n * row_h, parts), points


def _svg(width: int, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="Noto Sans CJK SC, sans-serif" role="img">' + "".join(parts) + "</svg>")


def chart(graph: Graph, spec: Spec, query: SavedQuery, lang: str = "zh") -> Chart:
    result = run(graph, query.text, lang)
    columns = [str(v) for v in result.vars]
    data = rows(result)
    if spec.kind == "bars":
        xs = [r[spec.x] for r in data]
        series = [(key, names[lang], [_num(r[key]) for r in data]) for key, names in spec.series]
        svg, points = bars_svg(xs, series)
    elif spec.kind == "bump":
        xs = sorted({r[spec.x] for r in data})
        groups: dict[str, dict[str, Decimal]] = {}
        for r in data:
            groups.setdefault(r[spec.group], {})[r[spec.x]] = _num(r[spec.series[0][0]])
        svg, points = bump_svg(xs, groups)
    else:
        svg, points = rank_svg([(r[spec.x], _num(r[spec.series[0][0]])) for r in data])
    table = CBR[spec.table]
    sources = sorted(_label(graph, s, lang) for s in graph.objects(table, CBO.cites))
    source = ("数据来源：" if lang == "zh" else "Source: ") + "; ".join(sources) + f" ({_label(graph, table, lang)})"
    return Chart(spec.name, query.title_in(lang), source, svg, points, data, columns)


def charts(graph: Graph, queries: Path, lang: str = "zh") -> list[Chart]:
    from kg.query.saved import resolve

    return [chart(graph, spec, resolve(spec.query, queries), lang) for spec in SPECS]


def write_chart(c: Chart, out: Path, lang: str = "zh") -> Path:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                             keep_trailing_newline=True)
    path = out / f"{c.name}.html"
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(env.get_template("chart.html").render(chart=c, svg=Markup(c.svg), lang=lang), encoding="utf-8")
    return path
