"""Reasoning: a consistency check with HermiT (owlready2), and materialised inferences.

Two jobs, two tools:

* ``consistency`` (or ``ConsistencyCheck``, which runs beside the rest of the
  build) runs HermiT, the jar owlready2 ships, over ontology + data. An
  inconsistent graph raises ``CheckError`` naming the individuals and the
  disjoint classes they fall into.
* ``infer`` materialises what users query for — inverse properties, transitive
  ``partOf``/``hasPart``, sub-property links, symmetric ``related`` and class
  membership through ``rdfs:subClassOf`` — with SPARQL rules run as ``INSERT``s to
  a fixpoint on Oxigraph. The result is written to ``dist/inferred.ttl``, apart
  from the asserted graph; the query engine loads both. (owlrl's full forward
  chaining took minutes at 10^5 triples on this machine; these rules take
  milliseconds.)

HermiT accepts only the OWL 2 datatype map, which lacks ``xsd:date``,
``xsd:gYear`` and ``xsd:gYearMonth``: for the check, such literals are passed as
plain strings.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import OWL, RDF, RDFS, XSD, Graph

from kg.model.ontology import ancestors, local
from kg.project import cache_folder
from kg.query.sources import ask
from kg.rdfio.serialize import dump, load_ntriples, sorted_lines, sorted_ntriples, store_of
from kg.rdfio.store import as_graph
from kg.sheets.errors import CheckError

NON_OWL_DATATYPES = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.gMonth, XSD.gDay, XSD.gMonthDay, XSD.duration}


_NON_OWL_TYPED = re.compile(rb'("(?:[^"\\]|\\.)*")\^\^<(?:' + b"|".join(re.escape(str(t).encode()) for t in sorted(NON_OWL_DATATYPES))
                            + rb")>")


ANNOTATION_TYPE = f" <{RDF.type}> <{OWL.AnnotationProperty}> .".encode()


def reasoner_ntriples(data: bytes) -> bytes:
    """N-Triples that HermiT can read, and only what bears on consistency: literals of non-OWL datatypes become
    plain strings, and annotation assertions (labels, comments, definitions: a third of the report's triples,
    with no logical meaning in OWL 2) are left out; the declarations stay."""
    lines = data.splitlines()
    annotations = {f"<{RDFS.label}>".encode(), f"<{RDFS.comment}>".encode()}
    annotations |= {line[:-len(ANNOTATION_TYPE)] for line in lines if line.endswith(ANNOTATION_TYPE)}
    kept = [line for line in lines if line.split(b" ", 2)[1:2] and line.split(b" ", 2)[1] not in annotations]
    return _NON_OWL_TYPED.sub(rb"\1", b"\n".join(kept) + b"\n")


def hermit_jar() -> Path:
    """The HermiT jar owlready2 ships."""
    spec = importlib.util.find_spec("owlready2")
    if spec is None or spec.origin is None:
        raise CheckError("the reasoner could not run: owlready2 (which ships HermiT) is not installed")
    return Path(spec.origin).parent / "hermit" / "HermiT.jar"


def class_archive(jar: Path) -> Path | None:
    """Where the JVM keeps the classes HermiT loads, ready to map (class data sharing: about a third of HermiT's
    start-up): in :func:`kg.project.cache_folder`, named after this Java and this jar, so that another of either
    makes another archive. None when there is no Java, or the folder cannot be made."""
    java = shutil.which("java")
    if java is None:
        return None
    key = hashlib.sha256()
    for path in (Path(java).resolve(), jar):
        stat = path.stat()
        key.update(f"{path} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    folder = cache_folder("java")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"hermit-{key.hexdigest()[:16]}.jsa"


def hermit_command(path: Path, memory_mb: int = 2000, archive: Path | None = None, making: Path | None = None) -> list[str]:
    """HermiT's own command line (the jar owlready2 ships), checking consistency only.

    Run directly rather than through owlready2, which first loads the graph into its own quadstore and asks
    HermiT to classify everything; ``-k`` (is owl:Thing satisfiable?) fails exactly when the graph is
    inconsistent. The JVM runs its quick compiler only (``TieredStopAtLevel=1``): this short job then takes
    about half the time. With ``archive`` the JVM maps the classes it archived on an earlier run (a missing or
    stale archive is ignored); with ``making`` it writes such an archive there as it exits.
    """
    sharing = [f"-XX:SharedArchiveFile={archive}"] if archive else [f"-XX:ArchiveClassesAtExit={making}"] if making else []
    return ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-Xmx{memory_mb}M", "-Xlog:cds=off",
            *sharing, "-cp", str(hermit_jar()), "org.semanticweb.HermiT.cli.CommandLine", "-k", path.as_uri()]


class ConsistencyCheck:
    """HermiT running in its own process beside the rest of the build; ``wait`` gives its verdict."""

    def __init__(self, graph: Graph, ntriples: bytes, folder: Path | None = None):
        """``folder`` (made here, removed when HermiT is done) holds HermiT's input; by default a temporary one.
        The build gives one inside its staging folder, so a killed build leaves nothing behind there either."""
        self.graph = graph
        if folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="cbec-kg-reason-"))
        else:
            folder.mkdir()
            self.folder = folder
        # RDF/XML: the format OWL API tries first, so HermiT reads it sooner than N-Triples
        path = self.folder / "graph.owl"
        triples = pyoxigraph.parse(reasoner_ntriples(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
        pyoxigraph.serialize(triples, str(path), format=pyoxigraph.RdfFormat.RDF_XML)
        self.archive = class_archive(hermit_jar())
        # the first run makes the archive, under a name of its own until it is whole (builds may run side by side)
        self.making = None
        if self.archive is not None and not self.archive.exists():
            self.making = self.archive.with_name(f".{self.archive.name}.{os.getpid()}")
        command = hermit_command(path, archive=None if self.making else self.archive, making=self.making)
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise CheckError("the reasoner could not run: Java is not installed (HermiT needs it)") from None

    def wait(self) -> None:
        """Raise CheckError if the graph is inconsistent or HermiT failed."""
        try:
            out, err = self.process.communicate()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self.making is not None:
            self.keep_archive()
        # a verdict printed stands even when the archive could not be written as the JVM exited (status 1)
        if b"is satisfiable" in out and (self.process.returncode == 0 or self.making is not None):
            return
        text = (out + err).decode("utf-8", "replace")
        if "Inconsistent ontology" in text or "is not satisfiable" in text:
            raise CheckError("the graph is inconsistent under OWL reasoning (HermiT):\n" + explain(self.graph))
        lines = [ln.strip() for ln in text.splitlines() if "Exception" in ln or "error" in ln.lower()]
        raise CheckError(f"the reasoner could not run: {' '.join(lines)[:400] or text[-400:]}")

    def keep_archive(self) -> None:
        """The archive the JVM wrote as it exited, under its own name (or nothing, if it wrote none)."""
        assert self.making is not None and self.archive is not None
        with contextlib.suppress(OSError):
            os.replace(self.making, self.archive)
        with contextlib.suppress(OSError):
            self.making.unlink()

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.making is not None:
            with contextlib.suppress(OSError):
                self.making.unlink()


def consistency(graph: Graph) -> None:
    """Run HermiT over ontology + data; raise CheckError if they are inconsistent."""
    ConsistencyCheck(graph, sorted_ntriples(graph)).wait()


def explain(graph: Graph) -> str:
    """Name individuals that belong to two classes declared disjoint."""
    ancestors = _ancestors(graph)
    groups = []
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(axiom, OWL.members)
        if members is not None:
            groups.append(list(graph.items(members)))
    for a, b in graph.subject_objects(OWL.disjointWith):
        groups.append([a, b])
    lines = set()
    for individual in set(graph.subjects(RDF.type)):
        types = {t for t in graph.objects(individual, RDF.type) if t != OWL.NamedIndividual}
        closure = set().union(*(ancestors.get(t, {t}) for t in types)) if types else set()
        for group in groups:
            hit = sorted((c for c in group if c in closure), key=str)
            if len(hit) > 1:
                names = " and ".join(local(c) or str(c) for c in hit)
                asserted = ", ".join(sorted(local(t) or str(t) for t in types))
                lines.add(f"  {individual} is typed {asserted}, which makes it a member of disjoint classes {names}")
    return "\n".join(sorted(lines)) or "  (no individual in two disjoint classes: look at property domains and ranges)"


def _ancestors(graph: Graph) -> dict:
    parents: dict = {}
    for c, p in graph.subject_objects(RDFS.subClassOf):
        parents.setdefault(c, set()).add(p)
    return {c: ancestors(parents, c) for c in set(parents) | set(graph.subjects(RDF.type, OWL.Class))}


@dataclass(frozen=True)
class Rule:
    """One rule: the predicates its pattern reads, the one it writes, what it adds (``template``) where its
    pattern (``where``) matches.

    Each rule is closed under itself (paths use ``+``; an inverse or symmetric rule gives back triples that are
    there already), so what it writes never calls for running it again.
    """

    reads: tuple[str, ...]
    writes: str
    template: str
    where: str


def rule_set(ontology: Graph) -> list[Rule]:
    """The rules derived from the ontology's axioms."""
    sub, rdf_type = str(RDFS.subClassOf), str(RDF.type)
    out = [Rule((rdf_type, sub), rdf_type, "?x a ?super", f"?x a ?c . ?c <{sub}>+ ?super . FILTER (isIRI(?super))")]
    for p, q in sorted(ontology.subject_objects(OWL.inverseOf), key=lambda pq: (str(pq[0]), str(pq[1]))):
        out.append(Rule((str(p),), str(q), f"?y <{q}> ?x", f"?x <{p}> ?y"))
        out.append(Rule((str(q),), str(p), f"?y <{p}> ?x", f"?x <{q}> ?y"))
    for p in sorted(ontology.subjects(RDF.type, OWL.TransitiveProperty), key=str):
        out.append(Rule((str(p),), str(p), f"?x <{p}> ?z", f"?x <{p}>/<{p}>+ ?z"))
    for p in sorted(ontology.subjects(RDF.type, OWL.SymmetricProperty), key=str):
        out.append(Rule((str(p),), str(p), f"?y <{p}> ?x", f"?x <{p}> ?y"))
    for p, q in sorted(ontology.subject_objects(RDFS.subPropertyOf)):
        out.append(Rule((str(p),), str(q), f"?x <{q}> ?y", f"?x <{p}> ?y"))
    return out


NEW = "urn:x-cbec-kg:inferred"


def inferred_ntriples(graph: Graph, ontology: Graph) -> bytes:
    """The triples entailed by the rules and not asserted, as sorted N-Triples; run to a fixpoint on Oxigraph.

    The rules run in the graph's own store (no copy), each as a SPARQL ``INSERT`` (no triple crosses into Python
    while they run) that adds what it finds and the graph lacks, to the graph and to a named graph that
    collects them. A rule runs only when an ``ASK`` finds something to add and a predicate it reads has grown
    since it last ran (counting the store to see it grow would cost more than the rules: ``len`` walks every
    triple); the rounds stop when no rule adds anything. Then the collected triples are read and taken out
    again, leaving the graph as it was.
    """
    store = store_of(graph)
    found = rule_set(ontology)
    grown: dict[str, int] = {}                    # predicate -> how many times a rule added to it
    last: dict[int, tuple] = {}                   # rule -> those counts for its predicates when it last ran
    try:
        again = True
        while again:
            again = False
            for i, rule in enumerate(found):
                if last.get(i) == tuple(grown.get(p, 0) for p in rule.reads):
                    continue
                where = f"{rule.where} FILTER NOT EXISTS {{ {rule.template} }}"
                if ask(store, f"ASK {{ {where} }}").boolean:
                    store.update(f"INSERT {{ {rule.template} GRAPH <{NEW}> {{ {rule.template} }} }} WHERE {{ {where} }}")
                    grown[rule.writes] = grown.get(rule.writes, 0) + 1
                    again = True
                last[i] = tuple(grown.get(p, 0) for p in rule.reads)
        return sorted_lines(dump(store, pyoxigraph.NamedNode(NEW)))
    finally:
        store.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{NEW}> {{ ?s ?p ?o }} }} ; DROP SILENT GRAPH <{NEW}>")


def infer(graph: Graph, ontology: Graph) -> Graph:
    """The inferred triples (``inferred_ntriples``) as a graph: rdflib's API over an Oxigraph store."""
    store = pyoxigraph.Store()
    load_ntriples(store, inferred_ntriples(graph, ontology))
    return as_graph(store)
