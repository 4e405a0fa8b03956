"""Every module of the package stays small enough to read in one sitting: at most 400 lines (STYLE.md)."""

from __future__ import annotations

from pathlib import Path

KG = Path(__file__).resolve().parent.parent / "kg"
LIMIT = 400


def long_modules(folder: Path, limit: int = LIMIT) -> dict[str, int]:
    """The modules under ``folder`` longer than ``limit`` lines, each with its count."""
    counts = {str(p.relative_to(folder)): len(p.read_text(encoding="utf-8").splitlines()) for p in folder.rglob("*.py")}
    return {name: n for name, n in sorted(counts.items()) if n > limit}


def test_no_module_is_over_400_lines():
    assert long_modules(KG) == {}


def test_the_check_sees_a_long_module(tmp_path):
    (tmp_path / "short.py").write_text("x = 1\n" * LIMIT, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "long.py").write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
    assert long_modules(tmp_path) == {"sub/long.py": LIMIT + 1}
