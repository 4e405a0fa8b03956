"""Names the whole package shares, each defined once: IRIs, file names, structural classes, messages.

This module is the bottom layer: it imports nothing from ``kg``, and every other
module may import it.

>>> GRAPHS["inferred"]
'https://w3id.org/cbec-kg/graph/inferred'
>>> not_built("dist/cbec-kg.ttl")
"dist/cbec-kg.ttl not found: run 'cbec-kg build' first"
"""

from __future__ import annotations

#: every IRI the project mints starts here
BASE = "https://w3id.org/cbec-kg/"

#: the named graphs of the TriG and N-Quads exports, and of ``cbec-kg load``'s defaults
GRAPHS = {
    "ontology": f"{BASE}graph/ontology",
    "facts": f"{BASE}graph/facts",
    "inferred": f"{BASE}graph/inferred",
}
GRAPH_FACTS = GRAPHS["facts"]
GRAPH_INFERRED = GRAPHS["inferred"]

#: prefixes of results, exports and editors, in the order a result's IRI is matched against them
PREFIX_IRIS = {
    "cbo": f"{BASE}ontology#", "cbr": f"{BASE}resource/",
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#", "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/", "org": "http://www.w3.org/ns/org#", "vann": "http://purl.org/vocab/vann/",
}

# --- files in dist/ --------------------------------------------------------------------------------------------

GRAPH_FILE = "cbec-kg.ttl"         # ontology + asserted facts
NTRIPLES_FILE = "cbec-kg.nt"       # the same, as sorted N-Triples (what the search index and ``cbec-kg load`` read)
INFERRED_NT_FILE = "inferred.nt"   # the inferences as N-Triples, written by ``cbec-kg load --inferred`` when needed
INFERRED_FILE = "inferred.ttl"     # the materialised inferences
ONTOLOGY_FILE = "ontology.ttl"
STORE_DIR = "store"                # Oxigraph's on-disk store of the two files above (opened read-only)
SEARCH_FILE = "search-names.json"  # every resource's labels and aliases, and the classes, as ``cbec-kg search`` reads them

# --- structural classes (local names in cbo:) -----------------------------------------------------------------

#: the report's own structure: a block of one of these is a place, not a claim
REPORT_STRUCTURE = ("Report", "Section", "Table", "Figure", "Footnote")
#: the project's vocabulary of measures and units
MEASURES = ("Measure", "Unit")
#: classes whose blocks need no ``place`` in a fact sheet
PLACELESS = REPORT_STRUCTURE + MEASURES
#: classes that are not entities of the report's world: left out of the entity network (GraphML)
NOT_ENTITIES = ("Statistic", "Mention") + PLACELESS
#: classes that are not what the report is about (its structure, measures, figures and their sources): left out of
#: the network views (shown in tooltips instead) and of the subjects ``cbec-kg propose`` suggests
NOT_SUBJECTS = NOT_ENTITIES + ("Source",)


def not_built(path: object) -> str:
    """The message for an output of the build that is missing."""
    return f"{path} not found: run 'cbec-kg build' first"
