"""The build: ontology + fact sheets -> checked graph -> files in ``dist/``.

Every output is written into a fresh folder under ``.dist/``; only when all of
them are written does ``dist`` (a symbolic link) switch to it, in one atomic
rename. A build that fails or is killed leaves the previous ``dist`` as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from .errors import CheckError
from .facts import FactBase, load_facts
from .graph import build_graph
from .ontology import CBO, Vocabulary, load_ontology, local
from .project import Project
from .serialize import write_turtle


@dataclass
class BuildResult:
    graph: Graph
    base: FactBase
    dist: Path
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def entities_per_class(self) -> Counter:
        counts: Counter = Counter()
        for s, cls in self.graph.subject_objects(RDF.type):
            name = local(cls)
            if name and str(s).startswith("https://w3id.org/cbec-kg/resource/"):
                counts[name] += 1
        return counts

    def facts_per_part(self) -> Counter:
        counts: Counter = Counter()
        for _, place in self.graph.subject_objects(CBO.statedIn):
            counts[str(place).rsplit("/", 1)[-1]] += 1
        return counts


class Progress:
    """Numbered steps on stderr, each with its time."""

    def __init__(self, total: int, quiet: bool = False):
        self.total, self.step, self.quiet, self.t0 = total, 0, quiet, time.perf_counter()

    def __call__(self, message: str) -> None:
        self.step += 1
        if not self.quiet:
            elapsed = time.perf_counter() - self.t0
            print(f"[{self.step}/{self.total}] {message} ({elapsed:.2f} s)", file=sys.stderr, flush=True)


def load(project: Project, progress: Callable[[str], None] = lambda m: None) -> tuple[Graph, FactBase, Vocabulary, Graph]:
    """Load and validate everything; return (graph, facts, vocabulary, ontology)."""
    progress(f"loading ontology {project.ontology.relative_to(project.root)}")
    ontology = load_ontology(project.ontology)
    vocab = Vocabulary.from_graph(ontology)
    sheets = project.sheets
    progress(f"validating {len(sheets)} fact sheets against {project.schema.relative_to(project.root)} and the ontology")
    base = load_facts(sheets, project.schema, vocab)
    progress(f"building the graph from {len(base.facts)} facts")
    graph = build_graph(base, vocab, ontology)
    return graph, base, vocab, ontology


def check(project: Project, graph: Graph, ontology: Graph, progress: Callable[[str], None], reasoner: bool = True,
          base: FactBase | None = None) -> Graph:
    """SHACL, then HermiT, then the inferred triples; raise CheckError on a failure.

    A SHACL violation on a resource that a fact sheet defines is reported at that
    block's file and line, with the property as the field.
    """
    from .reason import consistency, infer
    from .shapes import load_shapes, violations

    progress(f"validating with SHACL shapes {project.shapes.relative_to(project.root)}")
    found = violations(graph, load_shapes(project.shapes))
    if found:
        shown = "\n".join(f"  {locate_violation(v, base)}" for v in found[:40])
        more = f"\n  ... and {len(found) - 40} more" if len(found) > 40 else ""
        raise CheckError(f"SHACL: {len(found)} violation(s) (focus node: path: message)\n{shown}{more}")
    if reasoner:
        progress("checking consistency with HermiT (owlready2)")
        consistency(graph)
    else:
        progress("reasoner skipped (--no-reasoner)")
    progress("materialising inferences (inverse, transitive, sub-class and sub-property rules)")
    return infer(graph, ontology)


def locate_violation(violation, base: FactBase | None) -> str:
    fact = base.facts.get(violation.focus.removeprefix("cbr:")) if base else None
    if fact is None:
        return str(violation)
    field = violation.path.removeprefix("cbo:")
    return f"{fact.file}:{fact.line_of(field)}: field '{field}': {violation.message} ({violation.focus})"


def build(project: Project, quiet: bool = False, reasoner: bool = True, lang: str = "zh") -> BuildResult:
    t0 = time.perf_counter()
    progress = Progress(total=8, quiet=quiet)
    graph, base, vocab, ontology = load(project, progress)
    inferred = check(project, graph, ontology, progress, reasoner, base)
    progress("writing outputs")
    builds = project.dist.parent / ".dist"
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
    os.chmod(staging, 0o755)
    try:
        files = write_outputs(project, graph, ontology, inferred, staging, lang)
        progress(f"publishing {project.dist.name}/")
        publish(staging, project.dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = BuildResult(graph, base, project.dist, [project.dist / f.relative_to(staging) for f in files])
    result.seconds = time.perf_counter() - t0
    return result


def write_outputs(project: Project, graph: Graph, ontology: Graph, inferred: Graph, out: Path, lang: str = "zh") -> list[Path]:
    from .export import rdfxml_bytes, write_exports
    from .reference import render as reference_page
    from .views import write_views  # pyvis is only needed here

    files = write_exports(graph, ontology, inferred, out)
    files += [write_turtle(inferred, out / "inferred.ttl"), write_turtle(ontology, out / "ontology.ttl")]
    rdfxml = out / "ontology.owl"
    rdfxml.write_bytes(rdfxml_bytes(ontology))
    reference = out / "ontology.html"
    reference.write_text(reference_page(ontology), encoding="utf-8")
    files += [rdfxml, reference]
    files += write_views(graph, out / "views", lang, queries=project.queries_dir)
    return files


def publish(staging: Path, dist: Path) -> None:
    """Point ``dist`` at ``staging`` atomically, then remove older builds."""
    if dist.exists() and not dist.is_symlink():
        # A plain folder from elsewhere: keep it as an old build, then link.
        os.replace(dist, staging.parent / f"previous-{int(time.time())}")
    link = dist.parent / f".dist-link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(staging, dist.parent), link)
    os.replace(link, dist)
    for old in staging.parent.iterdir():
        if old != staging and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def summary(result: BuildResult) -> str:
    lines = [f"built {result.dist}/cbec-kg.ttl: {len(result.graph)} triples from {len(result.base.facts)} facts "
             f"in {len(result.base.sheets)} sheets ({result.seconds:.2f} s)", "", "entities per class:"]
    for name, count in sorted(result.entities_per_class().items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name:<28}{count:>6}")
    lines += ["", "facts per report part:"]
    order = {fid: i for i, fid in enumerate(result.base.facts)}
    for part, count in sorted(result.facts_per_part().items(), key=lambda kv: order.get(kv[0], 1 << 30)):
        lines.append(f"  {part:<28}{count:>6}")
    lines += ["", "files:"] + [f"  {f}" for f in result.files]
    return "\n".join(lines)
