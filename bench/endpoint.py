"""Endpoint benchmark: the saved queries against cbec-kg serve, side by side with Oxigraph server and Virtuoso.

    python bench/endpoint.py [--repeat 20] [--clients 8] [--total 2000] [--workers 2]

Builds nothing: it serves the current dist/ (run `cbec-kg build` first). Prints, per endpoint,
requests/second and median latency over the saved queries run one at a time, then a bounded load
test (CLIENTS concurrent clients sending TOTAL saved queries in all, round robin) with errors,
median and 99th-percentile latency and throughput. Every server binds to 127.0.0.1 and is stopped
at the end.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.project import Project
from kg.query.saved import catalogue, prepare
from tests.support.stores import GRAPH_FACTS, GRAPH_INFERRED, free_port, start_oxigraph, start_virtuoso, wait_http


def ask(endpoint: str, text: str, timeout: float = 60) -> float:
    data = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(endpoint, data=data, headers={"Accept": "application/sparql-results+json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
    return time.perf_counter() - t0


def sequential(endpoint: str, queries: list[str], repeat: int) -> tuple[float, float]:
    for q in queries:          # warm-up
        ask(endpoint, q)
    latencies = []
    t0 = time.perf_counter()
    for _ in range(repeat):
        for q in queries:
            latencies.append(ask(endpoint, q))
    wall = time.perf_counter() - t0
    return len(latencies) / wall, statistics.median(latencies)


def load_test(endpoint: str, queries: list[str], clients: int, total: int) -> dict:
    latencies, errors = [], 0

    def one(i: int):
        try:
            return ask(endpoint, queries[i % len(queries)]), None
        except Exception as exc:  # noqa: BLE001 - counted, not raised
            return None, exc

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for latency, error in pool.map(one, range(total)):
            if error is None:
                latencies.append(latency)
            else:
                errors += 1
    wall = time.perf_counter() - t0
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan")
    return {"errors": errors, "median": statistics.median(latencies) if latencies else float("nan"), "p99": p99,
            "throughput": len(latencies) / wall, "wall": wall}


def start_cbec(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port), "--workers", str(workers),
                                "--timeout", "30"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/health", 60)
    return process, f"http://127.0.0.1:{port}/sparql"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-virtuoso", action="store_true")
    args = parser.parse_args()
    project = Project.find()
    queries = [prepare(q.text, "zh") for q in catalogue(project.queries_dir)]
    files = {GRAPH_FACTS: project.dist / "cbec-kg.nt", GRAPH_INFERRED: project.dist / "inferred.ttl"}
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
          f"{len(queries)} saved queries, graph {project.graph_file}")
    endpoints, stop = {}, []
    process, url = start_cbec(args.workers)
    stop.append(process.terminate)
    endpoints[f"cbec-kg serve ({args.workers} workers)"] = url
    ox = start_oxigraph(files)
    stop.append(ox.close)
    endpoints["Oxigraph server"] = ox.endpoint
    if not args.no_virtuoso:
        virtuoso = start_virtuoso(files)
        stop.append(virtuoso.close)
        endpoints["Virtuoso"] = virtuoso.endpoint
    try:
        print(f"\nsaved queries one at a time ({args.repeat} rounds)")
        print(f"{'endpoint':<28}{'req/s':>10}{'median ms':>12}")
        rates = {}
        for name, url in endpoints.items():
            rate, median = sequential(url, queries, args.repeat)
            rates[name] = rate
            print(f"{name:<28}{rate:>10.1f}{median * 1000:>12.2f}")
        if "Virtuoso" in rates:
            ours = next(v for k, v in rates.items() if k.startswith("cbec-kg"))
            print(f"ratio cbec-kg / Virtuoso: {ours / rates['Virtuoso']:.2f}")
        print(f"\nload test: {args.clients} concurrent clients, {args.total} saved queries in all")
        print(f"{'endpoint':<28}{'errors':>8}{'median ms':>12}{'p99 ms':>10}{'req/s':>10}{'wall s':>9}")
        for name, url in endpoints.items():
            r = load_test(url, queries, args.clients, args.total)
            print(f"{name:<28}{r['errors']:>8}{r['median'] * 1000:>12.2f}{r['p99'] * 1000:>10.2f}"
                  f"{r['throughput']:>10.1f}{r['wall']:>9.1f}")
    finally:
        for close in stop:
            close()


if __name__ == "__main__":
    main()
