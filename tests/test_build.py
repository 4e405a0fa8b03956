"""The build: graph and views in dist/, deterministic, atomic, readable by two parsers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph

from kg.build import build
from kg.names import STORE_DIR
from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent


def test_build_writes_graph_and_views(built):
    assert (built.dist / "cbec-kg.ttl").stat().st_size > 0
    assert (built.dist / "views" / "index.html").exists()
    assert (built.dist / "views" / "overview.html").exists()


def test_two_parsers_agree_on_triple_count(graph_file):
    g = Graph()
    g.parse(graph_file, format="turtle")
    with open(graph_file, "rb") as fh:
        ox = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) == len(ox)
    assert len(g) > 2000


def dist_files(dist: Path) -> dict[Path, bytes]:
    """Every file of a build but the on-disk store's (RocksDB's files carry ids and times; the store's content is
    compared triple by triple in test_disk_store_holds_the_graph_and_its_inferences) and CHANGES.md (it compares
    the build with the one it replaced, so its input differs: see no_change)."""
    return {p.relative_to(dist): p.read_bytes() for p in dist.rglob("*")
            if p.is_file() and p.relative_to(dist).parts[0] != STORE_DIR and p.name != "CHANGES.md"}


def no_change(dist: Path) -> bool:
    """A build of the same inputs as the build it replaced says it changed nothing."""
    return "No change: the two graphs hold the same triples." in (dist / "CHANGES.md").read_text(encoding="utf-8")


def test_disk_store_holds_the_graph_and_its_inferences(built):
    import pyoxigraph

    from kg.names import GRAPH_INFERRED
    from kg.rdfio.disk import open_disk_store

    store = open_disk_store(built.dist / STORE_DIR)
    nt = pyoxigraph.RdfFormat.N_TRIPLES
    asserted = {str(t) for t in pyoxigraph.parse(path=str(built.dist / "cbec-kg.nt"), format=nt)}
    inferred = {str(t) for t in pyoxigraph.parse(path=str(built.dist / "inferred.ttl"), format=pyoxigraph.RdfFormat.TURTLE)}
    held = {str(q.triple) for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())}
    held_inferred = {str(q.triple) for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(GRAPH_INFERRED))}
    assert held == asserted and len(held) > 2000
    assert held_inferred == inferred and len(inferred) > 1000


def test_build_after_opening_a_disk_store_in_the_same_process(built, project):
    """A process that had opened an on-disk store (RocksDB's threads running) and then built, writing the new store
    in a forked child, hung for ever; the store is now written by a thread of the building process."""
    script = ("import sys; from pathlib import Path; from kg.rdfio.disk import open_disk_store; from kg.build import build; "
              "from kg.project import Project; open_disk_store(Path(sys.argv[1])); "
              "build(Project.find(sys.argv[2]), quiet=True, reasoner=False); print('built')")
    done = subprocess.run([sys.executable, "-c", script, str(built.dist / STORE_DIR), str(project.root)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "built", done.stderr[-2000:]
    assert (project.dist / STORE_DIR / "CURRENT").exists()


def test_a_second_build_replaces_dist_atomically_with_the_same_files(built, built_project, monkeypatch):
    """A build over the session's (copied) replaces ``dist`` by switching its link to a new folder and removes the
    old one; it does in one process what the session's shared among forked ones (views, exports, inferences), and
    writes the same bytes. HermiT writes nothing into dist/, so it is skipped."""
    a = dist_files(built.dist)
    target = os.readlink(built_project.dist)
    monkeypatch.setenv("CBEC_KG_NO_FORK", "1")
    second = build(built_project, quiet=True, reasoner=False)
    b = dist_files(second.dist)
    assert a.keys() == b.keys() and len(a) > 20
    assert [k for k in a if a[k] != b[k]] == []
    assert no_change(second.dist)
    assert [k for k in a if k.name.startswith(".")] == []   # nothing handed over between processes is left behind
    assert built_project.dist.is_symlink() and os.readlink(built_project.dist) != target
    builds = [p for p in (built_project.root / ".dist").iterdir()]
    assert len(builds) == 1, builds


def cli_build_in(root: Path, *command: str, seed: str | None = None) -> None:
    """``command`` (the CLI's build by default) in a process of its own, on the project at ``root``, without HermiT
    (it writes nothing into dist/)."""
    env = dict(os.environ, CBEC_KG_ROOT=str(root), **({"PYTHONHASHSEED": seed} if seed else {}))
    done = subprocess.run([sys.executable, *(command or ("-m", "kg", "build")), "--quiet", "--no-reasoner"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory) -> tuple[Path, dict[Path, bytes]]:
    """A project built by the CLI in a process of its own (hash seed 1), and that build's files: what the builds of
    other processes are compared with."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("cli-build"))
    cli_build_in(project.root, seed="1")
    return project.root, dist_files(project.dist)


def test_build_py_in_another_process_builds_the_same(cli_build):
    """``python build.py`` builds what the CLI's build does; and hash seeds differ per process (1 for the CLI's,
    2 here), so output must not depend on set order."""
    root, first = cli_build
    cli_build_in(root, str(ROOT / "build.py"), seed="2")     # over the seed-1 build, in the same project
    second = dist_files(root / "dist")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert no_change(root / "dist")


def test_summary_counts_match_graph(built):
    from kg.build import summary

    text = summary(built)
    per_class = built.entities_per_class()
    assert per_class["Country"] >= 10
    assert per_class["BusinessModel"] == 7
    assert f"{len(built.graph)} triples" in text
    assert "table1" in text


def test_project_root_defaults_to_the_checkout():
    assert Project.find().ontology == ROOT / "ontology" / "cbec.ttl"


def test_synthetic_sheets_are_deterministic_and_build(tmp_path, monkeypatch):
    from bench.synth import generate, synthetic_facts

    # a partial copy of the report's sheets plus invented ones: fidelity to the report's text does not apply
    monkeypatch.delenv("CBEC_KG_SOURCE", raising=False)

    assert synthetic_facts(50, seed=3) == synthetic_facts(50, seed=3)
    project = generate(tmp_path / "synthetic", 200)
    result = build(project, quiet=True, reasoner=False)
    stats = result.entities_per_class()["Statistic"]
    assert stats == 200 + 40          # the synthetic figures and the 40 of 表1
    assert len(result.graph) > 200 * 12
