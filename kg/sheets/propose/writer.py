"""Writing candidates: a YAML sheet (``facts:`` blocks a curator accepts, edits or drops) or a JSON list.

A curator marks a reviewed block with ``status``: ``accepted`` (taken as it stands or edited) or ``dropped``.
``--merge SHEET`` keeps every reviewed block of an earlier proposal exactly as the curator left it and adds this
run's candidates only at offsets the curator has not reviewed; unreviewed blocks of the earlier run are
replaced by this run's.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from kg.sheets.propose.candidate import Candidate

REVIEWED = ("accepted", "dropped")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def blocks(candidates: list[Candidate]) -> list[dict]:
    return [c.block() for c in candidates]


def read_sheet(path: Path) -> list[dict]:
    """The blocks of an earlier proposal (YAML sheet or JSON list); ValueError naming the file when unreadable."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"--merge {path}: not a YAML or JSON sheet ({str(exc).splitlines()[0]})") from None
    items = data.get("facts") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(b, dict) for b in items):
        raise ValueError(f"--merge {path}: expected a list of blocks (a JSON list, or a sheet with 'facts:')")
    for n, block in enumerate(items, 1):
        status = block.get("status")
        for key in ("start", "offset"):
            if key in block and (not isinstance(block[key], int) or isinstance(block[key], bool)):
                raise ValueError(f"--merge {path}: block {n} ({block.get('id', 'no id')}): {key} "
                                 f"'{block[key]}' is not a character offset (a whole number)")
        if status is not None and status not in REVIEWED:
            raise ValueError(f"--merge {path}: block {n} ({block.get('id', 'no id')}): status '{status}' is not one "
                             f"of {', '.join(REVIEWED)}")
    return items


def merge(earlier: list[dict], proposed: list[dict]) -> list[dict]:
    """Reviewed blocks of ``earlier`` as they are, then this run's blocks at the offsets nobody reviewed."""
    kept = [b for b in earlier if b.get("status") in REVIEWED]
    taken = {b.get("start", b.get("offset")) for b in kept} | {b.get("id") for b in kept}
    fresh = [b for b in proposed if b["start"] not in taken and b["id"] not in taken]
    return sorted(kept + fresh, key=lambda b: (int(b.get("start", b.get("offset", 0)) or 0), str(b.get("id"))))


def as_json(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def as_yaml(items: list[dict], document: str | None, source: str) -> str:
    """A sheet: a header naming the document and the text, then one block per candidate."""
    sheet: dict = {"title": {"zh": "候选统计数据（待审核）", "en": f"Candidate statistics proposed from {source}"}}
    if document:
        sheet["document"] = document
    header = ("# Candidates proposed by `cbec-kg propose`: mark each reviewed block `status: accepted` (as it is or\n"
              "# edited) or `status: dropped`; `--merge` keeps those. Accepted blocks need `measure` and an `id` of\n"
              "# your own before they go into a fact sheet (and lose printedValue, unitWord, start, end, sentence).\n")
    body = yaml.safe_dump({"sheet": sheet, "facts": items}, allow_unicode=True, sort_keys=False, width=120)
    return header + body
