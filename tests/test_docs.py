"""The docs tell the truth, in the manner of sqlite-utils: every command of the README's tour runs and prints
what the README shows, every command's --help is the one in docs/cli.md, and the README's and
docs/architecture.md's maps of the package name every part of it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scripts.cli_docs import cli_reference, subcommands
from tests.conftest import copy_project
from tests.support.stores import free_port, oxigraph_binary, wait_http

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PROMPT = "$ .venv/bin/cbec-kg "


def tour() -> list[tuple[str, list[str]]]:
    """The tour's commands, each with the output lines the README shows under it."""
    block = README.split("## A short tour", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in block.strip("\n").split("\n"):
        if line.startswith(PROMPT):
            steps.append((line[len(PROMPT):], []))
        elif steps and line != "...":
            steps[-1][1].append(line)
    return steps


def package_parts() -> tuple[set[str], set[str]]:
    """(sub-packages as 'name/', modules directly under kg/ as 'name.py'), as the README names them."""
    kg = ROOT / "kg"
    packages = {f"{p.name}/" for p in kg.iterdir() if (p / "__init__.py").exists()}
    modules = {p.name for p in kg.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    return packages, modules


# --- --help ------------------------------------------------------------------------------------------------------

def test_cli_reference_is_the_programs_help():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == cli_reference(), "docs/cli.md is out of date: run 'python scripts/cli_docs.py'"


def test_every_command_has_help_and_is_in_the_reference():
    from kg.cli import parser

    top = parser()
    action = next(a for a in top._actions if a.__class__.__name__ == "_SubParsersAction")
    helped = {choice.dest: choice.help for choice in action._choices_actions}
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in subcommands(top):
        assert helped.get(name), f"'cbec-kg {name}' has no help text"
        assert f"## cbec-kg {name}\n" in written


# --- maps of the package -----------------------------------------------------------------------------------------

def test_readme_module_map_names_every_part_of_the_package():
    row = next(line for line in README.splitlines() if line.startswith("| `kg/` |"))
    named = (set(re.findall(r"`([a-z_]+/)`", row)) | set(re.findall(r"`([a-z_]+\.py)`", row))) - {"kg/"}
    packages, modules = package_parts()
    parts = packages | modules
    assert named == parts, f"missing: {sorted(parts - named)}, gone: {sorted(named - parts)}"


def test_architecture_names_every_module():
    missing = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        rel = path.relative_to(ROOT / "kg")
        if path.name == "__init__.py" or len(rel.parts) > 2:   # a sub-sub-package is named as a whole
            continue
        if f"`{path.name}`" not in ARCHITECTURE:
            missing.append(str(rel))
    packages, _ = package_parts()
    missing += [p for p in sorted(packages) if f"**`{p}`**" not in ARCHITECTURE]
    assert missing == [], f"docs/architecture.md does not describe {missing}"


# --- the tour ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tour_run(tmp_path_factory):
    """Every tour command run in order on a fresh copy of the project: [(command, exit code, stdout + stderr)].
    ``serve`` runs as its own process on a free port, ``load`` goes to an Oxigraph server on another."""
    from kg.checks.grounding import default_source

    if not default_source(ROOT).exists():
        pytest.skip("the report's text is not here: ground and coverage cannot run")
    root = tmp_path_factory.mktemp("tour")
    copy_project(root)
    ports = {"7878": str(free_port()), "7879": str(free_port())}
    started: list[subprocess.Popen] = []
    folder = tempfile.mkdtemp()
    results = []
    try:
        started.append(subprocess.Popen([oxigraph_binary(), "serve", "--location", folder, "--bind", f"127.0.0.1:{ports['7879']}"],
                                        stderr=subprocess.DEVNULL))
        for command, _ in tour():
            for readme_port, port in ports.items():
                command = command.replace(readme_port, port)
            args = ["--root", str(root)] + shlex.split(command, comments=True)
            if args[2] == "serve":
                started.append(subprocess.Popen([sys.executable, "-m", "kg"] + args, cwd=root,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                wait_http(f"http://127.0.0.1:{ports['7878']}/sparql?query=ASK%7B%7D")
                results.append((command, 0, ""))
                continue
            wait_http(f"http://127.0.0.1:{ports['7879']}/")
            done = subprocess.run([sys.executable, "-m", "kg"] + args, cwd=root, capture_output=True, text=True,
                                  env={**os.environ, "CBEC_KG_SOURCE": str(default_source(ROOT))})
            results.append((command, done.returncode, done.stdout + done.stderr))
    finally:
        for process in started:
            process.terminate()
            process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    return results


def test_the_tour_has_the_main_commands():
    names = {shlex.split(command, comments=True)[0] for command, _ in tour()}
    assert {"build", "queries", "query", "show", "serve", "export", "load", "ground", "coverage"} <= names


@pytest.mark.parametrize("step", range(len(tour())), ids=[c.split("#")[0].strip()[:40] for c, _ in tour()])
def test_tour_command_runs_and_prints_what_the_readme_shows(tour_run, step):
    command, code, output = tour_run[step]
    assert code == 0, f"'cbec-kg {command}' exited {code}:\n{output[-2000:]}"
    for shown in tour()[step][1]:
        expected = re.sub(r"\(\d+\.\d+ s\)$", "", shown).rstrip()   # a build step's time varies
        assert expected in output, f"'cbec-kg {command}' did not print {expected!r}"
