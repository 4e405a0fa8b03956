"""Commands that build and check the data: ``build``, ``check``, ``ground``, ``coverage``."""

from __future__ import annotations

import sys
from pathlib import Path

from kg.commands.output import open_page
from kg.project import Project
from kg.sheets.errors import EXIT_CHECK_FAILED, EXIT_OK, Problem


def cmd_build(args, project: Project) -> int:
    from kg.build import build, summary

    result = build(project, quiet=args.quiet, reasoner=not args.no_reasoner, lang=args.lang, shacl=args.shacl)
    print(summary(result))
    if args.open:
        view = result.dist / "views" / "index.html"
        open_page(view)
    return EXIT_OK


def cmd_check(args, project: Project) -> int:
    from kg.build import load
    from kg.rdfio.serialize import triple_count

    graph, base, _, _ = load(project)
    print(f"ok: {len(base.facts)} facts in {len(base.sheets)} sheets, {triple_count(graph)} triples")
    return EXIT_OK


def _facts_and_texts(args, project: Project):
    """The validated facts and each document's facts and text (``--document``: that one only)."""
    from kg.build import load
    from kg.checks.grounding import document_texts

    base = load(project, fidelity=False)[1]
    source = Path(args.source) if args.source else None
    return base, document_texts(project.root, base, getattr(args, "document", None), source)


def cmd_ground(args, project: Project) -> int:
    from kg.checks.grounding import check_dates, check_grounding, fill_offsets

    base, texts = _facts_and_texts(args, project)
    filled, problems = 0, list[Problem]()
    for facts, source in texts.values():
        found, trouble = fill_offsets(facts, source, write=args.write)
        filled, problems = filled + found, problems + trouble
    print(f"{'wrote' if args.write else 'found (use --write to save)'} {filled} missing offsets")
    if args.write and filled:
        base, texts = _facts_and_texts(args, project)
    missing, statistics = [], 0
    for facts, source in texts.values():
        grounding = check_grounding(facts, source)
        missing += [p for p in grounding if p.message.startswith("no ")]
        problems += [p for p in grounding if not p.message.startswith("no ")] + check_dates(facts, source)
        statistics += len(facts.of_class("Statistic"))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{statistics - len(missing) - len(problems)} of {statistics} statistics grounded "
          f"in {len(texts)} document(s); {len(missing)} without offset, {len(problems)} with problems")
    return EXIT_CHECK_FAILED if problems else EXIT_OK


def cmd_coverage(args, project: Project) -> int:
    from kg.checks.coverage import measure, report
    from kg.sheets.documents import FIRST

    args.document = args.document or FIRST
    _, texts = _facts_and_texts(args, project)
    facts, source = texts[args.document]
    cov = measure(facts, source)
    print(f"document: {args.document}")
    print(report(cov, source, None if args.all else 40))
    return EXIT_OK if cov.share >= args.target / 100 else EXIT_CHECK_FAILED
