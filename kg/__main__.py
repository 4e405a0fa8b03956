"""``python -m kg`` is the ``cbec-kg`` command."""

from kg.cli import entry

entry()
