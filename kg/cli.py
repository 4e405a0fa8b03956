"""The ``cbec-kg`` command: a thin layer of argument parsing over the library.

Exit codes: 0 success; 1 the data fails a check; 2 bad usage or bad input; 3 a service (SPARQL endpoint, store)
is unreachable or refuses.
"""

from __future__ import annotations

import argparse
import os
import sys
import webbrowser
from pathlib import Path

from kg.names import GRAPH_FACTS, GRAPH_INFERRED, ONTOLOGY_FILE, not_built
from kg.project import Project
from kg.query.engine import Limits
from kg.quiet import quiet_libraries
from kg.sheets.errors import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_SERVICE,
    CheckError,
    InputError,
    Problem,
    ServiceError,
    printable,
)

from . import __version__


def _err(message: str) -> None:
    """A message on standard error; control characters (from the user's own input, often) written as escapes, line
    by line, so a terminal shows them rather than acting on them."""
    text = "\n".join(printable(line) for line in message.split("\n"))
    print(f"cbec-kg: {text}", file=sys.stderr)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_build(args, project: Project) -> int:
    from kg.build import build, summary

    result = build(project, quiet=args.quiet, reasoner=not args.no_reasoner, lang=args.lang, shacl=args.shacl)
    print(summary(result))
    if args.open:
        view = result.dist / "views" / "index.html"
        webbrowser.open(view.resolve().as_uri())
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


def _find_or_suggest(graph, label: str) -> list:
    """Resources labelled ``label``; when there are none, an error that suggests the closest labels."""
    from kg.web.entity import find, suggest

    nodes = find(graph, label)
    if not nodes:
        close = suggest(graph, label)
        raise LookupError(f"nothing is labelled '{label}'" + (f"; did you mean: {', '.join(close)}?" if close else ""))
    return nodes


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


def cmd_conflicts(args, project: Project) -> int:
    from kg.checks.conflicts import conflicts, report
    from kg.query.saved import open_graph

    if not project.graph_file.exists():
        _err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    graph = open_graph(project.graph_file, inferred=False)
    found = conflicts(graph)
    _out(report(graph, found, args.lang))
    return EXIT_CHECK_FAILED if found and args.strict else EXIT_OK


def cmd_propose(args, project: Project) -> int:
    from kg.sheets.propose.run import propose_file

    merge = Path(args.merge) if args.merge else None
    _out(propose_file(Path(args.text), project.facts_dir, args.document, args.format, merge))
    return EXIT_OK


def cmd_diff(args, project: Project) -> int:
    from kg.rdfio.diff import as_json, as_markdown, diff_paths

    d = diff_paths(Path(args.old), Path(args.new), args.lang)
    _out(as_json(d) if args.format == "json" else as_markdown(d, f"Changes from {args.old} to {args.new}"))
    return EXIT_OK


def cmd_show(args, project: Project) -> int:
    from kg.query.saved import open_asserted
    from kg.web.entity import card, render_text

    if not project.graph_file.exists():
        _err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    graph = open_asserted(project.graph_file, project.store_dir)   # asserted facts: each has a place
    nodes = _find_or_suggest(graph, args.label)
    print("\n\n".join(render_text(card(graph, n, args.lang), args.lang) for n in nodes))
    return EXIT_OK


def cmd_search(args, project: Project) -> int:
    import json

    from kg.search.service import Search, answer, check_query, table

    check_query(args.text)                      # a bad query fails before the index is built
    search = Search.of_dist(project.dist)
    if args.format == "json":
        _out(json.dumps(answer(search, args.text, args.lang, args.cls, args.limit), ensure_ascii=False, indent=2))
    else:
        _out(table(search, search.find(args.text, args.lang, args.cls, args.limit), args.lang))
    return EXIT_OK


def cmd_serve(args, project: Project) -> int:
    from kg.web.serve import run_serve

    limits = Limits(max_query_chars=args.max_query_chars, max_body_bytes=args.max_body_bytes,
                    max_rows=args.max_rows, timeout=args.timeout, workers=args.workers)
    try:
        run_serve(project, args.host, args.port, limits, args.cors)
    except FileNotFoundError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    return EXIT_OK


def cmd_view(args, project: Project) -> int:
    from kg.present.views import entity_view, write_view
    from kg.query.saved import open_graph

    if not project.graph_file.exists():
        _err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    graph = open_graph(project.graph_file, "rdflib", inferred=False)
    nodes = _find_or_suggest(graph, args.label)
    out = Path(args.out) if args.out else project.dist / "views"
    for node in nodes:
        view = entity_view(graph, node, args.depth, args.lang)
        path = write_view(view, out, args.lang)
        print(f"{path}: {len(view.network.nodes)} nodes, {len(view.network.edges)} edges")
        if not args.no_open:
            webbrowser.open(path.resolve().as_uri())
    return EXIT_OK


def cmd_export(args, project: Project) -> int:
    from rdflib import Graph

    from kg.rdfio.export import FILES, export_bytes

    if not project.graph_file.exists():
        _err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    graph, ontology, inferred = Graph(), Graph(), Graph()
    graph.parse(project.graph_file, format="turtle")
    ontology.parse(project.dist / ONTOLOGY_FILE, format="turtle")
    inferred.parse(project.inferred_file, format="turtle")
    data = export_bytes(args.format, graph, ontology, inferred)
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        out = Path(args.out or FILES[args.format])
        out.write_bytes(data)
        print(f"wrote {out} ({len(data)} bytes)")
    return EXIT_OK


def cmd_load(args, project: Project) -> int:
    from kg.rdfio.load import load

    source = project.dist / "cbec-kg.nt"
    if not source.exists():
        _err(not_built(source))
        return EXIT_BAD_INPUT
    jobs = [(source, args.graph or GRAPH_FACTS)]
    if args.inferred:
        from rdflib import Graph

        nt = project.dist / "inferred.nt"
        if not nt.exists() or nt.stat().st_mtime < project.inferred_file.stat().st_mtime:
            from kg.rdfio.serialize import sorted_ntriples

            nt.write_bytes(sorted_ntriples(Graph().parse(project.inferred_file, format="turtle")))
        jobs.append((nt, args.inferred_graph or GRAPH_INFERRED))
    for path, graph in jobs:
        report = load(path, args.endpoint, graph, args.user, args.password, args.timeout)
        print(f"loaded {report.triples} triples into <{report.graph}> at {args.endpoint} "
              f"({report.bytes / 1e6:.2f} MB, {report.seconds:.2f} s, verified by reading the graph back)")
    return EXIT_OK


def cmd_queries(args, project: Project) -> int:
    from kg.query.saved import catalogue

    for q in catalogue(project.queries_dir):
        print(f"{q.name}\n    {q.title_in(args.lang)}\n    {q.meta.get('question', '')}")
    return EXIT_OK


def cmd_query(args, project: Project) -> int:
    from kg.query.catalogue import prepare, resolve
    from kg.query.guards import guard

    if args.expression:
        text = args.expression
    elif args.name:
        text = resolve(args.name, project.queries_dir).text
    else:
        _err("give a saved query's NAME, a FILE.rq, or -e 'SELECT ...'")
        return EXIT_BAD_INPUT
    text = prepare(text, args.lang)
    guard(text)
    if args.endpoint:
        from kg.query.remote import query_endpoint

        _out(query_endpoint(args.endpoint, text, args.format, args.timeout))
        return EXIT_OK
    if args.engine == "oxigraph" and (project.store_dir / "CURRENT").exists():
        from kg.query.local import render, run_on_store  # the build's on-disk store: no Turtle to parse

        _out(render(run_on_store(project.store_dir, text), args.format))
        return EXIT_OK
    if not project.graph_file.exists():
        _err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    from kg.query.saved import open_graph, run, serialize

    graph = open_graph(project.graph_file, args.engine)
    _out(serialize(run(graph, text, args.lang), args.format))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="cbec-kg", description="Build, check and query the cross-border e-commerce knowledge graph.")
    top.add_argument("--version", action="version", version=f"cbec-kg {__version__}")
    top.add_argument("--root", help="project folder (default: the one holding the kg package)")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of labels (default: zh)")

    p = sub.add_parser("build", parents=[lang], help="validate the facts and build dist/ (graph, checks, exports, views)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument("--open", action="store_true", help="open the views in a browser afterwards")
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check (SHACL still runs)")
    p.add_argument("--shacl", choices=["sparql", "pyshacl"], default="sparql",
                   help="SHACL validator: the shapes compiled to SPARQL on Oxigraph (default, fast) or pySHACL (the reference)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="validate the ontology and fact sheets without writing anything")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("ground", help="check each number's offset in its document's text; fill missing ones")
    p.add_argument("--document", help="only this document (a Report block's id; default: every document)")
    p.add_argument("--source", help="the document's text file (default: its textFile in ../shared/sources)")
    p.add_argument("--write", action="store_true", help="write missing offsets into the fact sheets")
    p.set_defaults(func=cmd_ground)

    p = sub.add_parser("coverage", help="list a document's numbers that no fact accounts for, by section")
    p.add_argument("--document", help="the document (a Report block's id; default: report)")
    p.add_argument("--source", help="the document's text file (default: its textFile in ../shared/sources)")
    p.add_argument("--all", action="store_true", help="list every number not accounted for (default: the first 40)")
    p.add_argument("--target", type=float, default=95.0, help="exit 1 below this share, in per cent (default: 95)")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("conflicts", parents=[lang], help="figures for the same thing that disagree, each with its places")
    p.add_argument("--strict", action="store_true", help="exit 1 when there is any conflict")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("diff", parents=[lang], help="compare two built graphs (dist/ folders or .ttl/.nt files)")
    p.add_argument("old", help="the earlier build: a dist/ folder, a .ttl or a .nt file")
    p.add_argument("new", help="the later build, the same way")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("propose", help="candidate statistics from a plain text, in the fact-sheet format, for a curator")
    p.add_argument("text", metavar="TEXT", help="the text file to read (UTF-8)")
    p.add_argument("--document", metavar="ID", help="the document (Report block) the text is (default: the one with its SHA-256)")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml", help="a YAML sheet or a JSON list (default: yaml)")
    p.add_argument("--merge", metavar="SHEET", help="an earlier proposal: keep the blocks a curator marked accepted or dropped")
    p.set_defaults(func=cmd_propose)

    p = sub.add_parser("serve", help="serve the built graph read-only: SPARQL at /sparql, an editor at /")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    limits = Limits()   # the defaults: defined once, in kg.query.engine
    p.add_argument("--timeout", type=float, default=limits.timeout, help=f"per-query time limit in seconds (default: {limits.timeout:g})")
    p.add_argument("--max-rows", type=int, default=limits.max_rows,
                   help=f"most results returned; more are dropped and said so (default: {limits.max_rows})")
    p.add_argument("--max-query-chars", type=int, default=limits.max_query_chars, help=f"longest query accepted (default: {limits.max_query_chars})")
    p.add_argument("--max-body-bytes", type=int, default=limits.max_body_bytes,
                   help=f"largest request body accepted (default: {limits.max_body_bytes})")
    p.add_argument("--workers", type=int, default=limits.workers, help=f"query worker processes (default: {limits.workers})")
    p.add_argument("--cors", metavar="ORIGIN", help="allow this origin to call /sparql from a browser (default: none)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("view", parents=[lang], help="draw the neighbourhood of an entity and open it")
    p.add_argument("label", metavar="LABEL", help="a Chinese or English label, an alias, or an id")
    p.add_argument("--depth", type=int, default=1, help="how many steps out from the entity (default: 1)")
    p.add_argument("--out", help="folder to write to (default: dist/views)")
    p.add_argument("--no-open", action="store_true", help="write the file without opening a browser")
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("export", help="write the built graph in a standard format")
    p.add_argument("--format", required=True, choices=("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads", "graphml", "csv"))
    p.add_argument("--out", help="file to write ('-' for standard output; default: the format's file name)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("load", help="push the built graph into a store (SPARQL 1.1 Graph Store HTTP Protocol)")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the store's Graph Store endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph) "
                        "or http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso)")
    p.add_argument("--graph", metavar="IRI", help=f"target graph (default: {GRAPH_FACTS})")
    p.add_argument("--inferred", action="store_true", help="also load the inferred triples, into their own graph")
    p.add_argument("--inferred-graph", metavar="IRI", help=f"graph for the inferred triples (default: {GRAPH_INFERRED})")
    p.add_argument("--user", help="user name, if the store asks for one (digest or basic authentication)")
    p.add_argument("--password", help="password for --user")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for the store (default: 300)")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("queries", parents=[lang], help="list the saved queries")
    p.set_defaults(func=cmd_queries)

    p = sub.add_parser("show", parents=[lang], help="an entity card: types, labels, facts and their places in the report")
    p.add_argument("label", metavar="LABEL", help="a Chinese or English label, an alias, or an id")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", parents=[lang], help="find entities and statistics by name (labels, aliases; zh or en)")
    p.add_argument("text", metavar="TEXT", help="words to look for: 菜鸟, B2C, 'AliExpress 海外仓', even misspelt Latin")
    p.add_argument("--class", dest="cls", metavar="C", help="only this class and its sub-classes (e.g. Company or 企业)")
    p.add_argument("--limit", type=int, default=10, help="most hits shown, 1-100 (default: 10)")
    p.add_argument("--format", default="table", choices=("table", "json"))
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("query", parents=[lang], help="run a saved query, a .rq file, or -e TEXT",
                       description="Run a query on the built graph: the asserted triples and the inferred ones "
                                   "(dist/inferred.ttl) together, or on any SPARQL 1.1 endpoint.")
    p.add_argument("name", nargs="?", metavar="NAME|FILE.rq")
    p.add_argument("-e", "--expression", help="SPARQL text to run")
    p.add_argument("--format", default="table", choices=("table", "csv", "tsv", "json", "xml", "turtle", "json-ld"),
                   help="table (default), csv, tsv, json or xml for rows and yes/no; turtle, json-ld or xml for graphs")
    p.add_argument("--engine", default="oxigraph", choices=("oxigraph", "rdflib"),
                   help="embedded engine (default: oxigraph, from dist/store; rdflib, the reference, is slow: "
                        "about a minute on aliexpress_services)")
    p.add_argument("--endpoint", metavar="URL", help="run against this SPARQL 1.1 endpoint instead of the embedded graph")
    p.add_argument("--timeout", type=int, default=60, help="seconds to wait for --endpoint (default: 60)")
    p.set_defaults(func=cmd_query)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "func", None):
        parser().print_help()
        return EXIT_BAD_INPUT
    project = Project.find(args.root)
    try:
        with quiet_libraries():     # libraries' own logging and warnings are not for the user (kg/quiet.py)
            return args.func(args, project)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        _err(f"{exc.total} problem(s) in the input; nothing was written")
        return EXIT_BAD_INPUT
    except CheckError as exc:
        _err(str(exc))
        return EXIT_CHECK_FAILED
    except (LookupError, ValueError) as exc:   # includes syntax errors and refused queries
        _err(str(exc))
        return EXIT_BAD_INPUT
    except ServiceError as exc:                 # an endpoint or store that failed, refused or could not be reached
        _err(str(exc))
        return EXIT_SERVICE
    except RuntimeError as exc:                 # a step of the build that stopped
        _err(str(exc))
        return EXIT_CHECK_FAILED
    except BrokenPipeError:                     # output piped into a command that stopped reading
        return EXIT_OK
    except OSError as exc:                      # a missing or unreadable file
        _err(f"{exc.strerror or exc}: {exc.filename}" if getattr(exc, "filename", None) else str(exc))
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())


def entry() -> None:
    """The console script: ``main``, then leave at once.

    Tearing down the interpreter's objects (a built graph is millions of them) took longer than some commands;
    the output is flushed and files are closed by then, so the process exits without that clean-up, as mypy does.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that stopped, or a closed stream: nothing more to say
            pass
    os._exit(code)
