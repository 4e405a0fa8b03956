"""Mistyped fact sheets, by the ten thousand: each must end in exit 0, or in located messages and nothing else.

    nice -n 10 python bench/fuzz_sheets.py [--runs 10000] [--build-every 25] [--subprocess-every 100]
                                           [--cli-runs 2000] [--seed 16] [--jobs 1] [--out /tmp/fuzz-sheets]

A small copy of the project (the report's structure, units, sources, organisations, places, 表1, Alibaba, and the
business models as a JSON sheet) is built once into ``dist/``. Then, ``--runs`` times, one sheet is mutated
(``bench/mutations.py``: deleted, repeated, swapped and re-indented lines, truncated files, control characters,
``\\u0000``, 400-digit numbers, YAML anchors and tags, duplicated ids, misspelt keys, or several at once) and
``cbec-kg check`` runs on it, in this process (``kg.cli.main``, standard error captured at the file descriptor
too, so a library writing there directly is caught); every ``--build-every``-th mutation also goes through
``cbec-kg build --no-reasoner``, and every ``--subprocess-every``-th through ``check`` in a fresh process, which
must say exactly what the in-process run said. Each run must give exit 0, 1 or 2; at exit 0 nothing on standard
error; otherwise every line on it names a file and line (``facts/x.yaml:12: ...``) but for the one-line summary,
no "Traceback", no library's warning, no raw control character; and a failed build leaves ``dist/`` as it was.
Then ``--cli-runs`` times the CLI's other inputs (``bench/fuzz_cli.py``). The ontology and the sheets a run leaves
as they were are read once and reused by the in-process ``check`` runs (``ReadOnce``; builds read everything).

Prints the figures (runs, exit codes by kind of mutation, failures) and writes them, with each failing case's
sheet, to ``--out``; exits 1 if any run failed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mutations import mutate, to_bytes  # noqa: E402
from kg.cli import main  # noqa: E402

SHEETS = ("report.yaml", "units.yaml", "sources.yaml", "organisations.yaml", "places.yaml", "table1.yaml",
          "alibaba.yaml")
JSON_SHEET = "business-models"          # written as JSON, so the JSON reader is fuzzed too
LOCATED = re.compile(r"^\s*facts/[^\s:]+\.(yaml|json):[1-9]\d*: \S")
SUMMARY = re.compile(r"^cbec-kg: (\d+ problem\(s\) in the input; nothing was written|SHACL: \d+ violation\(s\) .*)$|"
                     r"^\.\.\. and \d+ more problems$|^\s*\.\.\. and \d+ more$")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LIBRARY_NOISE = re.compile(r"Traceback|Warning|warn\(|rdflib|pyshacl|jsonschema|pyoxigraph|\.py\", line")


@dataclass
class Outcome:
    """What one command did: exit code (None when it raised), its output, and a traceback if it raised."""

    code: int | None
    stdout: str
    stderr: str
    crash: str = ""


@dataclass
class Tally:
    """Figures of a fuzz run."""

    runs: Counter = field(default_factory=Counter)               # command -> runs
    codes: Counter = field(default_factory=Counter)              # (command, exit code) -> runs
    kinds: dict = field(default_factory=lambda: defaultdict(Counter))   # kind -> exit code -> runs (check)
    failures: list = field(default_factory=list)                 # (command, kind, problem, case file)
    tracebacks: int = 0
    seconds: Counter = field(default_factory=Counter)            # command -> seconds


def run_cli(argv: list[str], cwd: Path) -> Outcome:
    """``kg.cli.main(argv)`` in this process, in ``cwd``; standard error captured at Python's level and at file
    descriptor 2 (what a library writes there directly, and what forked children write)."""
    out, err = io.StringIO(), io.StringIO()
    saved_fd, saved_cwd = os.dup(2), os.getcwd()
    with tempfile.TemporaryFile() as fd_err:
        os.dup2(fd_err.fileno(), 2)
        os.chdir(cwd)
        code, crash = None, ""
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except SystemExit as exc:               # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - exactly what the fuzz looks for
            crash = traceback.format_exc()
        finally:
            os.chdir(saved_cwd)
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
        fd_err.seek(0)
        raw = fd_err.read().decode("utf-8", errors="replace")
    return Outcome(code, out.getvalue(), err.getvalue() + raw, crash)


def judge_sheet_run(outcome: Outcome) -> list[str]:
    """What is wrong with a run on a mutated sheet (nothing, when it is as it should be)."""
    if outcome.crash:
        return [f"raised: {outcome.crash.strip().splitlines()[-1]}"]
    problems = []
    if outcome.code not in (0, 1, 2):
        problems.append(f"exit code {outcome.code}")
    if LIBRARY_NOISE.search(outcome.stderr):
        problems.append("traceback or library output on stderr")
    if RAW_CONTROL.search(outcome.stderr):
        problems.append("raw control character on stderr")
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    if outcome.code == 0 and lines:
        problems.append(f"exit 0 with stderr: {lines[0][:200]}")
    if outcome.code != 0:
        if not any(LOCATED.match(line) for line in lines):
            problems.append("no located message")
        problems += [f"unlocated line: {line[:200]}" for line in lines if not (LOCATED.match(line) or SUMMARY.match(line))]
    return problems


def snapshot(dist: Path) -> dict:
    files = {str(p.relative_to(dist)): hashlib.sha256(p.read_bytes()).hexdigest() for p in dist.rglob("*") if p.is_file()}
    files["<link>"] = os.readlink(dist) if dist.is_symlink() else ""
    return files


def make_project(dest: Path) -> Path:
    """The small project the fuzz mutates, built once."""
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "facts").mkdir()
    for name in ("schema.json",) + SHEETS:
        shutil.copy(ROOT / "facts" / name, dest / "facts" / name)
    from kg.sheets.facts import read_sheet

    doc, _ = read_sheet(ROOT / "facts" / f"{JSON_SHEET}.yaml")
    (dest / "facts" / f"{JSON_SHEET}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                                       encoding="utf-8")
    outcome = run_cli(["--root", str(dest), "build", "--quiet", "--no-reasoner"], dest)
    if outcome.code != 0:
        raise SystemExit(f"the unmutated project does not build: {outcome.stderr or outcome.crash}")
    return dest


class ReadOnce:
    """The ontology, and each fact sheet while its bytes are those of the unmutated project, read once; within
    ``active()``, ``kg.build.load_ontology`` and ``kg.sheets.facts.read_sheet`` answer those from memory, so a run
    reads only the sheet it mutated (the checks that follow go over every fact as before)."""

    def __init__(self, root: Path):
        import kg.build
        import kg.project
        import kg.sheets.facts

        self.real_ontology, self.real_sheet = kg.build.load_ontology, kg.sheets.facts.read_sheet
        self.ontology = functools.lru_cache(maxsize=2)(self.real_ontology)
        self.pristine = {p: (p.read_bytes(), self.real_sheet(p)) for p in kg.project.sheet_paths(root / "facts")}

    def read_sheet(self, path: Path):
        known = self.pristine.get(path)
        return known[1] if known and path.read_bytes() == known[0] else self.real_sheet(path)

    @contextlib.contextmanager
    def active(self):
        import kg.build
        import kg.sheets.facts

        kg.build.load_ontology, kg.sheets.facts.read_sheet = self.ontology, self.read_sheet
        try:
            yield
        finally:
            kg.build.load_ontology, kg.sheets.facts.read_sheet = self.real_ontology, self.real_sheet


def keep_case(out: Path, number: int, sheet: str, data: bytes) -> str:
    path = out / "cases" / f"{number:05d}-{sheet}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def record(tally: Tally, command: str, kind: str, outcome: Outcome, problems: list[str], case) -> None:
    tally.runs[command] += 1
    tally.codes[(command, outcome.code)] += 1
    tally.tracebacks += ("Traceback" in outcome.stderr) + bool(outcome.crash)
    for problem in problems:
        tally.failures.append((command, kind, problem, case() if callable(case) else case))


def sheet_run(number: int, rng: random.Random, root: Path, tally: Tally, args, dist_before: dict, cache: ReadOnce) -> dict:
    """One mutated sheet through ``check`` (and ``build``, and a fresh process, when its number comes up)."""
    sheet = rng.choice(sorted(p.name for p in (root / "facts").iterdir() if p.name != "schema.json"))
    path = root / "facts" / sheet
    original = path.read_bytes()
    try:
        kind, text = mutate(rng, original.decode("utf-8"))
    except Exception:  # noqa: BLE001 - a bug of the fuzz's own, counted, not a reason to stop
        tally.failures.append(("mutation", "-", traceback.format_exc().strip().splitlines()[-1], sheet))
        return dist_before
    data = to_bytes(text)
    path.write_bytes(data)
    try:
        t0 = time.perf_counter()
        with cache.active():
            outcome = run_cli(["--root", str(root), "check"], root)
        tally.seconds["check"] += time.perf_counter() - t0
        tally.kinds[kind][outcome.code] += 1
        record(tally, "check", kind, outcome, judge_sheet_run(outcome), lambda: keep_case(args.out, number, sheet, data))
        if args.subprocess_every and number % args.subprocess_every == 0:
            fresh_process_run(root, outcome, tally, kind, lambda: keep_case(args.out, number, sheet, data))
        if args.build_every and number % args.build_every == 0:
            dist_before = build_run(root, tally, kind, dist_before, lambda: keep_case(args.out, number, sheet, data))
    finally:
        path.write_bytes(original)
    return dist_before


def fresh_process_run(root: Path, in_process: Outcome, tally: Tally, kind: str, case) -> None:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg", "--root", str(root), "check"], cwd=root, capture_output=True,
                          timeout=300)
    tally.seconds["check (fresh process)"] += time.perf_counter() - t0
    outcome = Outcome(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))
    problems = judge_sheet_run(outcome)
    if (outcome.code, outcome.stderr) != (in_process.code, in_process.stderr):
        problems.append("a fresh process said something else than the in-process run")
    record(tally, "check (fresh process)", kind, outcome, problems, case)


def build_run(root: Path, tally: Tally, kind: str, before: dict, case) -> dict:
    t0 = time.perf_counter()
    outcome = run_cli(["--root", str(root), "build", "--quiet", "--no-reasoner"], root)
    tally.seconds["build --no-reasoner"] += time.perf_counter() - t0
    problems = judge_sheet_run(outcome)
    after = snapshot(root / "dist")
    if outcome.code != 0 and after != before:
        problems.append("a failed build changed dist/")
    record(tally, "build --no-reasoner", kind, outcome, problems, case)
    return after


def summary(tally: Tally, args, seconds: float) -> dict:
    kinds = {kind: dict(sorted((str(k), v) for k, v in codes.items())) for kind, codes in sorted(tally.kinds.items())}
    return {
        "seed": args.seed, "seconds": round(seconds, 1),
        "runs": dict(tally.runs),
        "exit_codes": {f"{c} -> {k}": v for (c, k), v in sorted(tally.codes.items(), key=str)},
        "check_exit_codes_by_kind": kinds,
        "tracebacks": tally.tracebacks,
        "failures": len(tally.failures),
        "first_failures": tally.failures[:40],
        "seconds_by_command": {k: round(v, 1) for k, v in tally.seconds.items()},
    }


def print_summary(result: dict) -> None:
    print(f"\n{result['command']}  ({result['seconds']} s)")
    for command, runs in result["runs"].items():
        codes = {k.split(" -> ")[1]: v for k, v in result["exit_codes"].items() if k.split(" -> ")[0] == command}
        print(f"  {command:<24} {runs:>6} runs  exit codes {codes}  {result['seconds_by_command'].get(command, 0)} s")
    print("  check, by kind of mutation (exit code: runs):")
    for kind, codes in result["check_exit_codes_by_kind"].items():
        print(f"    {kind:<18} {sum(codes.values()):>5}  {codes}")
    print(f"  tracebacks: {result['tracebacks']}   failures: {result['failures']}")
    for failure in result["first_failures"][:15]:
        print("   ", failure)


def options(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=10_000, help="mutated sheets, each through check (default: 10000)")
    p.add_argument("--build-every", type=int, default=25, help="every Nth also through build --no-reasoner (0: none)")
    p.add_argument("--subprocess-every", type=int, default=100, help="every Nth also through check in a fresh process")
    p.add_argument("--cli-runs", type=int, default=2000, help="runs of query -e / show / view / search with odd input")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--jobs", type=int, default=1, help="processes sharing the runs (default: 1)")
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "fuzz-sheets")
    return p.parse_args(argv)


def shard(args: argparse.Namespace) -> dict:
    """One process's share of the fuzz, as ``args`` say; its figures (``summary``)."""
    from bench.fuzz_cli import cli_runs

    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(args.out / "cases", ignore_errors=True)
    tally = Tally()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-sheets-") as tmp:
        root = make_project(Path(tmp))
        dist, cache = snapshot(root / "dist"), ReadOnce(root)
        for number in range(1, args.runs + 1):
            dist = sheet_run(number, rng, root, tally, args, dist, cache)
            if number % 500 == 0:   # the figures so far, in case the run is stopped
                print(f"seed {args.seed}: {number} sheets, {len(tally.failures)} failures, "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
                partial = json.dumps(summary(tally, args, time.perf_counter() - t0), ensure_ascii=False, indent=1)
                (args.out / "partial.json").write_text(partial, encoding="utf-8")
        cli_runs(args.cli_runs, rng, root, tally, run_cli, record)
    return summary(tally, args, time.perf_counter() - t0)


def merge(parts: list[dict]) -> dict:
    """The figures of several shards as one."""
    total: dict = {"runs": Counter(), "exit_codes": Counter(), "check_exit_codes_by_kind": defaultdict(Counter),
                   "seconds_by_command": Counter(), "tracebacks": 0, "failures": 0, "first_failures": []}
    for part in parts:
        for key in ("runs", "exit_codes", "seconds_by_command"):
            total[key].update(part[key])
        for kind, codes in part["check_exit_codes_by_kind"].items():
            total["check_exit_codes_by_kind"][kind].update(codes)
        total["tracebacks"] += part["tracebacks"]
        total["failures"] += part["failures"]
        total["first_failures"] += part["first_failures"]
    total["check_exit_codes_by_kind"] = {k: dict(sorted(v.items())) for k, v in sorted(total["check_exit_codes_by_kind"].items())}
    total["seconds_by_command"] = {k: round(v, 1) for k, v in total["seconds_by_command"].items()}
    total["first_failures"] = total["first_failures"][:40]
    return {key: dict(value) if isinstance(value, Counter) else value for key, value in total.items()}


def fuzz(args: argparse.Namespace) -> dict:
    """Run the fuzz as ``args`` say, in ``args.jobs`` processes (shard i: seed ``seed * 100 + i``, its share of the
    runs, its failing cases under ``out/shard-i``); write and return the figures."""
    t0 = time.perf_counter()
    if args.jobs <= 1:
        result = shard(args)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        shares = []
        for i in range(args.jobs):
            share = argparse.Namespace(**vars(args))
            share.seed, share.out = args.seed * 100 + i, args.out / f"shard-{i}"
            share.runs = args.runs // args.jobs + (i < args.runs % args.jobs)
            share.cli_runs = args.cli_runs // args.jobs + (i < args.cli_runs % args.jobs)
            shares.append(share)
        with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            result = merge(list(pool.map(shard, shares)))
    result.update(command=" ".join(["python bench/fuzz_sheets.py"] + sys.argv[1:]), seed=args.seed, jobs=args.jobs,
                  seconds=round(time.perf_counter() - t0, 1))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


if __name__ == "__main__":
    figures = fuzz(options())
    print_summary(figures)
    sys.exit(1 if figures["failures"] else 0)
