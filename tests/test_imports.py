"""Imports point down the layers of docs/architecture.md's picture, and sit at the top of a module.

One inside a function is a decision, and says why on its line (or on a comment line heading its run of imports):
start-up time of the commands that do not need it, a library only one path needs, or a back-edge listed in
docs/architecture.md. ``kg/commands/`` is the one exception, by rule: a command imports what it needs when it
runs, so every other command starts without it."""

from __future__ import annotations

import ast
from pathlib import Path

KG = Path(__file__).resolve().parent.parent / "kg"
BY_RULE = ("commands",)


def unexplained(folder: Path, exempt: tuple[str, ...] = BY_RULE) -> list[str]:
    """``file:line`` of every import inside a function under ``folder`` that says nothing of why it is there."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        if path.relative_to(folder).parts[0] in exempt:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for fn in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not explained(lines, node.lineno - 1):
                    found.append(f"{path.relative_to(folder)}:{node.lineno}")
    return sorted(set(found))


def explained(lines: list[str], i: int) -> bool:
    """The import on line ``i`` (0-based) has a comment, or a comment line heads its run of import lines."""
    if "#" in lines[i]:
        return True
    while i > 0 and lines[i - 1].strip().startswith(("import ", "from ")):
        i -= 1
    return i > 0 and lines[i - 1].strip().startswith("#")


def test_every_import_inside_a_function_says_why():
    assert unexplained(KG) == []


def test_the_check_sees_an_unexplained_import(tmp_path):
    (tmp_path / "mod.py").write_text(
        "import json\n\n"
        "def quiet():\n    import csv\n    return csv\n\n"
        "def said():\n    import gzip  # lazy: only here\n    return gzip\n\n"
        "def headed():\n    # lazy: both only here\n    import bz2\n    import lzma\n    return bz2, lzma\n",
        encoding="utf-8")
    (tmp_path / "commands").mkdir()
    (tmp_path / "commands" / "run.py").write_text("def go():\n    import csv\n    return csv\n", encoding="utf-8")
    assert unexplained(tmp_path) == ["mod.py:4"]
    assert unexplained(tmp_path, exempt=()) == ["commands/run.py:2", "mod.py:4"]


#: the layers of docs/architecture.md's picture, bottom up: a module imports from its own layer or one below
LAYERS = [("names.py", "__init__.py"), ("project.py", "quiet.py"), ("model", "sheets"), ("rdfio",), ("query",),
          ("checks", "present"), ("search",), ("web", "fork.py"), ("build.py",), ("commands",), ("cli.py",),
          ("__main__.py",)]
#: the back-edges docs/architecture.md lists ("Known exceptions")
BACK_EDGES = {("rdfio", "checks")}


def part(path: Path, folder: Path) -> str:
    """The sub-package (``query``) or top-level module (``build.py``) a module belongs to."""
    parts = path.relative_to(folder).parts
    return parts[0] if len(parts) > 1 else parts[0]


def upward(folder: Path, layers=LAYERS, allowed=BACK_EDGES) -> list[str]:
    """``file:line -> target`` of every import of ``kg`` that points to a higher layer and is not a listed back-edge."""
    rank = {name: i for i, names in enumerate(layers) for name in names}
    found = []
    for path in sorted(folder.rglob("*.py")):
        here = part(path, folder)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == folder.name:
                name = node.module.split(".")[1]
                there = name if (folder / name).is_dir() else f"{name}.py"
                if rank[there] > rank[here] and (here, there) not in allowed:
                    found.append(f"{path.relative_to(folder)}:{node.lineno} -> {there}")
    return found


def test_imports_point_down():
    assert set(part(p, KG) for p in KG.rglob("*.py")) == {name for names in LAYERS for name in names}
    assert upward(KG) == []


def test_the_check_sees_an_upward_import(tmp_path):
    kg = tmp_path / "kg"
    (kg / "query").mkdir(parents=True)
    (kg / "rdfio").mkdir()
    (kg / "query" / "a.py").write_text("from kg.rdfio.b import x\n", encoding="utf-8")
    (kg / "rdfio" / "b.py").write_text("x = 1\n\ndef f():\n    from kg.query.a import y\n", encoding="utf-8")
    assert upward(kg) == ["rdfio/b.py:4 -> query"]
    assert upward(kg, allowed={("rdfio", "query")}) == []
