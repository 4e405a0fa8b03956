"""``cbec-kg propose TEXT``: read the text, propose, write YAML or JSON (merged with an earlier sheet if asked).

Bad input raises ValueError, LookupError or OSError with a message naming what is wrong (the CLI exits 2).
"""

from __future__ import annotations

from pathlib import Path

from kg.sheets.propose.core import Proposer
from kg.sheets.propose.document import knowledge
from kg.sheets.propose.writer import as_json, as_yaml, blocks, merge, read_sheet

FORMATS = ("yaml", "json")


def read_text(path: Path) -> str:
    """The text to read: UTF-8, not empty, no NUL bytes (a binary file is not a text)."""
    if path.is_dir():
        raise ValueError(f"TEXT: {path} is a folder, not a text file")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ValueError(f"TEXT: {path} is not a plain text file (it holds NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"TEXT: {path} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise ValueError(f"TEXT: {path} is empty")
    return text


def propose_file(path: Path, facts_dir: Path, document: str | None = None, fmt: str = "yaml",
                 merge_with: Path | None = None) -> str:
    """The candidates of the text at ``path`` as YAML or JSON, reviewed blocks of ``merge_with`` kept."""
    if fmt not in FORMATS:
        raise ValueError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
    earlier = read_sheet(merge_with) if merge_with is not None else None
    text = read_text(path)
    proposer = Proposer(text, knowledge(facts_dir), document)
    items = blocks(proposer.run())
    if earlier is not None:
        items = merge(earlier, items)
    return as_json(items) if fmt == "json" else as_yaml(items, proposer.document, path.name)
