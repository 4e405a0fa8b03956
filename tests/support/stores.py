"""Real triple stores on this machine, for the differential tests and the benchmarks.

* Oxigraph server (the PyPI package ``oxigraph``, a command ``oxigraph``),
* OpenLink Virtuoso (Debian's ``virtuoso-opensource``), run as ``virtuoso-t
  +foreground`` with an ini of our own: database under a temporary folder, SQL
  and HTTP ports bound to 127.0.0.1, the load folder in ``DirsAllowed``. Its
  packaged service is not used (it does not start on these machines).

Both bind to 127.0.0.1 only, on free ports, and are stopped by ``close()``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kg.names import GRAPH_FACTS, GRAPH_INFERRED  # noqa: F401 - the tests and benchmarks take them from here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


def sparql_select(endpoint: str, query: str, timeout: float = 60) -> dict:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(endpoint, data=data, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        import json

        return json.loads(response.read())


@dataclass
class Store:
    name: str
    endpoint: str
    process: subprocess.Popen | None = None
    folder: Path | None = None
    load_seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not os.path.exists(found):
        raise FileNotFoundError("the 'oxigraph' command is missing (pip install oxigraph)")
    return found


def start_oxigraph(files: dict[str, Path]) -> Store:
    """Bulk-load ``{graph IRI: file}`` into a fresh Oxigraph database, then serve it read-only."""
    folder = Path(tempfile.mkdtemp(prefix="cbec-kg-oxigraph-"))
    binary = oxigraph_binary()
    t0 = time.monotonic()
    for graph, path in files.items():
        subprocess.run([binary, "load", "--location", str(folder / "db"), "--file", str(path), "--graph", graph],
                       check=True, capture_output=True)
    load_seconds = time.monotonic() - t0
    port = free_port()
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(folder / "db"), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = Store("oxigraph", f"http://127.0.0.1:{port}/query", process, folder, load_seconds)
    wait_http(f"http://127.0.0.1:{port}/")
    return store


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {load}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 1G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultQuery = SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10
"""


def start_virtuoso(files: dict[str, Path]) -> Store:
    """Start Virtuoso on free loopback ports and bulk-load ``{graph IRI: N-Triples or Turtle file}``."""
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        raise FileNotFoundError("Virtuoso is missing (Debian package virtuoso-opensource)")
    folder = Path(tempfile.mkdtemp(prefix="cbec-kg-virtuoso-"))
    load = folder / "load"
    load.mkdir()
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql=sql, http=http, load=load))
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = Store("virtuoso", f"http://127.0.0.1:{http}/sparql", process, folder, extra={"sql": sql})
    try:
        wait_http(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", 120)
        t0 = time.monotonic()
        commands = []
        for i, (graph, path) in enumerate(files.items()):
            target = load / f"{i}-{path.name}"
            shutil.copyfile(path, target)
            commands.append(f"ld_dir('{load}', '{target.name}', '{graph}');")
        commands += ["rdf_loader_run();", "checkpoint;"]
        isql(store, " ".join(commands))
        store.load_seconds = time.monotonic() - t0
    except BaseException:
        store.close()
        raise
    return store


def isql(store: Store, commands: str) -> str:
    result = subprocess.run(["isql-vt", f"127.0.0.1:{store.extra['sql']}", "dba", "dba", f"exec={commands}"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0 or "*** Error" in result.stdout:
        raise RuntimeError(f"isql-vt failed: {result.stdout[-500:]} {result.stderr[-500:]}")
    return result.stdout
