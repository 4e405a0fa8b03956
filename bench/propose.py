"""Extraction benchmark: ``cbec-kg propose`` on the report, scored against the curated fact sheets.

    python bench/propose.py [--show N] [--unknown]

``propose`` sees only the text and the graph's names; this script alone reads the curated statistics. For each
curated statistic it looks at the candidates whose ``start`` is the statistic's ``offset``:

* value found — one of them has the same value (compared as numbers: "40,383" = "40383") and the same unit;
* period found — one of those also has the same period;
* subject found — one of those names at least one of the statistic's ``about`` ids among its candidates
  (and, reported beside it, all of them);
* qualifiers found — one of those has the statistic's qualifiers, no more and no fewer (``period-not-stated``
  aside: the curators' note on a period, not a word of the text);
* precision — the share of candidates at whose ``start`` a curated statistic with the same value sits (or a
  curated ``Mention``: a figure printed again, counted once but found at each printing). The
  candidates that miss are split into those at a number ``cbec-kg coverage`` also lists as accounted for by no
  fact (numbers the curators left out: not necessarily wrong) and the rest (dates, names, misreadings).

It also times the whole run (reading the sheets' names and the text, proposing) as the command does it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import load  # noqa: E402
from kg.checks.coverage import measure  # noqa: E402
from kg.checks.grounding import SourceText, default_source  # noqa: E402
from kg.project import Project  # noqa: E402
from kg.sheets.facts import as_list  # noqa: E402
from kg.sheets.propose.core import propose  # noqa: E402
from kg.sheets.propose.document import knowledge  # noqa: E402


def _num(value) -> Decimal:
    return Decimal(str(value).replace(",", ""))


def timed_run(project: Project, path: Path, unknown: bool = False):
    """Candidates for the report, and the wall-clock and CPU seconds the command's own work took (names, text,
    proposing)."""
    start, cpu = time.perf_counter(), time.process_time()
    know = knowledge(project.root / "facts")
    if unknown:                 # as a text the sheets do not describe: no document, no places
        know.documents, know.places = {}, {}
    candidates = propose(path.read_text(encoding="utf-8"), know)
    return candidates, time.perf_counter() - start, time.process_time() - cpu


def score(curated, candidates) -> dict:
    by_start: dict[int, list] = {}
    for c in candidates:
        by_start.setdefault(c.start, []).append(c)
    found: dict[str, list[bool]] = {"value": [], "period": [], "subject": [], "subject_all": [], "qualifier": []}
    for fact in curated:
        here = [c for c in by_start.get(int(fact.data["offset"]), [])
                if _num(c.value) == _num(fact.data["value"]) and c.unit == fact.data["unit"]]
        about = {str(a) for a in as_list(fact.data["about"])}
        found["value"].append(bool(here))
        found["period"].append(any(str(c.period) == str(fact.data["period"]) for c in here))
        found["subject"].append(any(about & set(c.about) for c in here))
        found["subject_all"].append(any(about <= set(c.about) for c in here))
        wanted = {str(q) for q in as_list(fact.data.get("qualifier"))} - {"period-not-stated"}
        found["qualifier"].append(any(set(c.qualifiers) - {"period-not-stated"} == wanted for c in here))
    return {k: sum(v) for k, v in found.items()}


def precision(curated, candidates, uncovered: set[int]):
    values = {}
    for fact in curated:
        values.setdefault(int(fact.data["offset"]), set()).add(_num(fact.data["value"]))
    right = [c for c in candidates if _num(c.value) in values.get(c.start, set())]
    wrong = [c for c in candidates if _num(c.value) not in values.get(c.start, set())]
    left_out = [c for c in wrong if c.start in uncovered]
    return right, left_out, [c for c in wrong if c.start not in uncovered]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", type=int, default=0, help="print this many misses of each kind")
    ap.add_argument("--unknown", action="store_true",
                    help="propose as for a text the sheets do not describe (no places: tables found by their captions)")
    args = ap.parse_args()
    project = Project.find(None)
    path = default_source(project.root)
    candidates, seconds, cpu = timed_run(project, path, args.unknown)
    base = load(project)[1]
    curated = [f for f in base.of_class("Statistic") if "offset" in f.data]
    cov = measure(base, SourceText.read(path))
    uncovered = {n.start for n in cov.missing()}
    n = len(curated)
    s = score(curated, candidates)
    mentions = [f for f in base.of_class("Mention") if "offset" in f.data]
    right, left_out, other = precision(curated + mentions, candidates, uncovered)
    print(f"curated statistics: {n}; candidates: {len(candidates)}; time: {seconds:.2f} s "
          f"(CPU {cpu:.2f} s; load average {os.getloadavg()[0]:.1f})")
    for key, label in (("value", "value recall"), ("period", "period recall"),
                       ("subject", "subject among candidates (one of the about ids)"),
                       ("subject_all", "subject among candidates (all of the about ids)"),
                       ("qualifier", "qualifiers as the curators gave them (period-not-stated aside)")):
        print(f"{label}: {s[key]}/{n} = {100 * s[key] / n:.1f} %")
    print(f"precision: {len(right)}/{len(candidates)} = {100 * len(right) / len(candidates):.1f} %"
          f" (misses: {len(left_out)} at numbers coverage lists as left out by the curators, {len(other)} others)")
    if args.show:
        _show(curated, candidates, other, args.show)
    return 0


def _show(curated, candidates, other, limit: int) -> None:
    by_start = {}
    for c in candidates:
        by_start.setdefault(c.start, []).append(c)
    print("\n-- curated statistics missed (value / period):")
    for fact in curated:
        here = [c for c in by_start.get(int(fact.data["offset"]), [])
                if _num(c.value) == _num(fact.data["value"]) and c.unit == fact.data["unit"]]
        if not here or not any(str(c.period) == str(fact.data["period"]) for c in here):
            got = [(c.value, c.unit, c.period) for c in by_start.get(int(fact.data["offset"]), [])][:3]
            print(f"  {fact.id}: {fact.data['value']} {fact.data['unit']} {fact.data['period']} -> {got}")
            limit -= 1
            if limit <= 0:
                break
    print("\n-- candidates matching nothing (not left-out numbers):")
    for c in other[:50]:
        print(f"  {c.start} {c.printed!r} {c.unit} {c.period} {c.place}")


if __name__ == "__main__":
    sys.exit(main())
