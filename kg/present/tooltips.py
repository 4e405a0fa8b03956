"""What a view's node says when the pointer rests on it: its name, class, figures and places, as plain text.

Each figure says what it is about: its measure, the statistic's other subjects (the category of a best-seller
rank, the country of a growth rate), its period and its value with unit and hedge, and where the report states
it. A figure about this node *and* peers that each have their own figure of the same measure and period is
a total row (表2's 232,028 is the ten companies' total, not Alibaba's revenue) and says so. Lines never repeat,
and at most :data:`CAP` figures are listed; the rest are counted and left to the entity page.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, Graph

from kg.model.ontology import CBO, CBR, local
from kg.present.labels import label

#: at most this many figures in a tooltip
CAP = 12
#: at most this many other subjects are named on a figure's line
NAMED = 3
#: hedges as the report words them
HEDGES = {"approx": {"zh": "约", "en": "about"}, "over": {"zh": "超过", "en": "over"},
          "under": {"zh": "不足", "en": "under"}, "nearly": {"zh": "近", "en": "nearly"},
          "forecast": {"zh": "预测", "en": "forecast"}}
#: units not printed after a value in English (a count or a rank is the number itself)
BARE_EN = {"unit-count", "unit-rank"}
WORDS = {
    "zh": {"total": "合计（{n} 个对象）", "with": "与 {names} 等 {n} 个对象", "more": "另有 {k} 项数字，见实体页",
           "stated": "出处：", "sep": "、"},
    "en": {"total": "total of {n}", "with": "with {names} and {rest} more", "more": "+{k} more figures on the entity page",
           "stated": "Stated in: ", "sep": ", "},
}


@dataclass(frozen=True)
class Figure:
    """One figure on a node's tooltip, with what it is about and a key that orders figures."""

    key: tuple
    text: str


def tooltip(graph: Graph, node, lang: str, cap: int = CAP) -> str:
    """Plain text for ``node``: name, classes, up to ``cap`` figures (each once), places stated in."""
    words = WORDS[lang]
    lines = [label(graph, node, lang)]
    classes = sorted(label(graph, c, lang) for c in graph.objects(node, RDF.type) if local(c))
    if classes:
        lines.append(" / ".join(classes))
    texts = unique(f.text for f in sorted(figures(graph, node, lang), key=lambda f: f.key))
    lines += texts[:cap]
    if len(texts) > cap:
        lines.append(words["more"].format(k=len(texts) - cap))
    places = sorted({short_place(graph, p, lang) for p in graph.objects(node, CBO.statedIn)})
    if places:
        lines.append(words["stated"] + "; ".join(places))
    return "\n".join(lines)


def unique(texts) -> list[str]:
    """The texts in order, each once."""
    return list(dict.fromkeys(texts))


def figures(graph: Graph, node, lang: str) -> list[Figure]:
    """Every statistic about ``node``, written out."""
    return [figure(graph, stat, node, lang) for stat in graph.subjects(CBO.about, node)]


def figure(graph: Graph, stat, node, lang: str) -> Figure:
    """One statistic as one line: measure · other subjects · period: value unit (place)."""
    measure = graph.value(stat, CBO.measure)
    period = str(graph.value(stat, CBO.period) or "")
    parts = [label(graph, measure, lang) if measure is not None else label(graph, stat, lang)]
    about = subjects_text(graph, stat, node, lang)
    if about:
        parts.append(about)
    if period:
        parts.append(period.replace("/", "–"))
    places = ", ".join(sorted({short_place(graph, p, lang) for p in graph.objects(stat, CBO.statedIn)}))
    text = " · ".join(parts) + ": " + value_text(graph, stat, lang) + (f" ({places})" if places else "")
    return Figure((period, parts[0], about, text), text)


def subjects_text(graph: Graph, stat, node, lang: str) -> str:
    """The statistic's other subjects: named (up to :data:`NAMED`), or the figure marked as a total row."""
    words = WORDS[lang]
    others = sorted((label(graph, o, lang) for o in graph.objects(stat, CBO.about) if o != node))
    if not others:
        return ""
    if is_total(graph, stat):
        return words["total"].format(n=len(others) + 1)
    if len(others) <= NAMED:
        return words["sep"].join(others)
    return words["with"].format(names=words["sep"].join(others[:NAMED]), n=len(others) + 1, rest=len(others) - NAMED)


def is_total(graph: Graph, stat) -> bool:
    """True when the statistic is about several subjects and each of them has a figure of its own with the same
    measure and period (a table's total row, printed beside the rows it adds up)."""
    subjects = list(graph.objects(stat, CBO.about))
    measure, period = graph.value(stat, CBO.measure), graph.value(stat, CBO.period)
    if len(subjects) < 2 or measure is None:
        return False
    own = single_figures(graph)
    return all((measure, period, subject) in own for subject in subjects)


_SINGLES: dict = {}


def single_figures(graph: Graph) -> set:
    """(measure, period, subject) of every statistic about one subject; kept for the last graph asked about
    (and its size), since every tooltip of a view asks."""
    key = (id(graph), len(graph))
    if _SINGLES.get("key") != key or _SINGLES.get("graph") is not graph:
        about: dict = {}
        for stat, subject in graph.subject_objects(CBO.about):
            about.setdefault(stat, []).append(subject)
        found = {(graph.value(stat, CBO.measure), graph.value(stat, CBO.period), subjects[0])
                 for stat, subjects in about.items() if len(subjects) == 1}
        _SINGLES.update(key=key, graph=graph, found=found)
    return _SINGLES["found"]


def value_text(graph: Graph, stat, lang: str) -> str:
    """The value as printed, with its hedge and unit in the reader's language."""
    printed = str(graph.value(stat, CBO.printedValue) or "")
    hedges = [HEDGES[str(q)][lang] for q in sorted(graph.objects(stat, CBO.qualifier), key=str) if str(q) in HEDGES]
    unit = graph.value(stat, CBO.unit)
    text = printed + unit_text(graph, unit, lang)
    return " ".join(hedges + [text]) if hedges else text


def unit_text(graph: Graph, unit, lang: str) -> str:
    """How a unit follows a value: its symbol in Chinese, its English label (or '%') in English; nothing for a
    rank, nor for a count in English."""
    if unit is None:
        return ""
    name = str(unit)[len(str(CBR)):]
    symbol = str(graph.value(unit, CBO.symbol) or "")
    if name == "unit-rank":
        return ""
    if lang == "zh" or symbol == "%":
        return symbol if symbol in ("%", "") else " " + symbol
    return "" if name in BARE_EN else " " + label(graph, unit, "en")


def short_place(graph: Graph, place, lang: str) -> str:
    """A place in the report, short: the part of its label before a colon ('表2', 'Table 2', '2.2.4 …')."""
    text = label(graph, place, lang)
    for colon in ("：", ":"):
        text = text.split(colon, 1)[0]
    return text.strip()
