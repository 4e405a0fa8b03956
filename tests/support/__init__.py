"""Support for the tests: real stores (Oxigraph server, Virtuoso) for differential tests."""
