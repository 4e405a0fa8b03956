"""Scale benchmark: synthetic fact sheets of growing size, built, loaded into stores and queried.

    python bench/scale.py [--sizes 1000 10000 74000] [--repeat 5] [--no-reasoner] [--format json|yaml]

For each size (number of synthetic statistics, written by kg.synth in the project's own sheet format)
it prints, side by side: build time (a fresh process running every check and export), triples per
second, peak memory of the build process, load time into Oxigraph and into Virtuoso, and the median
latency of each saved query on rdflib's in-memory engine, on rdflib with the Oxigraph store (oxrdflib),
on Oxigraph server and on Virtuoso. The first lines time the real report's build (three fresh processes)
and each saved query on the embedded default (rdflib over Oxigraph) against the 5 ms target. 74,000
synthetic statistics make about 10^6 triples. rdflib's in-memory engine is skipped above
``--rdflib-max`` triples (it took 47 s a query at 10^6).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import generate
from kg.project import Project
from kg.query.saved import catalogue, open_graph, prepare
from tests.support.stores import GRAPH_FACTS, GRAPH_INFERRED, sparql_select, start_oxigraph, start_virtuoso


def timed_build(root: Path, reasoner: bool) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB of the build process, triples) for a build in a fresh process."""
    args = [sys.executable, "-m", "kg", "--root", str(root), "build", "--quiet"] + ([] if reasoner else ["--no-reasoner"])
    t0 = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - t0
    out = process.stdout.read().decode()
    if status != 0:
        raise RuntimeError(process.stderr.read().decode()[-2000:])
    triples = int(out.split(": ", 1)[1].split(" triples", 1)[0])
    return seconds, usage.ru_maxrss // 1024, triples


def median_ms(run, texts: list[str], repeat: int) -> dict[int, float]:
    out = {}
    for i, text in enumerate(texts):
        run(text)
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run(text)
            samples.append(time.perf_counter() - t0)
        out[i] = statistics.median(samples) * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 74000])
    parser.add_argument("--format", choices=["json", "yaml"], default="json", help="synthetic sheets' format")
    parser.add_argument("--reasoner-max", type=int, default=10_000,
                        help="synthetic builds with more statistics than this skip HermiT (--no-reasoner)")
    parser.add_argument("--rdflib-max", type=int, default=200_000, help="skip rdflib's memory engine above this many triples")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-reasoner", action="store_true", help="skip HermiT in the builds")
    parser.add_argument("--no-virtuoso", action="store_true")
    args = parser.parse_args()
    reasoner = not args.no_reasoner
    project = Project.find()
    names = [q.name for q in catalogue(project.queries_dir)]
    texts = [prepare(q.text, "zh") for q in catalogue(project.queries_dir)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"reasoner {'on' if reasoner else 'off'}; synthetic sheets in {args.format}; {len(texts)} saved queries, "
          f"median of {args.repeat} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        import shutil

        report = Path(tmp) / "report"
        for folder in ("ontology", "facts", "queries"):
            shutil.copytree(project.root / folder, report / folder)
        runs = [timed_build(report, reasoner) for _ in range(3)]
        seconds = statistics.median(r[0] for r in runs)
        triples, rss = runs[0][2], max(r[1] for r in runs)
        print(f"\nthe report: {triples} triples, build {seconds:.2f} s median of 3 fresh processes "
              f"({', '.join(f'{r[0]:.2f}' for r in runs)}; all checks and exports), peak {rss} MB; target 3 s")
        g_report = open_graph(report / "dist" / "cbec-kg.ttl", "oxigraph")
        report_ms = median_ms(lambda q, g=g_report: list(g.query(q)), texts, args.repeat)
        slow = sorted(((ms, names[i]) for i, ms in report_ms.items() if ms >= 5), reverse=True)
        worst = max(report_ms, key=report_ms.get)
        print(f"saved queries on the report, embedded default (oxrdflib): median {statistics.median(report_ms.values()):.2f} ms, "
              f"slowest {report_ms[worst]:.2f} ms ({names[worst]}); {len(slow)} of {len(texts)} at or over 5 ms"
              + (": " + ", ".join(f"{n} {ms:.1f}" for ms, n in slow) if slow else ""))
        del g_report
        print(f"synthetic builds above {args.reasoner_max} statistics run without HermiT")
        header = (f"{'statistics':>10}{'triples':>10}{'build s':>9}{'triples/s':>11}{'peak MB':>9}{'load ox s':>10}"
                  f"{'load virt s':>12}{'rdflib ms':>11}{'oxrdflib ms':>12}{'ox server ms':>13}{'virtuoso ms':>12}")
        print("\n" + header)
        per_query = {}
        for size in args.sizes:
            root = Path(tmp) / f"synthetic-{size}"
            generate(root, size, fmt=args.format)
            seconds, rss, triples = timed_build(root, reasoner and size <= args.reasoner_max)
            dist = root / "dist"
            files = {GRAPH_FACTS: dist / "cbec-kg.nt", GRAPH_INFERRED: dist / "inferred.ttl"}
            engines = {}
            if triples <= args.rdflib_max:
                g_mem = open_graph(dist / "cbec-kg.ttl", "rdflib")
                engines["rdflib"] = median_ms(lambda q, g=g_mem: list(g.query(q)), texts, args.repeat)
                del g_mem
            g_ox = open_graph(dist / "cbec-kg.ttl", "oxigraph")
            engines["oxrdflib"] = median_ms(lambda q, g=g_ox: list(g.query(q)), texts, args.repeat)
            del g_ox
            ox = start_oxigraph(files)
            try:
                engines["ox server"] = median_ms(lambda q, url=ox.endpoint: sparql_select(url, q), texts, args.repeat)
            finally:
                ox.close()
            virt_load = float("nan")
            if not args.no_virtuoso:
                virtuoso = start_virtuoso(files)
                try:
                    virt_load = virtuoso.load_seconds
                    engines["virtuoso"] = median_ms(lambda q, url=virtuoso.endpoint: sparql_select(url, q), texts,
                                                    args.repeat)
                finally:
                    virtuoso.close()
            med = {k: statistics.median(v.values()) for k, v in engines.items()}
            per_query[size] = engines
            print(f"{size:>10}{triples:>10}{seconds:>9.1f}{triples / seconds:>11.0f}{rss:>9}{ox.load_seconds:>10.2f}"
                  f"{virt_load:>12.2f}{med.get('rdflib', float('nan')):>11.2f}{med['oxrdflib']:>12.2f}{med['ox server']:>13.2f}"
                  f"{med.get('virtuoso', float('nan')):>12.2f}")
        for size, engines in per_query.items():
            print(f"\nmedian latency per saved query (ms), {size} synthetic statistics")
            print(f"{'query':<46}" + "".join(f"{k:>12}" for k in engines))
            for i, name in enumerate(names):
                print(f"{name:<46}" + "".join(f"{engines[k][i]:>12.2f}" for k in engines))


if __name__ == "__main__":
    main()
