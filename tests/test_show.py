"""``cbec-kg show``: the entity card read from the build's on-disk Oxigraph store (no rdflib loaded) is the card
read from the Turtle through rdflib, and ``show`` falls back to the Turtle when there is no store."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from rdflib import RDF, URIRef

from kg.cli import main
from kg.commands.output import find_or_suggest
from kg.model.ontology import CBO, CBR
from kg.project import Project
from kg.query.saved import open_graph
from kg.rdfio.disk import open_disk_store
from kg.web.context import source_text
from kg.web.entity import card, render_text

#: classes a card is asked for beside the busiest nodes: each words its rows differently
CLASSES = ("Statistic", "Policy", "Event", "Law", "Section", "Table", "Footnote", "Company", "Brand", "Country")


@pytest.fixture(scope="module")
def asserted(built):
    return open_graph(built.dist / "cbec-kg.ttl", "rdflib", inferred=False)


@pytest.fixture(scope="module")
def store(built):
    return open_disk_store(built.dist / "store")


def sample(graph) -> list[URIRef]:
    """The twelve resources most written about, and the first resource of each class of ``CLASSES``."""
    count: dict = {}
    for s, _, o in graph:
        for node in (s, o):
            if isinstance(node, URIRef) and str(node).startswith(str(CBR)):
                count[node] = count.get(node, 0) + 1
    nodes = sorted(count, key=lambda n: (-count[n], str(n)))[:12]
    for cls in CLASSES:
        members = sorted(graph.subjects(RDF.type, CBO[cls]), key=str)
        assert members, f"no {cls} in the graph"
        nodes.append(members[0])
    return list(dict.fromkeys(nodes))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_card_from_the_store_is_the_card_from_rdflib(built, asserted, store, lang):
    texts = source_text(built.dist.parent, asserted)
    for node in sample(asserted):
        from_store, from_rdflib = card(store, node, lang, texts), card(asserted, node, lang, texts)
        assert from_store == from_rdflib, node
        assert from_store.facts or from_store.inbound or from_store.figures, f"{node}: an empty card"


def test_a_label_is_found_as_the_graphs_own_terms(asserted, store):
    from pyoxigraph import NamedNode

    assert find_or_suggest(store, "菜鸟") == [NamedNode(str(CBR.cainiao))]
    assert find_or_suggest(asserted, "菜鸟") == [CBR.cainiao]            # rdflib's term, for ``view``
    with pytest.raises(LookupError, match="did you mean: 菜鸟"):
        find_or_suggest(store, "菜鸡")


def test_show_loads_no_rdflib(built):
    assert (built.dist / "store" / "CURRENT").exists()
    program = ("import sys\nfrom kg.cli import main\n"
               f"code = main(['--root', {str(built.dist.parent)!r}, 'show', '速卖通', '--lang', 'en'])\n"
               "print('exit', code, 'rdflib loaded', 'rdflib' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("AliExpress / 速卖通\n")
    assert done.stdout.rstrip().endswith("exit 0 rdflib loaded False")


def test_show_without_the_store_reads_the_turtle(built, built_project, capsys):
    assert main(["--root", str(built.dist.parent), "show", "菜鸟"]) == 0
    from_store = capsys.readouterr().out
    shutil.rmtree(Project.find(built_project.root).store_dir)
    assert main(["--root", str(built_project.root), "show", "菜鸟"]) == 0
    assert capsys.readouterr().out == from_store
    assert from_store.startswith("菜鸟网络 / Cainiao Network\n")
    assert render_text(card(open_disk_store(built.dist / "store"), CBR.cainiao, "zh"), "zh") + "\n" == from_store
