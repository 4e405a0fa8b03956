"""Checks of the data: SHACL (compiled to SPARQL, pySHACL as reference), HermiT, grounding in the text, coverage."""
