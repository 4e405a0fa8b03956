"""The build: ontology + fact sheets -> checked graph -> files in ``dist/``.

Every output is written into a fresh folder under ``.dist/``; only when all of
them are written does ``dist`` (a symbolic link) switch to it, in one atomic
rename. A build that fails or is killed leaves the previous ``dist`` as it was.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.checks import shacl_sparql
from kg.checks.fidelity import raise_fidelity, report_text
from kg.checks.reason import ConsistencyCheck
from kg.checks.shapes import load_shapes, violations
from kg.fork import Background, Child, Handoff
from kg.model.ontology import CBO, CBR, Vocabulary, load_ontology, local
from kg.names import INFERRED_FILE, ONTOLOGY_FILE, SEARCH_FILE, STORE_DIR
from kg.present.reference import render as reference_page
from kg.project import Project
from kg.query.sources import ask
from kg.rdfio.diff import write_changes
from kg.rdfio.disk import write_disk_store
from kg.rdfio.export import Exports, rdfxml_from_ntriples, write_exports
from kg.rdfio.serialize import oxigraph_store, triple_count, turtle_from_ntriples
from kg.rdfio.store import build_graph, memory_graph
from kg.search import names as search_names
from kg.sheets.documents import check_documents
from kg.sheets.errors import CheckError
from kg.sheets.facts import FactBase, raise_problems, read_facts
from kg.sheets.meaning import check_meaning


@dataclass
class BuildResult:
    graph: Graph
    base: FactBase
    dist: Path
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def entities_per_class(self) -> Counter:
        # counted by the store (a query), not by reading each triple into Python: 0.5 s less at 10^6 triples
        counts: Counter = Counter()
        for cls, n in ask(self.graph, "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c "
                                    f'FILTER(STRSTARTS(STR(?s), "{CBR}")) }} GROUP BY ?c').rows:
            name = local(cls.value)
            if name:
                counts[name] += int(n.value)
        return counts

    def facts_per_part(self) -> Counter:
        counts: Counter = Counter()
        for place, n in ask(self.graph, f"SELECT ?p (COUNT(?s) AS ?n) WHERE {{ ?s <{CBO.statedIn}> ?p }} GROUP BY ?p").rows:
            counts[place.value.rsplit("/", 1)[-1]] += int(n.value)
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


def load(project: Project, progress: Callable[[str], None] = lambda m: None,
         fidelity: bool = True) -> tuple[Graph, FactBase, Vocabulary, Graph]:
    """Load and validate everything; return (graph, facts, vocabulary, ontology). With ``fidelity`` (the default)
    the fidelity checks (kg.checks.fidelity) run too, where the report's text is found (as for grounding);
    ``cbec-kg ground`` and ``coverage`` load without them, so a sheet whose offsets are still missing can have
    them filled.

    The facts are checked against the ontology while the store loads the last of their triples; a fact that
    fails those checks fails the load, and so does one that made writing its triples fail.
    """
    progress(f"loading ontology {project.ontology.relative_to(project.root)}")
    ontology = load_ontology(project.ontology)
    vocab = Vocabulary.from_graph(ontology)
    sheets = project.sheets
    progress(f"validating {len(sheets)} fact sheets against {project.schema.relative_to(project.root)}")
    base = read_facts(sheets, project.schema)
    progress(f"building the graph from {len(base.facts)} facts, checking them against the ontology meanwhile")
    problems: list = []
    try:
        graph = build_graph(base, vocab, ontology,
                            meanwhile=lambda: problems.extend(check_meaning(base, vocab) + check_documents(base)))
    except Exception:
        raise_problems(problems or check_meaning(base, vocab))  # a bad fact, if any, is the cause to report
        raise
    raise_problems(problems)
    text = report_text(project.root) if fidelity else None
    if text is not None:  # fidelity to the report needs the report: not checked where its text is absent
        raise_fidelity(base, text, vocab)
    return graph, base, vocab, ontology


def check_shacl(project: Project, graph: Graph, base: FactBase | None, engine: str = "sparql") -> None:
    """Raise CheckError listing the SHACL violations, if any.

    A violation on a resource that a fact sheet defines is reported at that block's file and line, with the
    property as the field.
    """
    found = shacl_violations(graph, project.shapes, engine)
    if found:
        shown = "\n".join(f"  {locate_violation(v, base)}" for v in found[:40])
        more = f"\n  ... and {len(found) - 40} more" if len(found) > 40 else ""
        raise CheckError(f"SHACL: {len(found)} violation(s) (focus node: path: message)\n{shown}{more}")


def shacl_violations(graph: Graph, shapes_path: Path, engine: str = "sparql") -> list:
    """SHACL results: with ``engine`` "sparql", the shapes compiled to SPARQL on Oxigraph when they allow it;
    otherwise (or with "pyshacl") pySHACL, the reference, on a copy in rdflib's memory store."""
    shapes = load_shapes(shapes_path)
    store = oxigraph_store(graph)
    if store is None:
        return violations(graph, shapes)
    if engine == "sparql":
        try:
            return shacl_sparql.violations(store, shapes, shacl_sparql.compile_shapes(shapes))
        except shacl_sparql.Unsupported:
            pass
    return violations(memory_graph(store), shapes)


def locate_violation(violation, base: FactBase | None) -> str:
    fact = base.facts.get(violation.focus.removeprefix("cbr:")) if base else None
    if fact is None:
        return str(violation)
    field = violation.path.removeprefix("cbo:")
    return f"{fact.file}:{fact.line_of(field)}: field '{field}': {violation.message} ({violation.focus})"


def build(project: Project, quiet: bool = False, reasoner: bool = True, lang: str = "zh", shacl: str = "sparql") -> BuildResult:
    """Build into a staging folder, then publish it as ``dist``.

    After the graph is loaded the work splits across processes (the machine's cores): HermiT in its own JVM;
    a forked process draws the views; another writes the RDF exports and GraphML while this one infers (and
    hands the inferences over for TriG and N-Quads), validates with SHACL and writes the rest. All of them
    finish (or the build fails, and they are stopped) before ``dist`` switches.

    Python's cyclic garbage collector is paused for the build, and what the load made is frozen before the
    forks: a collection walks every object (millions at 10^6 triples), and in a forked process each walk
    copies the pages it touches.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(project, quiet, reasoner, lang, shacl)
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


def _build(project: Project, quiet: bool, reasoner: bool, lang: str, shacl: str) -> BuildResult:
    t0 = time.perf_counter()
    progress = Progress(total=9, quiet=quiet)
    graph, base, vocab, ontology = load(project, progress)
    gc.freeze()
    exports = Exports(graph, ontology)
    builds = project.dist.parent / ".dist"
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
    os.chmod(staging, 0o755)
    running = inferred = None
    store: Background | None = None
    children: list[Child] = []
    try:
        if reasoner:
            progress("checking consistency with HermiT (in its own process, beside the next steps)")
            running = ConsistencyCheck(graph, exports.all, folder=staging / ".hermit")
        else:
            progress("reasoner skipped (--no-reasoner)")
        children.append(Child(lambda: write_views_of(project, graph, staging / "views", lang) + write_search_names(exports, staging)))
        progress("writing the RDF exports and GraphML (in a forked process)")
        inferred = Handoff(staging / ".inferred.nt")
        children.append(Child(lambda: write_rdf(exports, staging, inferred)))
        progress("materialising inferences (inverse, transitive, sub-class and sub-property rules)")
        inferred.send(exports.inferred_nt)
        # the on-disk store, by a thread of this process (RocksDB's threads must not be forked: a store made in
        # a forked child of a process that had opened one before deadlocked)
        store = Background(lambda: [write_disk_store(staging / STORE_DIR, exports.all, exports.inferred_nt)])
        files = write_inferred(exports, staging)
        progress(f"validating with SHACL shapes {project.shapes.relative_to(project.root)} ({shacl})")
        check_shacl(project, graph, base, shacl)
        progress("writing the statistics' CSV, the ontology and its reference page")
        files += write_exports(exports, staging, ("csv",)) + write_ontology(exports, staging)
        progress("waiting for the views, the exports" + (" and HermiT's verdict" if running else "") + ", then publishing")
        while children:
            files += children[0].wait()
            children.pop(0)
        files += store.wait()
        if running is not None:
            running.wait()
            running = None
        files.append(write_changes(project.dist, staging))   # CHANGES.md: this graph against the one it replaces
        publish(staging, project.dist)
    except BaseException:
        if running is not None:
            running.cancel()
        for child in children:
            child.cancel()
        if inferred is not None:
            inferred.close()
        if store is not None:
            store.thread.join()   # done writing before its folder goes
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = BuildResult(graph, base, project.dist, sorted(project.dist / f.relative_to(staging) for f in files))
    result.seconds = time.perf_counter() - t0
    return result


def write_rdf(exports, out: Path, inferred: Handoff) -> list[Path]:
    """The RDF exports and GraphML; TriG and N-Quads, which hold the inferred triples too, once the parent hands
    those over."""
    files = write_exports(exports, out, ("ntriples", "turtle", "jsonld", "rdfxml", "graphml"))
    data = inferred.receive()
    if data:
        exports.__dict__["inferred_nt"] = data  # the cached property, filled with what the parent inferred
    return files + write_exports(exports, out, ("trig", "nquads"))


def write_inferred(exports, out: Path) -> list[Path]:
    path = out / INFERRED_FILE
    path.write_bytes(turtle_from_ntriples(exports.inferred_nt))
    return [path]


def write_ontology(exports, out: Path) -> list[Path]:
    """The ontology as Turtle and RDF/XML, and its reference page."""
    files = []
    for name, data in ((ONTOLOGY_FILE, turtle_from_ntriples(exports.ontology_nt)),
                       ("ontology.owl", rdfxml_from_ntriples(exports.ontology_nt))):
        (out / name).write_bytes(data)
        files.append(out / name)
    reference = out / "ontology.html"
    reference.write_text(reference_page(exports.ontology), encoding="utf-8")
    return files + [reference]


def write_search_names(exports, out: Path) -> list[Path]:
    """The names ``cbec-kg search`` looks through, read from the graph once here instead of at every search (in
    the process that draws the views: at 10^6 triples it has the least else to do)."""
    path = out / SEARCH_FILE
    path.write_bytes(search_names.dump(search_names.store_triples(exports.store)))
    return [path]


def write_views_of(project: Project, graph: Graph, out: Path, lang: str) -> list[Path]:
    from kg.present.views import write_views  # pyvis is only needed here

    return write_views(graph, out, lang, queries=project.queries_dir)


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
    lines = [f"built {result.dist}/cbec-kg.ttl: {triple_count(result.graph)} triples from {len(result.base.facts)} facts "
             f"in {len(result.base.sheets)} sheets ({result.seconds:.2f} s)", "", "entities per class:"]
    for name, count in sorted(result.entities_per_class().items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name:<28}{count:>6}")
    lines += ["", "facts per report part:"]
    order = {fid: i for i, fid in enumerate(result.base.facts)}
    for part, count in sorted(result.facts_per_part().items(), key=lambda kv: order.get(kv[0], 1 << 30)):
        lines.append(f"  {part:<28}{count:>6}")
    lines += ["", "files:"] + [f"  {f}" for f in result.files]
    return "\n".join(lines)
