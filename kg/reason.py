"""Reasoning: a consistency check with HermiT (owlready2), and materialised inferences.

Two jobs, two tools:

* ``consistency`` loads ontology + data into owlready2 and runs HermiT. An
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

import os
import subprocess
import tempfile
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal

from .errors import CheckError
from .ontology import bind_prefixes, local

NON_OWL_DATATYPES = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.gMonth, XSD.gDay, XSD.gMonthDay, XSD.duration}


def reasoner_input(graph: Graph) -> Graph:
    """A copy of the graph that HermiT can read."""
    copy = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in NON_OWL_DATATYPES:
            o = Literal(str(o))
        copy.add((s, p, o))
    return copy


def consistency(graph: Graph) -> None:
    """Run HermiT over ontology + data; raise CheckError if they are inconsistent."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="cbec-kg-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        reasoner_input(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise CheckError("the graph is inconsistent under OWL reasoning (HermiT):\n" + explain(graph)) from None
        except (owlready2.OwlReadyJavaError, subprocess.CalledProcessError, FileNotFoundError) as exc:
            lines = [ln for ln in str(exc).splitlines() if "Exception" in ln or "error" in ln.lower()]
            raise CheckError(f"the reasoner could not run: {' '.join(lines)[:400] or exc}") from None
        finally:
            world.close()


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


def infer(graph: Graph, ontology: Graph) -> Graph:
    """Triples entailed by the rules and not asserted, run to a fixpoint on Oxigraph."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    queries = rules(ontology)
    inferred = bind_prefixes(Graph())
    while True:
        new = set()
        for query in queries:
            for triple in store.query(query):
                quad = pyoxigraph.Quad(triple.subject, triple.predicate, triple.object)
                if quad not in store:
                    new.add(quad)
        if not new:
            break
        store.extend(new)
        for quad in new:
            inferred.add(_to_rdflib(quad))
    return inferred


def _to_rdflib(quad):
    from rdflib import BNode, URIRef

    def term(t):
        import pyoxigraph

        if isinstance(t, pyoxigraph.NamedNode):
            return URIRef(t.value)
        if isinstance(t, pyoxigraph.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    return term(quad.subject), term(quad.predicate), term(quad.object)


def environment_ok() -> bool:
    """Java is needed by HermiT."""
    return any(os.access(os.path.join(d, "java"), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep))
