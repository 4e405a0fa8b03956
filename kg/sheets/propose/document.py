"""What ``propose`` may know besides the text: the graph's names, the units, the document's places and date.

Read from the fact sheets, skipping every ``Statistic`` block unread (propose never sees the curated figures or
their offsets): labels and aliases of the other blocks (units, measures, sources and the report's own parts
left out: their names are not subjects), each unit's factor, and each document (a ``Report`` block) with its
SHA-256 and its sections, tables, figures and footnotes as line spans.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.names import NOT_SUBJECTS, REPORT_STRUCTURE

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLACE_CLASSES = set(REPORT_STRUCTURE) - {"Report"}


@dataclass(frozen=True)
class Place:
    id: str
    cls: str
    line_start: int
    line_end: int
    label: str


@dataclass
class Knowledge:
    """Names (printed name -> ids), unit factors, documents (id -> sha256, date) and places by document."""

    names: dict[str, list[str]] = field(default_factory=dict)
    factors: dict[str, float] = field(default_factory=dict)
    documents: dict[str, dict] = field(default_factory=dict)
    places: dict[str, list[Place]] = field(default_factory=dict)


def _blocks(folder: Path):
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: cannot read this fact sheet ({exc})") from None
        for block in (data or {}).get("facts") or []:
            if isinstance(block, dict) and block.get("class") not in ("Statistic", "Mention"):
                yield block


def _names_of(block: dict) -> list[str]:
    found = []
    for lang in ("zh", "en"):
        label = (block.get("label") or {}).get(lang)
        aliases = (block.get("aliases") or {}).get(lang) or []
        found += [label] if label else []
        found += aliases if isinstance(aliases, list) else [aliases]
    return [str(n) for n in found if n and len(str(n).strip()) >= 2]


def _root(block_id: str, parents: dict[str, str], reports: set[str]) -> str | None:
    seen = set()
    while block_id not in reports and block_id in parents and block_id not in seen:
        seen.add(block_id)
        block_id = parents[block_id]
    return block_id if block_id in reports else None


def knowledge(facts_dir: Path) -> Knowledge:
    """Everything ``propose`` may use from the sheets in ``facts_dir``."""
    know, parents, spans = Knowledge(), {}, []
    for block in _blocks(facts_dir):
        cls, bid = block.get("class"), str(block.get("id"))
        if cls == "Unit" and "factor" in block:
            know.factors[bid] = float(block["factor"])
        if cls == "Report":
            know.documents[bid] = {"sha256": block.get("sha256"), "date": block.get("date")}
        if block.get("partOfReport"):
            parents[bid] = str(block["partOfReport"])
        if cls in PLACE_CLASSES and "lineStart" in block:
            label = str((block.get("label") or {}).get("zh", bid))
            spans.append(Place(bid, cls, int(block["lineStart"]), int(block.get("lineEnd", block["lineStart"])), label))
        if cls not in NOT_SUBJECTS:
            for name in _names_of(block):
                ids = know.names.setdefault(name, [])
                ids.append(bid) if bid not in ids else None
    for place in spans:
        root = _root(place.id, parents, set(know.documents))
        if root:
            know.places.setdefault(root, []).append(place)
    return know


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def choose_document(know: Knowledge, text: str, wanted: str | None) -> str | None:
    """The document the text is: ``wanted`` (which must be one, with this text), else the one whose digest it has."""
    digest = sha256(text)
    if wanted is not None:
        if wanted not in know.documents:
            known = ", ".join(sorted(know.documents)) or "none"
            raise LookupError(f"--document: '{wanted}' is not a document (a Report block); known: {known}")
        expected = know.documents[wanted].get("sha256")
        if expected and expected != digest:
            raise ValueError(f"--document: the text is not document '{wanted}' (its SHA-256 is {digest[:12]}…, "
                             f"the document's {str(expected)[:12]}…); its offsets would not fit")
        return wanted
    return next((d for d, info in sorted(know.documents.items()) if info.get("sha256") == digest), None)


def document_year(know: Knowledge, document: str | None, text: str) -> int:
    """The year 今年 means: the document's ``date`` when the sheets give one, else the latest year the text prints
    (a report cites older work, so its own year is the latest one in it)."""
    date = know.documents.get(document or "", {}).get("date")
    if date:
        return int(str(date)[:4])
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)\s*年", text)]
    return max(years) if years else 0
