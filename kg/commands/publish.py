"""Commands that hand the built graph to others: ``serve``, ``load``, ``export``."""

from __future__ import annotations

import sys
from pathlib import Path

from kg.commands.output import err
from kg.names import GRAPH_FACTS, GRAPH_INFERRED, INFERRED_NT_FILE, NTRIPLES_FILE, ONTOLOGY_FILE, not_built
from kg.project import Project
from kg.query.limits import Limits
from kg.sheets.errors import EXIT_BAD_INPUT, EXIT_OK


def cmd_serve(args, project: Project) -> int:
    from kg.web.serve import run_serve

    limits = Limits(max_query_chars=args.max_query_chars, max_body_bytes=args.max_body_bytes,
                    max_rows=args.max_rows, timeout=args.timeout, workers=args.workers)
    try:
        run_serve(project, args.host, args.port, limits, args.cors)
    except FileNotFoundError as exc:
        err(str(exc))
        return EXIT_BAD_INPUT
    return EXIT_OK


def cmd_load(args, project: Project) -> int:
    from kg.rdfio.load import load

    source = project.dist / NTRIPLES_FILE
    if not source.exists():
        err(not_built(source))
        return EXIT_BAD_INPUT
    jobs = [(source, args.graph or GRAPH_FACTS)]
    if args.inferred:
        from rdflib import Graph

        nt = project.dist / INFERRED_NT_FILE
        if not nt.exists() or nt.stat().st_mtime < project.inferred_file.stat().st_mtime:
            from kg.rdfio.serialize import sorted_ntriples

            nt.write_bytes(sorted_ntriples(Graph().parse(project.inferred_file, format="turtle")))
        jobs.append((nt, args.inferred_graph or GRAPH_INFERRED))
    for path, graph in jobs:
        report = load(path, args.endpoint, graph, args.user, args.password, args.timeout)
        print(f"loaded {report.triples} triples into <{report.graph}> at {args.endpoint} "
              f"({report.bytes / 1e6:.2f} MB, {report.seconds:.2f} s, verified by reading the graph back)")
    return EXIT_OK


def cmd_export(args, project: Project) -> int:
    from kg.rdfio.export import FILES, Exports

    if not project.graph_file.exists():
        err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    data = Exports.of_files(project.graph_file, project.dist / ONTOLOGY_FILE, project.inferred_file).bytes(args.format)
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        out = Path(args.out or FILES[args.format])
        out.write_bytes(data)
        print(f"wrote {out} ({len(data)} bytes)")
    return EXIT_OK
