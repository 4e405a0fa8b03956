"""Reasoning: a consistency check with HermiT (owlready2), and materialised inferences.

Two jobs, two tools:

* ``consistency`` (or ``ConsistencyCheck``, which runs beside the rest of the
  build) runs HermiT, the jar owlready2 ships, over ontology + data. An
  inconsistent graph raises ``CheckError`` naming the individuals and the
  disjoint classes they fall into.
* ``infer`` materialises what users query for — inverse properties, transitive
  ``partOf``/``hasPart``, sub-property links, symmetric ``related`` and class
  membership through ``rdfs:subClassOf`` — with SPARQL CONSTRUCT rules run to a
  fixpoint on Oxigraph. The result is written to ``dist/inferred.ttl``, apart
  from the asserted graph; the query engine loads both. (owlrl's full forward
  chaining took minutes at 10^5 triples on this machine; these rules take
  milliseconds.)

HermiT accepts only the OWL 2 datatype map, which lacks ``xsd:date``,
``xsd:gYear`` and ``xsd:gYearMonth``: for the check, such literals are passed as
plain strings.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph

from .errors import CheckError
from .ontology import local

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


def hermit_command(path: Path, memory_mb: int = 2000) -> list[str]:
    """HermiT's own command line (the jar owlready2 ships), checking consistency only.

    Run directly rather than through owlready2, which first loads the graph into its own quadstore and asks
    HermiT to classify everything; ``-k`` (is owl:Thing satisfiable?) fails exactly when the graph is
    inconsistent. The JVM runs its quick compiler only (``TieredStopAtLevel=1``): this short job then takes
    about half the time.
    """
    spec = importlib.util.find_spec("owlready2")
    if spec is None or spec.origin is None:
        raise CheckError("the reasoner could not run: owlready2 (which ships HermiT) is not installed")
    folder = Path(spec.origin).parent / "hermit"
    classpath = os.pathsep.join([str(folder), str(folder / "HermiT.jar")])
    return ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-Xmx{memory_mb}M", "-cp", classpath,
            "org.semanticweb.HermiT.cli.CommandLine", "-k", path.as_uri()]


class ConsistencyCheck:
    """HermiT running in its own process beside the rest of the build; ``wait`` gives its verdict."""

    def __init__(self, graph: Graph, ntriples: bytes):
        self.graph = graph
        self.folder = Path(tempfile.mkdtemp(prefix="cbec-kg-reason-"))
        # RDF/XML: the format OWL API tries first, so HermiT reads it sooner than N-Triples
        import pyoxigraph

        path = self.folder / "graph.owl"
        triples = pyoxigraph.parse(reasoner_ntriples(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
        pyoxigraph.serialize(triples, str(path), format=pyoxigraph.RdfFormat.RDF_XML)
        try:
            self.process = subprocess.Popen(hermit_command(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise CheckError("the reasoner could not run: Java is not installed (HermiT needs it)") from None

    def wait(self) -> None:
        """Raise CheckError if the graph is inconsistent or HermiT failed."""
        try:
            out, err = self.process.communicate()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self.process.returncode == 0 and b"is satisfiable" in out:
            return
        text = (out + err).decode("utf-8", "replace")
        if "Inconsistent ontology" in text or "is not satisfiable" in text:
            raise CheckError("the graph is inconsistent under OWL reasoning (HermiT):\n" + explain(self.graph))
        lines = [ln.strip() for ln in text.splitlines() if "Exception" in ln or "error" in ln.lower()]
        raise CheckError(f"the reasoner could not run: {' '.join(lines)[:400] or text[-400:]}")

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def consistency(graph: Graph) -> None:
    """Run HermiT over ontology + data; raise CheckError if they are inconsistent."""
    from .serialize import sorted_ntriples

    ConsistencyCheck(graph, sorted_ntriples(graph)).wait()


def explain(graph: Graph) -> str:
    """Name individuals that belong to two classes declared disjoint."""
    ancestors = _ancestors(graph)
    groups = []
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        groups.append(list(graph.items(graph.value(axiom, OWL.members))))
    for a, b in graph.subject_objects(OWL.disjointWith):
        groups.append([a, b])
    lines = set()
    for individual in set(graph.subjects(RDF.type)):
        types = {t for t in graph.objects(individual, RDF.type) if t != OWL.NamedIndividual}
        closure = set().union(*(ancestors.get(t, {t}) for t in types)) if types else set()
        for group in groups:
            hit = sorted(c for c in group if c in closure)
            if len(hit) > 1:
                names = " and ".join(local(c) or str(c) for c in hit)
                asserted = ", ".join(sorted(local(t) or str(t) for t in types))
                lines.add(f"  {individual} is typed {asserted}, which makes it a member of disjoint classes {names}")
    return "\n".join(sorted(lines)) or "  (no individual in two disjoint classes: look at property domains and ranges)"


def _ancestors(graph: Graph) -> dict:
    parents: dict = {}
    for c, p in graph.subject_objects(RDFS.subClassOf):
        parents.setdefault(c, set()).add(p)
    result = {}
    for c in set(parents) | set(graph.subjects(RDF.type, OWL.Class)):
        seen, todo = {c}, [c]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        result[c] = seen
    return result


def rules(ontology: Graph) -> list[str]:
    """SPARQL CONSTRUCT rules derived from the ontology's axioms."""
    out = ["""CONSTRUCT { ?x a ?super } WHERE { ?x a ?c . ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super .
              FILTER (isIRI(?super)) }"""]
    for p, q in sorted(ontology.subject_objects(OWL.inverseOf)):
        out.append(f"CONSTRUCT {{ ?y <{q}> ?x }} WHERE {{ ?x <{p}> ?y }}")
        out.append(f"CONSTRUCT {{ ?y <{p}> ?x }} WHERE {{ ?x <{q}> ?y }}")
    for p in sorted(ontology.subjects(RDF.type, OWL.TransitiveProperty)):
        out.append(f"CONSTRUCT {{ ?x <{p}> ?z }} WHERE {{ ?x <{p}>/<{p}>+ ?z }}")
    for p in sorted(ontology.subjects(RDF.type, OWL.SymmetricProperty)):
        out.append(f"CONSTRUCT {{ ?y <{p}> ?x }} WHERE {{ ?x <{p}> ?y }}")
    for p, q in sorted(ontology.subject_objects(RDFS.subPropertyOf)):
        out.append(f"CONSTRUCT {{ ?x <{q}> ?y }} WHERE {{ ?x <{p}> ?y }}")
    return out


def infer(graph: Graph, ontology: Graph, ntriples: bytes | None = None) -> Graph:
    """Triples entailed by the rules and not asserted, run to a fixpoint on Oxigraph.

    Each rule runs as a SPARQL ``INSERT`` inside the store (no triple crosses into Python while the rules run);
    the rounds stop when the store stops growing, and the inferred triples are the store's lines that were not
    there before. ``ntriples`` is the graph as N-Triples, when the caller has it already.
    """
    import pyoxigraph

    from .graph import as_graph
    from .serialize import load_ntriples, sorted_ntriples

    store = pyoxigraph.Store()
    load_ntriples(store, ntriples if ntriples is not None else sorted_ntriples(graph))
    asserted = set(_lines(store))
    updates = ["INSERT" + rule[len("CONSTRUCT"):] for rule in rules(ontology)]
    size = len(store)
    while True:
        for update in updates:
            store.update(update)
        if len(store) == size:
            break
        size = len(store)
    found = pyoxigraph.Store()
    load_ntriples(found, b"\n".join(sorted(line for line in _lines(store) if line not in asserted)))
    return as_graph(found)


def _lines(store) -> list[bytes]:
    import pyoxigraph

    return store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()).splitlines()


def environment_ok() -> bool:
    """Java is needed by HermiT."""
    return any(os.access(os.path.join(d, "java"), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep))
