"""Commands for a curator: ``propose`` (draft sheets), ``diff`` (two builds), ``conflicts`` (figures that disagree)."""

from __future__ import annotations

from pathlib import Path

from kg.commands.output import err, out
from kg.names import not_built
from kg.project import Project
from kg.sheets.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK


def cmd_propose(args, project: Project) -> int:
    from kg.sheets.propose.run import propose_file

    merge = Path(args.merge) if args.merge else None
    out(propose_file(Path(args.text), project.facts_dir, args.document, args.format, merge))
    return EXIT_OK


def cmd_diff(args, project: Project) -> int:
    from kg.rdfio.diff import as_json, as_markdown, diff_paths

    d = diff_paths(Path(args.old), Path(args.new), args.lang)
    out(as_json(d) if args.format == "json" else as_markdown(d, f"Changes from {args.old} to {args.new}"))
    return EXIT_OK


def cmd_conflicts(args, project: Project) -> int:
    from kg.checks.conflicts import conflicts, report
    from kg.query.saved import open_graph

    if not project.graph_file.exists():
        err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    graph = open_graph(project.graph_file, inferred=False)
    found = conflicts(graph)
    out(report(graph, found, args.lang))
    return EXIT_CHECK_FAILED if found and args.strict else EXIT_OK
