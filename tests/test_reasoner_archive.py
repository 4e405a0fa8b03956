"""HermiT's JVM keeps its classes in an archive between runs; the verdicts are the same with it, without it, and
where it cannot be kept."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.checks.reason import class_archive, consistency, hermit_jar
from kg.sheets.errors import CheckError

TINY = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <https://example.org/> .
ex:Country a owl:Class ; owl:disjointWith ex:Platform .
ex:Platform a owl:Class .
ex:china a ex:Country .
"""


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    """Two disjoint classes and an individual in one (consistent), and then in both (inconsistent): small, since
    what is tested is the JVM's archive, not the ontology."""
    good = Graph().parse(data=TINY, format="turtle")
    bad = Graph().parse(data=TINY + "ex:china a ex:Platform .\n", format="turtle")
    return good, bad


def test_first_run_makes_the_archive_and_later_runs_use_it(graphs, tmp_path, monkeypatch):
    good, bad = graphs
    monkeypatch.setenv("CBEC_KG_CACHE", str(tmp_path))
    archive = class_archive(hermit_jar())
    assert archive is not None and archive.parent == tmp_path / "java" and not archive.exists()
    consistency(good)
    made = archive.stat()
    assert made.st_size > 1_000_000                       # HermiT's and the OWL API's classes
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]    # nothing half-written left beside it
    consistency(good)                                      # read, not written again
    assert archive.stat().st_mtime_ns == made.st_mtime_ns
    with pytest.raises(CheckError, match="inconsistent") as caught:
        consistency(bad)
    assert "china" in str(caught.value)


# In the two tests below a JVM that failed to start would raise "the reasoner could not run", not "inconsistent":
# the inconsistent graph alone shows that HermiT ran and gave its verdict.

def test_a_cache_that_cannot_be_made_leaves_the_check_as_it_was(graphs, tmp_path, monkeypatch):
    _, bad = graphs
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CBEC_KG_CACHE", str(blocked))
    assert class_archive(hermit_jar()) is None
    with pytest.raises(CheckError, match="inconsistent"):
        consistency(bad)


def test_a_broken_archive_is_ignored(graphs, tmp_path, monkeypatch):
    _, bad = graphs
    monkeypatch.setenv("CBEC_KG_CACHE", str(tmp_path))
    archive = class_archive(hermit_jar())
    assert archive is not None
    archive.write_bytes(b"not an archive")
    with pytest.raises(CheckError, match="inconsistent"):
        consistency(bad)
    assert archive.read_bytes() == b"not an archive"          # left as it was: it is not written over
