"""Build everything into dist/: ``python build.py`` is ``cbec-kg build``."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
