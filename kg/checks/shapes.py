"""SHACL validation of the built graph with pySHACL: the reference, and the fallback for shapes ``kg.shacl_sparql`` cannot compile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import RDF, Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus}: {self.path}: {self.message}"


def load_shapes(path: Path) -> Graph:
    shapes = Graph()
    shapes.parse(path, format="turtle")
    return shapes


def violations(data: Graph, shapes: Graph) -> list[Violation]:
    """Every SHACL result of severity Violation, sorted, as (focus, path, message)."""
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    if conforms:
        return []
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = data.namespace_manager.normalizeUri(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        path_text = data.namespace_manager.normalizeUri(path) if path is not None else "-"
        found.add(Violation(focus, path_text, str(report.value(result, SH.resultMessage))))
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))
