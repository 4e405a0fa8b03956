"""Shared fixtures: a built copy of the project in a temporary folder."""

from __future__ import annotations

import atexit
import compileall
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from kg.build import BuildResult, build, load
from kg.project import Project
from tests.support.server import serve_in_thread

ROOT = Path(__file__).resolve().parent.parent

#: what tools keep between processes (search's indexes, HermiT's class archive: kg.project.cache_folder) goes to a
#: folder of this test session, made by the first process (pytest-xdist's workers inherit it), not the user's ~/.cache
if "CBEC_KG_TEST_CACHE" not in os.environ:
    os.environ["CBEC_KG_TEST_CACHE"] = tempfile.mkdtemp(prefix="cbec-kg-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CBEC_KG_TEST_CACHE"], True)
os.environ["CBEC_KG_CACHE"] = os.environ["CBEC_KG_TEST_CACHE"]


#: the package's bytecode, written before the tests start (as Python writes it on a first import, unless
#: PYTHONDONTWRITEBYTECODE is set, as on some machines: then every process the tests start, each CLI run and
#: build, would compile the modules it imports again, some 0.05-0.3 s of CPU each); up-to-date files are left
if not os.environ.get("PYTEST_XDIST_WORKER"):
    compileall.compile_dir(ROOT / "kg", quiet=1)


def copy_project(dest: Path) -> Project:
    """A copy of the project's inputs (ontology, facts, queries) under ``dest``."""
    for folder in ("ontology", "facts", "queries"):
        shutil.copytree(ROOT / folder, dest / folder)
    if (ROOT / "web" / "node_modules").exists():          # YASGUI, installed by npm at set-up
        (dest / "web").mkdir()
        (dest / "web" / "node_modules").symlink_to(ROOT / "web" / "node_modules")
    return Project.find(dest)


#: the modules that take longest (builds, browsers, servers), run first: with several workers (pytest-xdist, each
#: module on one worker, addopts in pyproject.toml) the short modules fill in at the end, not one long one alone
FIRST = ("test_reliability", "test_fuzz", "test_views_browser", "test_export", "test_build", "test_editor_browser",
         "test_web_crawl", "test_stores", "test_ontology", "test_local_query", "test_docs", "test_bad_input",
         "test_fuzz_sheets", "test_views", "test_answer", "test_shacl_sparql", "test_propose", "test_documents",
         "test_statistics_explorer", "test_statistics_browser", "test_qa_browser")


def pytest_collection_modifyitems(items) -> None:
    rank = {name: i for i, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(FIRST)))   # stable: each module keeps its order


#: modules that share a session fixture costly to start, each group run by one worker so that the session starts
#: it once: one headless Chromium and one served build (``browser``, ``live_server``: seconds of CPU each, a
#: server with its query processes), which works while the other worker runs the rest; one Virtuoso (``virtuoso``:
#: some 10 s to start and load)
TOGETHER = {"browser and server": {"test_views_browser", "test_editor_browser", "test_statistics_browser",
                                   "test_qa_browser", "test_web_pages_browser", "test_browser_search", "test_answer",
                                   "test_serve"},
            "virtuoso": {"test_stores", "test_load"}}
GROUP = {module: group for group, modules in TOGETHER.items() for module in modules}


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's scheduling by module (``--dist loadscope``), but with each group of :data:`TOGETHER` one unit."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling  # only the controller of an xdist run needs it

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return GROUP.get(Path(module).stem, module)

    return ByModule(config, log)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuildResult:
    """The project built once for the whole session, into a temporary dist/; with several xdist workers, once
    for all of them (pytest-xdist's pattern: a lock in the folder the workers share, the first one builds, the
    others wait and read its build). Tests only read this project: one that writes takes ``built_project``."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(copy_project(tmp_path_factory.mktemp("project")), quiet=True)
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent      # this session's folder, above each worker's own
    root = shared / "built-project"
    with FileLock(str(shared / "built-project.lock")):
        if not (root / "dist").exists():                   # the first worker here, or one whose build failed
            return build(copy_project(root) if not root.exists() else Project.find(root), quiet=True)
    project = Project.find(root)
    graph, base, _, _ = load(project)                      # the build's graph and facts are what load makes
    return BuildResult(graph, base, project.dist, sorted(p for p in project.dist.rglob("*") if p.is_file()))


@pytest.fixture(scope="session")
def graph_file(built) -> Path:
    return built.dist / "cbec-kg.ttl"


@pytest.fixture(scope="session")
def live_server(built):
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    with serve_in_thread(create_app(Project(built.dist.parent), Limits(timeout=5.0, workers=2))) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso(built):
    """One Virtuoso for the session, holding the build (facts and inferences, each in its graph): test_stores asks it
    the saved queries, test_load loads into graphs of its own and clears them. Skipped without Virtuoso, but in CI."""
    from tests.support.stores import GRAPH_FACTS, GRAPH_INFERRED, start_virtuoso

    if shutil.which("virtuoso-t") is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must install Debian's virtuoso-opensource (see .ci/run)")
        pytest.skip("virtuoso-t not installed (virtuoso-opensource): Virtuoso's tests not run")
    store = start_virtuoso({GRAPH_FACTS: built.dist / "cbec-kg.nt", GRAPH_INFERRED: built.dist / "inferred.ttl"})
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session (each module skips itself without one:
    tests/support/browser.py's require_chromium)."""
    from tests.support.browser import chromium

    with chromium() as started:
        yield started


@pytest.fixture()
def project(tmp_path) -> Project:
    """A fresh, writable copy of the project for tests that change its inputs."""
    return copy_project(tmp_path)


@pytest.fixture()
def built_project(built, tmp_path) -> Project:
    """A fresh, writable copy of the project with a previous good build in dist/: the session's build, copied (its
    dist link is relative, so it points into the copy), not rebuilt."""
    root = tmp_path / "project"
    shutil.copytree(built.dist.parent, root, symlinks=True)
    return Project.find(root)


@pytest.fixture(scope="session")
def report_facts():
    """The project's own validated facts (not a copy): what the grounding and coverage checks read."""
    from kg.build import load

    return load(Project.find())[1]


@pytest.fixture(scope="session")
def report_source():
    """The report's text; tests that need it skip, saying so, where the file is absent."""
    from kg.checks.grounding import SourceText, default_source

    path = default_source(Project.find().root)
    if not path.exists():
        pytest.skip(f"source text not found at {path}: not checked")
    return SourceText.read(path)
