"""Commands that read the built graph: ``query``, ``queries``, ``show``, ``search``, ``view``."""

from __future__ import annotations

from pathlib import Path

from kg.commands.output import err, find_or_suggest, open_page, out
from kg.names import not_built
from kg.project import Project
from kg.sheets.errors import EXIT_BAD_INPUT, EXIT_OK


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
        err("give a saved query's NAME, a FILE.rq, or -e 'SELECT ...'")
        return EXIT_BAD_INPUT
    text = prepare(text, args.lang)
    guard(text)
    if args.endpoint:
        from kg.query.remote import query_endpoint  # the endpoint's answer, read into an Answer and written as below

        out(query_endpoint(args.endpoint, text, args.format, args.timeout))
        return EXIT_OK
    from kg.query.answer import on_disk_store, write

    if args.engine == "oxigraph" and (project.store_dir / "CURRENT").exists():
        answer = on_disk_store(project.store_dir, text)     # the build's on-disk store: no Turtle to parse, no rdflib
    elif project.graph_file.exists():
        from kg.query.saved import open_graph
        from kg.query.sources import ask

        answer = ask(open_graph(project.graph_file, args.engine), text)
    else:
        err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    out(write(answer, args.format))
    return EXIT_OK


def cmd_show(args, project: Project) -> int:
    from kg.query.lookup import lookup
    from kg.web.entity import card, render_text

    if (project.store_dir / "CURRENT").exists():
        from kg.rdfio.disk import open_disk_store  # the build's on-disk store: no Turtle to parse, no rdflib

        graph = lookup(open_disk_store(project.store_dir))    # its default graph: the asserted facts, each placed
    elif project.graph_file.exists():
        from kg.query.saved import open_graph

        graph = lookup(open_graph(project.graph_file, "rdflib", inferred=False))
    else:
        err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    nodes = find_or_suggest(graph, args.label)
    print("\n\n".join(render_text(card(graph, n, args.lang), args.lang) for n in nodes))
    return EXIT_OK


def cmd_search(args, project: Project) -> int:
    import json

    from kg.search.service import Search, answer, check_query, table

    check_query(args.text)                      # a bad query fails before the index is built
    search = Search.of_dist(project.dist)
    if args.format == "json":
        out(json.dumps(answer(search, args.text, args.lang, args.cls, args.limit), ensure_ascii=False, indent=2))
    else:
        out(table(search, search.find(args.text, args.lang, args.cls, args.limit), args.lang))
    return EXIT_OK


def cmd_view(args, project: Project) -> int:
    from kg.present.views import entity_view, write_view
    from kg.query.saved import open_graph
    from kg.rdfio.serialize import store_of
    from kg.rdfio.store import memory_graph

    if not project.graph_file.exists():
        err(not_built(project.graph_file))
        return EXIT_BAD_INPUT
    # Oxigraph parses the Turtle (rdflib's parser took 2.5x as long); the view reads rdflib's memory copy of it
    graph = memory_graph(store_of(open_graph(project.graph_file, inferred=False)))
    nodes = find_or_suggest(graph, args.label)
    out = Path(args.out) if args.out else project.dist / "views"
    for node in nodes:
        view = entity_view(graph, node, args.depth, args.lang)
        path = write_view(view, out, args.lang)
        print(f"{path}: {len(view.network.nodes)} nodes, {len(view.network.edges)} edges")
        if not args.no_open:
            open_page(path)
    return EXIT_OK
