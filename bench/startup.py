"""What one ``cbec-kg`` process costs, start to finish: ``query``, ``show`` and ``search`` on the built report.

Each command runs ``--repeat`` times as a process of its own, the commands interleaved (so a change of load
touches them all alike); printed per command: the median CPU time (user + system, from ``getrusage`` of the
finished child) and the median wall time, beside ``python -c pass`` and ``cbec-kg --help`` as the floor. The
load average is printed before and after: on a loaded machine the wall times grow, the CPU times much less.
The package's bytecode is compiled first (``compileall``), as an installed package's is (with
``PYTHONDONTWRITEBYTECODE`` set, as on some machines, nothing else would write it and every run would compile).

    python bench/startup.py --repeat 9
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "kg"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "cbec-kg --help": CLI + ["--help"],
    "query b2c_exporters_2018": CLI + ["query", "b2c_exporters_2018"],
    "query -e (COUNT of statistics)": CLI + ["query", "-e", "PREFIX cbo: <https://w3id.org/cbec-kg/ontology#> "
                                              "SELECT (COUNT(?s) AS ?n) WHERE { ?s a cbo:Statistic }"],
    "show 菜鸟": CLI + ["show", "菜鸟"],
    "show 速卖通 --lang en": CLI + ["show", "速卖通", "--lang", "en"],
    "search 菜鸟": CLI + ["search", "菜鸟"],
    "search alibabba (corrected)": CLI + ["search", "alibabba"],
}


def once(argv: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``argv`` in the project's folder; fails loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[:300]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    if not (ROOT / "dist" / "store" / "CURRENT").exists():
        raise SystemExit("dist/store not found: run 'cbec-kg build' first")
    compileall.compile_dir(ROOT / "kg", quiet=1)
    for argv in COMMANDS.values():       # one run each first: the search index kept, files in the page cache
        once(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, argv in COMMANDS.items():
            times[name].append(once(argv))
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'command':34} {'CPU s (median)':>15} {'wall s (median)':>16}   ({args.repeat} runs each)")
    for name, runs in times.items():
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        print(f"{name:34} {cpu:15.3f} {wall:16.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
