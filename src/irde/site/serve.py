"""`irde site --serve`: preview a built site on localhost (never on another interface) with the
standard library's HTTP server, until interrupted. Serving only: building is `irde.site.build`.
"""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the standard library's name
        pass


def make_server(folder: Path, port: int = 8000) -> ThreadingHTTPServer:
    """A server for `folder` on 127.0.0.1:`port` (0 picks a free port); call serve_forever() on it."""
    handler = functools.partial(_Quiet, directory=str(folder))
    return ThreadingHTTPServer((HOST, port), handler)
