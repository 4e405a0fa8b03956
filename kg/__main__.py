"""``python -m kg`` is the ``cbec-kg`` command."""

import sys

from .cli import main

sys.exit(main())
