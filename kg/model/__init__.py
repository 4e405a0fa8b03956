"""The model: the ontology's vocabulary and the mapping of facts to triples."""
