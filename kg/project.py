"""Where the project's files are: one object passed to every step."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.names import GRAPH_FILE, INFERRED_FILE, STORE_DIR


def cache_folder(kind: str) -> Path:
    """Where a tool keeps what it can make again between processes (``search``: the search indexes; ``java``:
    the JVM's class archive for HermiT): ``$CBEC_KG_CACHE/<kind>``, else ``cbec-kg/<kind>`` in
    ``$XDG_CACHE_HOME`` or ``~/.cache``. Never ``dist/``: these files are not the same bytes from one build to
    the next."""
    chosen = os.environ.get("CBEC_KG_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cbec-kg"
    return Path(chosen) / kind


def sheet_paths(folder: Path) -> list[Path]:
    """Fact sheets of a folder (``*.yaml``, and ``*.json`` other than the schema), in a stable order."""
    found = list(folder.glob("*.yaml")) + [p for p in folder.glob("*.json") if p.name != "schema.json"]
    return sorted(p for p in found if p.is_file())


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, root: str | Path | None = None) -> Project:
        """The project root: ``root``, $CBEC_KG_ROOT, or the folder holding the kg package."""
        chosen = root or os.environ.get("CBEC_KG_ROOT") or Path(__file__).resolve().parent.parent
        return cls(Path(chosen).resolve())

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "cbec.ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

    @property
    def schema(self) -> Path:
        return self.facts_dir / "schema.json"

    @property
    def sheets(self) -> list[Path]:
        return sheet_paths(self.facts_dir)

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def dist(self) -> Path:
        return Path(os.environ.get("CBEC_KG_DIST", self.root / "dist"))

    @property
    def graph_file(self) -> Path:
        """Ontology + asserted facts, as Turtle."""
        return self.dist / GRAPH_FILE

    @property
    def inferred_file(self) -> Path:
        """The materialised inferences, as Turtle."""
        return self.dist / INFERRED_FILE

    @property
    def store_dir(self) -> Path:
        """Oxigraph's on-disk store of the graph and its inferences."""
        return self.dist / STORE_DIR
