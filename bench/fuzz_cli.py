"""The CLI's other inputs, fuzzed: ``query -e`` with random bytes and broken SPARQL, ``query NAME`` with odd names,
``show``/``view``/``search`` with control characters and very long strings. Run by ``bench/fuzz_sheets.py``.

Each run must give exit 0, 1 or 2; nothing on standard error at exit 0; otherwise a message that starts with
``cbec-kg:`` (or argparse's usage line), with no "Traceback", no library's warning and no raw control character
(a terminal would act on it).
"""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LIBRARY_NOISE = re.compile(r"Traceback|Warning|warn\(|\.py\", line")
FIRST_LINE = re.compile(r"^(cbec-kg: \S|usage: cbec-kg)")
LABELS = ["菜鸟", "速卖通", "AliExpress", "中国", "alibaba", "Cainiao", "table1", "report", "美国", "天猫"]
SPARQL = ["SELECT * WHERE { ?s ?p ?o } LIMIT 3", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
          "ASK { ?s a ?c }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2",
          'SELECT ?s WHERE { ?s rdfs:label "菜鸟"@zh }', "DESCRIBE <https://w3id.org/cbec-kg/resource/cainiao>",
          'SELECT ?x WHERE { BIND("1"^^xsd:integer AS ?x) }', 'SELECT ?x WHERE { BIND("x"^^xsd:integer AS ?x) }',
          'SELECT ?x WHERE { BIND(xsd:decimal("abc") AS ?x) }']
CONTROL = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9b", "\u2028", "\u202e", "\ufeff", "\x1b[31m", "\x1b]0;x\x07"]


def random_bytes(rng: random.Random) -> str:
    """Random bytes as a command line hands them over: undecodable bytes become lone surrogates."""
    data = bytes(rng.randrange(1, 256) for _ in range(rng.choice([1, 8, 64, 500, 5000])))
    return os.fsdecode(data)


def odd_text(rng: random.Random) -> str:
    """Control characters, very long strings, real labels with noise, or random bytes."""
    how = rng.choice(["control", "long", "label", "bytes", "mixed", "blank"])
    if how == "control":
        return "".join(rng.choice(CONTROL + list("ab菜鸟 ")) for _ in range(rng.randint(1, 30)))
    if how == "long":
        return rng.choice(LABELS + ["x", "a b ", "速"]) * rng.choice([1000, 20_000, 200_000])
    if how == "label":
        label = rng.choice(LABELS)
        at = rng.randrange(len(label) + 1)
        return label[:at] + rng.choice(CONTROL + ["", " ", "%", "'", '"', "*", "?", "\\"]) + label[at:]
    if how == "bytes":
        return random_bytes(rng)
    if how == "blank":
        return rng.choice(["", " ", "\t", "\n", "-", "--", "-e"])
    return random_bytes(rng)[:20] + rng.choice(LABELS) + rng.choice(CONTROL)


def broken_sparql(rng: random.Random) -> str:
    """A query with random bytes, or a real one cut, spliced or salted with control characters."""
    if rng.random() < 0.4:
        return random_bytes(rng)
    text = rng.choice(SPARQL)
    at = rng.randrange(len(text) + 1)
    return rng.choice([text[:at], text[:at] + odd_text(rng) + text[at:], text * rng.choice([2, 1000]),
                       text[:at] + rng.choice(CONTROL) + text[at:], text])


def cli_case(rng: random.Random, commands: set[str], tmp: Path) -> tuple[str, list[str]]:
    """(command, arguments after --root ROOT) for one run."""
    choices = ["query -e", "query NAME", "show", "view"] + (["search"] if "search" in commands else [])
    command = rng.choice(choices)
    if command == "query -e":
        fmt = rng.choice(["table", "csv", "json", "xml", "turtle", "tsv", "json-ld"])
        return command, ["query", "--format", fmt, "-e", broken_sparql(rng)]
    if command == "query NAME":
        return command, ["query", odd_text(rng)]
    if command == "view":
        return command, ["view", odd_text(rng), "--no-open", "--out", str(tmp / "views")]
    return command, [command, odd_text(rng)]


def judge_cli_run(outcome) -> list[str]:
    if outcome.crash:
        return [f"raised: {outcome.crash.strip().splitlines()[-1][:300]}"]
    problems = []
    if outcome.code not in (0, 1, 2):
        problems.append(f"exit code {outcome.code}")
    if LIBRARY_NOISE.search(outcome.stderr):
        problems.append("traceback or library output on stderr")
    if RAW_CONTROL.search(outcome.stderr):
        problems.append("raw control character on stderr")
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    if outcome.code == 0 and lines:
        problems.append(f"exit 0 with stderr: {lines[0][:200]!r}")
    if outcome.code != 0 and not (lines and FIRST_LINE.match(lines[0])):
        problems.append(f"message does not start with 'cbec-kg:': {outcome.stderr[:200]!r}")
    return problems


def subcommands() -> set[str]:
    from kg.cli import parser

    sub = next(a for a in parser()._actions if a.dest == "command")
    return set(sub.choices)


def cli_runs(count: int, rng: random.Random, root: Path, tally, run_cli, record) -> None:
    """``count`` runs of the CLI with odd arguments against the built project at ``root``."""
    commands = subcommands()
    if "search" not in commands:
        tally.runs["search (not in this CLI: not fuzzed)"] = 0
    for _ in range(count):
        command, argv = cli_case(rng, commands, root / "fuzz-out")
        t0 = time.perf_counter()
        outcome = run_cli(["--root", str(root)] + argv, root)
        tally.seconds[command] += time.perf_counter() - t0
        record(tally, command, "-", outcome, judge_cli_run(outcome), repr(argv)[:500])
