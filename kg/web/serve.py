"""``cbec-kg serve``: a read-only SPARQL 1.1 endpoint with a web editor, entity pages and the views.

* ``/sparql`` — the SPARQL 1.1 Protocol: GET ``?query=``, POST form-encoded, POST
  ``application/sparql-query``; results as JSON, XML, CSV or TSV (CONSTRUCT and
  DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD) by the Accept header or
  ``?format=``. Updates and SERVICE are refused (403); a syntax error is a 400
  with its line and column; a query past the time limit is stopped (503).
* ``/`` — the workbench's start page; ``/entity/ID``, ``/section/ID``, ``/sections/``,
  ``/browse/`` and ``/browse/CLASS`` — entities, the report's parts and classes
  (``kg/web/pages.py``); ``/editor`` — YASGUI, installed from npm at set-up
  (``web/``) and served from here; ``/views/`` — the graph views.

Starlette supplies the HTTP layer; the protocol rules are in this module and
the query execution, with its limits, in ``engine.py``. Nothing here fetches
from elsewhere, and the server binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.names import not_built
from kg.present.render import STATIC
from kg.project import Project
from kg.query.engine import Engine, Limits, QueryTimeout
from kg.query.guards import QueryRefused, QuerySyntaxError, guard
from kg.query.saved import open_graph
from kg.web.conflicts_page import routes as conflicts_routes
from kg.web.editor import editor_endpoint
from kg.web.pages import routes as workbench_routes
from kg.web.search import search_routes
from kg.web.statistics_pages import routes as statistics_routes
from kg.web.viewpages import view_page

YASGUI_FILES = {"yasgui.min.js": "application/javascript", "yasgui.min.css": "text/css"}
CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
ACCEPT_ROWS = {"application/sparql-results+json": "json", "application/json": "json",
               "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
               "text/csv": "csv", "text/tab-separated-values": "tsv"}
ACCEPT_GRAPH = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
                "text/plain": "ntriples", "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld"}
FORMAT_PARAM = {"json": ("json", None), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
                "turtle": (None, "turtle"), "ttl": (None, "turtle"), "nt": (None, "ntriples"),
                "ntriples": (None, "ntriples"), "rdfxml": (None, "rdfxml"), "jsonld": (None, "jsonld"),
                "json-ld": (None, "jsonld")}


def negotiate(accept: str, fmt: str | None) -> tuple[str, str]:
    """(row format, graph format) from ``?format=`` or the Accept header, by q-value."""
    row, graph = "json", "turtle"
    if fmt and fmt.lower() in FORMAT_PARAM:
        r, g = FORMAT_PARAM[fmt.lower()]
        return r or row, g or graph
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.strip().lower()))
    for _, _, media in sorted(ranked):
        if media in ACCEPT_ROWS:
            row = ACCEPT_ROWS[media]
            break
    for _, _, media in sorted(ranked):
        if media in ACCEPT_GRAPH:
            graph = ACCEPT_GRAPH[media]
            break
    return row, graph


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


class App:
    def __init__(self, project: Project, limits: Limits, cors: str | None = None):
        self.project = project
        self.limits = limits
        self.cors = cors
        files = [project.graph_file] + ([project.inferred_file] if project.inferred_file.exists() else [])
        self.engine = Engine(files, limits)
        self.yasgui = project.root / "web" / "node_modules" / "@zazuko" / "yasgui" / "build"
        self._graph = None
        self._graph_lock = threading.Lock()

    # -- SPARQL protocol -------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        text, problem = await self._read_query(request)
        if problem:
            return problem
        if len(text) > self.limits.max_query_chars:
            return _error(413, f"query too long: {len(text)} characters (limit {self.limits.max_query_chars})")
        try:
            guard(text)
        except QueryRefused as exc:
            return _error(403, str(exc))
        except QuerySyntaxError as exc:
            return _error(400, str(exc))
        row, graph = negotiate(request.headers.get("accept", ""), request.query_params.get("format"))
        try:
            media, body, dropped = await asyncio.get_running_loop().run_in_executor(None, self.engine.run, text, row, graph)
        except QueryTimeout as exc:
            return _error(503, str(exc))
        except SyntaxError as exc:
            return _error(400, f"syntax error: {exc}")
        except RuntimeError as exc:
            return _error(500, f"query failed: {exc}")
        headers = {"Cache-Control": "no-store"}
        if dropped:
            headers["X-Cbec-Kg-Truncated"] = (f"{dropped} more results were dropped: at most "
                                              f"{self.limits.max_rows} are returned")
        if self.cors:
            headers["Access-Control-Allow-Origin"] = self.cors
        charset = "; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else ""
        return Response(body, media_type=media + charset, headers=headers)

    async def _read_query(self, request: Request) -> tuple[str, Response | None]:
        if request.method == "GET":
            if "update" in request.query_params:
                return "", _error(403, "updates are refused: this endpoint is read-only")
            text = request.query_params.get("query")
            return (text, None) if text else ("", _error(400, "no query: send ?query=..."))
        size = int(request.headers.get("content-length") or 0)
        if size > self.limits.max_body_bytes:
            return "", _error(413, f"request body too large: {size} bytes (limit {self.limits.max_body_bytes})")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.limits.max_body_bytes:
                return "", _error(413, f"request body too large (limit {self.limits.max_body_bytes} bytes)")
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return "", _error(403, "updates are refused: this endpoint is read-only")
        if ctype == "application/sparql-query":
            return body.decode("utf-8", errors="replace"), None
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", errors="replace"))
            if "update" in form:
                return "", _error(403, "updates are refused: this endpoint is read-only")
            if "query" in form:
                return form["query"][0], None
            return "", _error(400, "no query: send query=... in the form")
        return "", _error(415, f"unsupported content type '{ctype}': use application/sparql-query or a form")

    # -- pages -----------------------------------------------------------------------
    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = self.yasgui / name
        if name not in YASGUI_FILES or not path.exists():
            return _error(404, f"no asset '{name}' (run 'npm ci' in web/ to install YASGUI)")
        return FileResponse(path, media_type=YASGUI_FILES[name])

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file():
            return _error(404, f"no static file '{name}'")
        media = {".js": "application/javascript", ".css": "text/css"}.get(path.suffix, "application/octet-stream")
        return FileResponse(path, media_type=media)

    async def view(self, request: Request) -> Response:
        return view_page(self.project.dist / "views", request.path_params.get("name", ""),
                         request.query_params.get("lang"))

    def graph(self):
        """The asserted graph the pages read, loaded once (the server starts loading it as it starts)."""
        with self._graph_lock:
            if self._graph is None:
                self._graph = open_graph(self.project.graph_file, "rdflib", inferred=False)
        return self._graph

    async def refuse(self, request: Request) -> Response:
        return _error(405, "this endpoint is read-only")


def create_app(project: Project, limits: Limits | None = None, cors: str | None = None) -> Starlette:
    app_state = App(project, limits or Limits(), cors)
    routes = [
        Route("/sparql", app_state.sparql, methods=["GET", "POST"]),
        Route("/sparql", app_state.refuse, methods=["PUT", "DELETE", "PATCH"]),
        Route("/editor", editor_endpoint(project.queries_dir), methods=["GET"]),
        Route("/assets/yasgui/{name}", app_state.asset, methods=["GET"]),
        Route("/static/{name}", app_state.static, methods=["GET"]),
        Route("/views/", app_state.view, methods=["GET"]),
        Route("/views/{name:path}", app_state.view, methods=["GET"]),
        *workbench_routes(project, app_state.graph),
        *statistics_routes(app_state),
        *search_routes(project),
        *conflicts_routes(project, app_state.graph),
        Route("/health", lambda request: JSONResponse({"ok": True}), methods=["GET"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        if project.graph_file.exists():           # the pages' graph loads while the first requests come in
            threading.Thread(target=app_state.graph, name="load-graph", daemon=True).start()
        yield
        app_state.engine.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.engine = app_state.engine
    return app


def run_serve(project: Project, host: str, port: int, limits: Limits, cors: str | None = None) -> None:
    import uvicorn  # lazy: only `cbec-kg serve` runs a server; the tests and `create_app` need none

    if not project.graph_file.exists():
        raise FileNotFoundError(not_built(project.graph_file))
    app = create_app(project, limits, cors)
    print(f"cbec-kg: serving {project.graph_file} read-only at http://{host}:{port}/ (SPARQL at /sparql)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
