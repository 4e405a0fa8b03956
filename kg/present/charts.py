"""Charts of the report's tables, drawn from the saved queries' answers as inline SVG.

Each chart runs a saved query over the graph and plots its rows; nothing is typed in by hand, so a chart
changes when the facts change. Column headers and legends come from the query's ``# column-NAME:`` and
``# column-NAME@en:`` headers (else the ontology's label of ``cbo:NAME``), in the reader's language. Every
mark carries ``data-series``, ``data-x`` and ``data-value`` so a test can read back what was plotted. The
pages are plain HTML + SVG: no script, nothing loaded from elsewhere.

Three kinds: ``bars`` (amounts), ``bump`` (表3: a category's rank year by year, the line broken in the years
it was not in the top five) and ``rank`` (表6: each brand's place on a rank axis; a rank is an order, not an
amount, so nothing is drawn in proportion to it).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from markupsafe import Markup
from rdflib import Graph

from kg.model.ontology import CBO, CBR
from kg.present.labels import label, pick
from kg.present.render import render as render_page
from kg.present.style import look, series_colour
from kg.query.answer import display_rows
from kg.query.saved import SavedQuery, answer_on, resolve


@dataclass
class Spec:
    name: str
    query: str
    kind: str                      # "bars", "bump" or "rank"
    x: str
    series: list[str] = field(default_factory=list)
    group: str = ""
    table: str = ""
    cls: str = ""                  # the class of the things plotted, when one class looks the same everywhere


SPECS = [
    Spec("chart-table1", "b2c_exporters_2018", "bars", "country", ["sales"], table="table1"),
    Spec("chart-table2", "table2_top10_ecommerce_2018", "bars", "company", ["b2cRevenue", "transactionVolume"],
         table="table2"),
    Spec("chart-table3", "table3_aliexpress_bestsellers", "bump", "year", ["rank"], group="category", table="table3"),
    Spec("chart-table4", "table4_internet_penetration_2018", "bars", "region", ["penetration", "userShare"],
         table="table4"),
    Spec("chart-table5", "table5_export_destinations", "bars", "destination", ["share2018", "share2019"],
         table="table5"),
    Spec("chart-table6", "table6_chinese_brands_abroad_2019", "rank", "brand", ["rank"], table="table6", cls="Brand"),
]
WORDS = {"zh": {"source": "数据来源：", "rank": "名次（1 为第一）", "absent": "空缺处：当年未进前五"},
         "en": {"source": "Source: ", "rank": "rank (1 = first)", "absent": "gaps: not in the top five that year"}}


@dataclass
class Chart:
    name: str
    title: str
    source: str
    svg: str
    points: list[tuple[str, str, Decimal]]      # (series, x, value) as plotted
    rows: list[dict[str, str]]
    columns: list[str]
    headers: list[str] = field(default_factory=list)   # the columns' names in the reader's language

    @property
    def numeric(self) -> set[str]:
        """The columns whose every value is a number (right-aligned in the table)."""
        return {c for c in self.columns if self.rows and all(is_number(r.get(c, "")) for r in self.rows)}


def is_number(text: str) -> bool:
    try:
        _num(text)
    except ArithmeticError:
        return False
    return True


def column_header(graph: Graph, query: SavedQuery, column: str, lang: str) -> str:
    """A column's name for a reader of ``lang``: the query's ``# column-NAME`` header, else the ontology's label
    of ``cbo:NAME``, else the variable's name."""
    stated = {"zh": query.meta.get(f"column-{column}", ""), "en": query.meta.get(f"column-{column}@en", "")}
    if stated[lang]:
        return stated[lang]
    if (CBO[column], None, None) in graph:
        return label(graph, CBO[column], lang)
    return pick(stated, lang, column)


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _text(x: float, y: float, content: str, **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{html.escape(str(v))}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{html.escape(content)}</text>'


def _mark(series: str, x: str, value) -> str:
    """The attributes by which a test reads back a plotted mark."""
    return f'data-series="{html.escape(series)}" data-x="{html.escape(x)}" data-value="{value}"'


def bars_svg(xs: list[str], series: list[tuple[str, str, list[Decimal]]]) -> tuple[str, list]:
    width, height, left, bottom, top = 960, 440, 70, 90, 40
    plot_w, plot_h = width - left - 20, height - bottom - top
    step, count = ticks(max((v for _, _, values in series for v in values), default=Decimal(1)))
    peak = step * count
    group_w = plot_w / max(1, len(xs))
    bar_w = group_w * 0.8 / max(1, len(series))
    parts, points = [], []
    for k in range(count + 1):
        y = top + plot_h - plot_h * k / count
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(left - 6, y + 4, f"{(step * k).normalize():,f}", text_anchor="end", font_size=11))
    for i, x in enumerate(xs):
        for j, (key, name, values) in enumerate(series):
            v = values[i]
            h = float(v / peak) * plot_h
            bx = left + i * group_w + group_w * 0.1 + j * bar_w
            parts.append(f'<rect x="{bx:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{series_colour(j)}" {_mark(key, x, v)}><title>{html.escape(f"{x} · {name}: {v}")}</title></rect>')
            points.append((key, x, v))
        parts.append(axis_label(left + (i + 0.5) * group_w, top + plot_h + 18, x, group_w))
    legend = [f'<rect x="{left + 300 * j}" y="10" width="12" height="12" fill="{series_colour(j)}"/>'
              + _text(left + 300 * j + 18, 21, name, font_size=12) for j, (_, name, _) in enumerate(series)]
    return _svg(width, height, parts + legend), points


def ticks(peak: Decimal) -> tuple[Decimal, int]:
    """A round step (1, 2, 2.5 or 5 times a power of ten) and how many of them reach ``peak`` (4 to 8).

    >>> ticks(Decimal(865634))
    (Decimal('200000'), 5)
    """
    if peak <= 0:
        return Decimal(1), 1
    power = Decimal(10) ** (peak / 4).adjusted()
    step = next(power * m for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)) if power * m * 8 >= peak)
    return step, int((peak / step).to_integral_value(rounding=ROUND_CEILING))


def text_width(text: str, size: int = 12) -> float:
    """About how wide ``text`` is drawn at ``size`` px: a CJK character a full em, others about half one."""
    return sum(size if ord(ch) > 0x2e80 else size * 0.55 for ch in text)


def axis_label(x: float, y: float, text: str, room: float) -> str:
    """A category's name under its bars: level when it fits in ``room``, else turned 30 degrees."""
    if text_width(text) <= room - 6:
        return _text(x, y, text, text_anchor="middle", font_size=12)
    return _text(x, y - 4, text, text_anchor="end", font_size=12, transform=f"rotate(-30 {x:.1f} {y - 4:.1f})")


def runs(indices: list[int]) -> list[list[int]]:
    """Consecutive stretches of sorted ``indices``: [1, 2, 4] -> [[1, 2], [4]]."""
    out: list[list[int]] = []
    for i in indices:
        if out and i == out[-1][-1] + 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def bump_svg(xs: list[str], groups: dict[str, dict[str, Decimal]], note: str) -> tuple[str, list]:
    """Each group's rank across ``xs``, one line per stretch of consecutive years (a gap where it was absent)."""
    height, left, top = 440, 60, 40
    plot_w, plot_h, legend_x = 620, 340, 710
    width = max(960, int(legend_x + 18 + max((text_width(name) for name in groups), default=0) + 12))
    step = plot_w / max(1, len(xs) - 1)
    parts, points = [], []
    for rank in range(1, 6):
        y = top + (rank - 1) * plot_h / 4
        parts.append(_text(left - 10, y + 4, f"{rank}", text_anchor="end", font_size=12))
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
    for i, x in enumerate(xs):
        parts.append(_text(left + i * step, top + plot_h + 24, x, text_anchor="middle", font_size=12))
    for g, (name, ranks) in enumerate(sorted(groups.items())):
        color = series_colour(g)
        where = {xs.index(x): r for x, r in ranks.items()}
        coords = {i: (left + i * step, top + (float(r) - 1) * plot_h / 4) for i, r in where.items()}
        for stretch in runs(sorted(where)):
            if len(stretch) > 1:
                path = " ".join(f"{coords[i][0]:.1f},{coords[i][1]:.1f}" for i in stretch)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5" opacity="0.85" '
                             f'data-line="{html.escape(name)}"/>')
        for i in sorted(where):
            x, r = xs[i], where[i]
            parts.append(f'<circle cx="{coords[i][0]:.1f}" cy="{coords[i][1]:.1f}" r="5" fill="{color}" {_mark(name, x, r)}>'
                         f'<title>{html.escape(f"{x} · {name}: {r}")}</title></circle>')
            points.append((name, x, r))
        ly = top + g * 22
        parts.append(f'<rect x="{legend_x}" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(legend_x + 18, ly, name, font_size=12))
    parts.append(_text(left, top + plot_h + 52, note, font_size=12, fill="#555"))
    return _svg(width, height, parts), points


def rank_svg(items: list[tuple[str, Decimal]], colour: str, axis: str) -> tuple[str, list]:
    """Each item on its own row, a dot at its rank on a rank axis (1 at the left); nothing scaled by rank."""
    width, row_h, left, right, top = 960, 30, 190, 40, 46
    ranks = [int(r) for _, r in items] or [1]
    low, high = min(1, min(ranks)), max(ranks)
    step = (width - left - right) / max(1, high - low)
    n = len(items)
    bottom = top + n * row_h
    parts, points = [_text(left + (width - left - right) / 2, 18, axis, text_anchor="middle", font_size=12, fill="#555")], []
    for tick in range(low, high + 1):
        x = left + (tick - low) * step
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 10}" y2="{bottom}" stroke="#e6e6e6"/>')
        parts.append(_text(x, top - 16, f"{tick}", text_anchor="middle", font_size=12))
    for i, (name, rank) in enumerate(items):
        y = top + i * row_h + row_h / 2
        x = left + (float(rank) - low) * step
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#f3f3f3"/>')
        parts.append(_text(left - 12, y + 5, name, text_anchor="end", font_size=13))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{colour}" {_mark("rank", name, rank)}>'
                     f'<title>{html.escape(f"{name}: {rank}")}</title></circle>')
        parts.append(_text(x + 13, y + 4, f"{rank}", font_size=12, fill="#333"))
        points.append(("rank", name, rank))
    return _svg(width, bottom + 10, parts), points


def _svg(width: int, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="Noto Sans CJK SC, sans-serif" role="img">' + "".join(parts) + "</svg>")


def plot(spec: Spec, data: list[dict[str, str]], names: dict[str, str], lang: str) -> tuple[str, list]:
    """The SVG of ``spec`` over the query's rows, and the points it plotted."""
    if spec.kind == "bars":
        xs = [r[spec.x] for r in data]
        return bars_svg(xs, [(key, names[key], [_num(r[key]) for r in data]) for key in spec.series])
    if spec.kind == "bump":
        groups: dict[str, dict[str, Decimal]] = {}
        for r in data:
            groups.setdefault(r[spec.group], {})[r[spec.x]] = _num(r[spec.series[0]])
        return bump_svg(sorted({r[spec.x] for r in data}), groups, WORDS[lang]["absent"])
    items = sorted(((r[spec.x], _num(r[spec.series[0]])) for r in data), key=lambda item: (item[1], item[0]))
    return rank_svg(items, look(spec.cls).colour, WORDS[lang]["rank"])


def chart(graph: Graph, spec: Spec, query: SavedQuery, lang: str = "zh") -> Chart:
    answer = answer_on(graph, query.text, lang)
    columns = answer.vars
    data = display_rows(answer)
    names = {c: column_header(graph, query, c, lang) for c in columns}
    svg, points = plot(spec, data, names, lang)
    table = CBR[spec.table]
    sources = sorted(label(graph, s, lang) for s in graph.objects(table, CBO.cites))
    source = WORDS[lang]["source"] + "; ".join(sources) + f" ({label(graph, table, lang)})"
    return Chart(spec.name, query.title_in(lang), source, svg, points, data, columns, [names[c] for c in columns])


def charts(graph: Graph, queries: Path, lang: str = "zh") -> list[Chart]:
    return [chart(graph, spec, resolve(spec.query, queries), lang) for spec in SPECS]


def write_chart(c: Chart, out: Path, lang: str = "zh", twin: str | None = None) -> Path:
    """The chart as a page ``out/NAME.html`` (``twin``: the same page in the other language)."""
    path = out / f"{c.name}.html"
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page("chart.html", chart=c, svg=Markup(c.svg), lang=lang, twin=twin), encoding="utf-8")
    return path
