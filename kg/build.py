"""The build: ontology + fact sheets -> checked graph -> files in ``dist/``.

Every output is written into a fresh folder under ``.dist/``; only when all of
them are written does ``dist`` (a symbolic link) switch to it, in one atomic
rename. A build that fails or is killed leaves the previous ``dist`` as it was.
"""

from __future__ import annotations

import os
import pickle
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


@dataclass
class BuildResult:
    graph: Graph
    base: FactBase
    dist: Path
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def _pairs(self, predicate) -> list[tuple[str, str]]:
        """(subject, object) of every triple with ``predicate``, as strings (read from the store when there is one)."""
        from .serialize import oxigraph_store

        store = oxigraph_store(self.graph)
        if store is None:
            return [(str(s), str(o)) for s, o in self.graph.subject_objects(predicate)]
        import pyoxigraph

        return [(q.subject.value, q.object.value) for q in
                store.quads_for_pattern(None, pyoxigraph.NamedNode(str(predicate)), None, pyoxigraph.DefaultGraph())]

    def entities_per_class(self) -> Counter:
        counts: Counter = Counter()
        for s, cls in self._pairs(RDF.type):
            name = local(cls)
            if name and s.startswith("https://w3id.org/cbec-kg/resource/"):
                counts[name] += 1
        return counts

    def facts_per_part(self) -> Counter:
        counts: Counter = Counter()
        for _, place in self._pairs(CBO.statedIn):
            counts[place.rsplit("/", 1)[-1]] += 1
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


def start_checks(project: Project, graph: Graph, ontology: Graph, progress: Callable[[str], None], reasoner: bool = True,
                 base: FactBase | None = None, ntriples: bytes | None = None, shacl: str = "sparql", after_start=None):
    """Start HermiT in its own process, then validate with SHACL while it works; return the running check.

    A SHACL violation on a resource that a fact sheet defines is reported at that
    block's file and line, with the property as the field.
    """
    from .reason import ConsistencyCheck
    from .serialize import sorted_ntriples

    running = None
    if reasoner:
        progress("checking consistency with HermiT (in its own process, beside the next steps)")
        running = ConsistencyCheck(graph, ntriples if ntriples is not None else sorted_ntriples(graph))
    else:
        progress("reasoner skipped (--no-reasoner)")
    try:
        if after_start is not None:
            after_start()
        progress(f"validating with SHACL shapes {project.shapes.relative_to(project.root)} ({shacl})")
        found = shacl_violations(graph, project.shapes, shacl)
        if found:
            shown = "\n".join(f"  {locate_violation(v, base)}" for v in found[:40])
            more = f"\n  ... and {len(found) - 40} more" if len(found) > 40 else ""
            raise CheckError(f"SHACL: {len(found)} violation(s) (focus node: path: message)\n{shown}{more}")
    except BaseException:
        if running is not None:
            running.cancel()
        raise
    return running


def shacl_violations(graph: Graph, shapes_path: Path, engine: str = "sparql") -> list:
    """SHACL results: with ``engine`` "sparql", the shapes compiled to SPARQL on Oxigraph when they allow it;
    otherwise (or with "pyshacl") pySHACL, the reference, on a copy in rdflib's memory store."""
    from .serialize import oxigraph_store
    from .shapes import load_shapes, violations

    shapes = load_shapes(shapes_path)
    store = oxigraph_store(graph)
    if store is None:
        return violations(graph, shapes)
    if engine == "sparql":
        from . import shacl_sparql

        try:
            return shacl_sparql.violations(store, shapes, shacl_sparql.compile_shapes(shapes))
        except shacl_sparql.Unsupported:
            pass
    from .graph import memory_graph

    return violations(memory_graph(store), shapes)


def infer_step(graph: Graph, ontology: Graph, progress: Callable[[str], None], ntriples: bytes | None = None) -> Graph:
    from .reason import infer

    progress("materialising inferences (inverse, transitive, sub-class and sub-property rules)")
    return infer(graph, ontology, ntriples)


def locate_violation(violation, base: FactBase | None) -> str:
    fact = base.facts.get(violation.focus.removeprefix("cbr:")) if base else None
    if fact is None:
        return str(violation)
    field = violation.path.removeprefix("cbo:")
    return f"{fact.file}:{fact.line_of(field)}: field '{field}': {violation.message} ({violation.focus})"


def build(project: Project, quiet: bool = False, reasoner: bool = True, lang: str = "zh", shacl: str = "sparql") -> BuildResult:
    from .export import Exports

    t0 = time.perf_counter()
    progress = Progress(total=8, quiet=quiet)
    graph, base, vocab, ontology = load(project, progress)
    exports = Exports(graph, ontology, None)
    builds = project.dist.parent / ".dist"
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
    os.chmod(staging, 0o755)
    running = views = None

    def draw() -> None:
        # The views need only the asserted graph: drawn in a forked process (the other core) while the checks run.
        nonlocal views
        store = exports.store  # made before the fork, so both processes have it
        views = in_child(lambda: write_views_of(project, graph, store, staging / "views", lang))

    try:
        running = start_checks(project, graph, ontology, progress, reasoner, base, exports.all, shacl, after_start=draw)
        exports.inferred = infer_step(graph, ontology, progress, exports.all)
        progress("writing outputs")
        files = write_outputs(project, exports, staging)
        files += views()
        views = None
        if running is not None:
            progress("waiting for HermiT's verdict, then publishing")
            running.wait()
            running = None
        else:
            progress(f"publishing {project.dist.name}/")
        publish(staging, project.dist)
    except BaseException:
        if running is not None:
            running.cancel()
        if views is not None:
            try:
                views()
            except BaseException:  # noqa: BLE001 - the first error is the one to report
                pass
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = BuildResult(graph, base, project.dist, [project.dist / f.relative_to(staging) for f in files])
    result.seconds = time.perf_counter() - t0
    return result


def write_outputs(project: Project, exports, out: Path) -> list[Path]:
    """The exports, the inferences, the ontology files and its reference page, into ``out`` (the views are drawn apart)."""
    from .export import rdfxml_from_ntriples, write_exports
    from .reference import render as reference_page
    from .serialize import turtle_from_ntriples

    files = write_exports(exports, out)
    for name, data in (("inferred.ttl", turtle_from_ntriples(exports.inferred_nt)),
                       ("ontology.ttl", turtle_from_ntriples(exports.ontology_nt)),
                       ("ontology.owl", rdfxml_from_ntriples(exports.ontology_nt))):
        (out / name).write_bytes(data)
        files.append(out / name)
    reference = out / "ontology.html"
    reference.write_text(reference_page(exports.ontology), encoding="utf-8")
    files.append(reference)
    return files


def write_views_of(project: Project, graph: Graph, store, out: Path, lang: str) -> list[Path]:
    from .views import write_views  # pyvis is only needed here

    return write_views(graph, out, lang, queries=project.queries_dir, store=store)


def in_child(work: Callable[[], list[Path]]) -> Callable[[], list[Path]]:
    """Start ``work`` in a forked process; return a function that waits for it and gives its result (or raises its error).

    Where ``fork`` is missing, or when ``CBEC_KG_NO_FORK`` is set, the work is done right here instead.
    """
    if not hasattr(os, "fork") or os.environ.get("CBEC_KG_NO_FORK"):
        result = work()
        return lambda: result
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send back the result or the error, and leave without any clean-up of the parent's
        code = 0
        try:
            os.close(read)
            try:
                payload = pickle.dumps(("ok", work()))
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                try:
                    payload = pickle.dumps(("error", exc))
                except Exception:  # noqa: BLE001 - an error that cannot be pickled goes back as its text
                    payload = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(write, "wb") as fh:
                fh.write(payload)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write)

    def wait() -> list[Path]:
        with os.fdopen(read, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"the process writing the views stopped (status {status})")
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        return value
    return wait


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
    from .serialize import triple_count

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
