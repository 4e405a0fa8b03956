"""``python -m kg`` is the ``cbec-kg`` command."""

from .cli import entry

entry()
