"""The ``cbec-kg`` command: a thin layer of argument parsing over the library.

Exit codes: 0 success; 1 the data fails a check; 2 bad usage or bad input; 3 a service (SPARQL endpoint, store)
is unreachable or refuses.
"""

from __future__ import annotations

import argparse
import os
import sys

from kg.commands.curation import cmd_conflicts, cmd_diff, cmd_propose
from kg.commands.data import cmd_build, cmd_check, cmd_coverage, cmd_ground
from kg.commands.output import err
from kg.commands.publish import cmd_export, cmd_load, cmd_serve
from kg.commands.reading import cmd_queries, cmd_query, cmd_search, cmd_show, cmd_view
from kg.names import GRAPH_FACTS, GRAPH_INFERRED
from kg.project import Project
from kg.query.limits import Limits
from kg.quiet import quiet_libraries
from kg.sheets.errors import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_SERVICE,
    CheckError,
    InputError,
    ServiceError,
)

from . import __version__


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
    limits = Limits()   # the defaults: defined once, in kg.query.limits
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
                   help="embedded engine (default: oxigraph, from dist/store; rdflib, the reference, is slower, "
                        "and a UNION joined to other patterns can take it minutes)")
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
        err(f"{exc.total} problem(s) in the input; nothing was written")
        return EXIT_BAD_INPUT
    except CheckError as exc:
        err(str(exc))
        return EXIT_CHECK_FAILED
    except (LookupError, ValueError) as exc:   # includes syntax errors and refused queries
        err(str(exc))
        return EXIT_BAD_INPUT
    except ServiceError as exc:                 # an endpoint or store that failed, refused or could not be reached
        err(str(exc))
        return EXIT_SERVICE
    except RuntimeError as exc:                 # a step of the build that stopped
        err(str(exc))
        return EXIT_CHECK_FAILED
    except BrokenPipeError:                     # output piped into a command that stopped reading
        return EXIT_OK
    except OSError as exc:                      # a missing or unreadable file
        err(f"{exc.strerror or exc}: {exc.filename}" if getattr(exc, "filename", None) else str(exc))
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
