"""Presentation: views, charts, the ontology reference page, labels and templates."""
