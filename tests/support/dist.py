"""What a build left in ``dist``, to compare before and after a build that must not change it."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot(dist: Path) -> dict:
    """Where ``dist`` points, and each file of that build with its size and time of last change: a build never
    writes into a published folder, and any write there, even of the same bytes, changes a file's time (stricter
    than comparing contents, and it reads no file)."""
    files: dict = {str(p.relative_to(dist)): (st.st_size, st.st_mtime_ns) for p in dist.rglob("*") if p.is_file()
                   for st in [p.stat()]}
    files["<link>"] = os.readlink(dist)
    return files
