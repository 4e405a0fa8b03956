"""Exit codes, as the README defines them: 0 success, 1 the data fails a check, 2 bad usage or input,
3 a service is unreachable or refuses. Each is reached through the command itself."""

from __future__ import annotations

import http.server
import threading

import pytest

from kg.cli import main
from kg.sheets.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, EXIT_SERVICE
from tests.support.stores import free_port


def test_the_codes_are_the_documented_ones():
    assert (EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_SERVICE) == (0, 1, 2, 3)


def test_unreachable_endpoint_exits_3(capsys):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    assert main(["query", "-e", "ASK { ?s ?p ?o }", "--endpoint", url, "--timeout", "5"]) == EXIT_SERVICE
    err = capsys.readouterr().err
    assert f"could not reach {url}" in err and "Traceback" not in err


class _Refusing(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers every query with HTTP 503."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"overloaded"
        self.send_response(503)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture()
def refusing_endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_refusing_endpoint_exits_3(refusing_endpoint, capsys, fmt):
    assert main(["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", refusing_endpoint, "--format", fmt]) == EXIT_SERVICE
    err = capsys.readouterr().err
    assert "refused the query" in err or "could not reach" in err
    assert "Traceback" not in err


def test_bad_usage_exits_2(capsys):
    assert main(["query"]) == EXIT_BAD_INPUT
    assert "give a saved query's NAME" in capsys.readouterr().err


def test_bad_query_exits_2_before_any_endpoint_is_asked(capsys):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    assert main(["query", "-e", "SELECT WHERE {", "--endpoint", url]) == EXIT_BAD_INPUT
    assert "syntax error at line 1" in capsys.readouterr().err


def test_data_failing_a_check_exits_1(report_source, capsys):  # report_source: skips where the text is absent
    # no coverage can reach 100.01 % of the report's numbers: the check fails, which is exit 1
    assert main(["coverage", "--target", "100.01"]) == EXIT_CHECK_FAILED
    assert "Traceback" not in capsys.readouterr().err
