"""How a class looks, in the views and the charts alike: one colour, one vis-network shape, one legend symbol.

A node is drawn by the most specific of its classes that has a look here (its own class, else its nearest
styled ancestor); a chart that plots things of a class (the brands of 表6, say) uses the same colour and
symbol, so a brand looks the same everywhere. Series that are not classes (the two columns of 表2) take
:data:`SERIES` colours in turn.

>>> look("Brand")
Look(colour='#ff9d9a', shape='star', symbol='★')
>>> look("NoSuchClass").colour
'#cccccc'
"""

from __future__ import annotations

from typing import NamedTuple


class Look(NamedTuple):
    """A class's colour, its vis-network node shape and the symbol legends draw for that shape."""

    colour: str
    shape: str
    symbol: str


#: how the legends draw each vis-network shape
SYMBOL = {"dot": "●", "square": "■", "diamond": "◆", "triangle": "▲", "triangleDown": "▼", "star": "★",
          "hexagon": "⬢", "box": "▬", "ellipse": "◯", "text": "T"}

#: colour and shape per class of the ontology (local names)
CLASSES: dict[str, tuple[str, str]] = {
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
    "Policy": ("#8cd17d", "square"),
    "Agreement": ("#499894", "hexagon"),
    "Event": ("#b07aa1", "diamond"),
    "ProductCategory": ("#9d7660", "dot"),
    "Organization": ("#fabfd2", "square"),
    "Source": ("#bab0ac", "text"),
    "Person": ("#d7b5a6", "dot"),
    "Challenge": ("#ff9d9a", "triangleDown"),
    "Recommendation": ("#8cd17d", "triangle"),
    "Concept": ("#d4a6c8", "dot"),
}
DEFAULT = ("#cccccc", "dot")

#: colours for chart series that are not classes, taken in turn
SERIES = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
          "#bab0ac"]

#: edges of the network views
EDGE_COLOUR = "#8a8a8a"


def look(cls: str) -> Look:
    """How things of class ``cls`` (a local name) are drawn."""
    colour, shape = CLASSES.get(cls, DEFAULT)
    return Look(colour, shape, SYMBOL.get(shape, "●"))


def series_colour(index: int) -> str:
    """The colour of the ``index``-th series of a chart."""
    return SERIES[index % len(SERIES)]


def styled_class(classes: list[str], ancestors: dict[str, list[str]]) -> str:
    """Of a node's classes (local names, sorted), the first that has a look, else its nearest styled ancestor,
    else the first class (or 'Thing')."""
    for cls in classes:
        for candidate in [cls] + ancestors.get(cls, []):
            if candidate in CLASSES:
                return candidate
    return classes[0] if classes else "Thing"
