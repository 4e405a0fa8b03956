"""The HTTP server: the SPARQL protocol and the workbench pages."""
