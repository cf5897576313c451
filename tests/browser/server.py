"""Serve a built site directory on 127.0.0.1 under a sub-path, as GitHub Pages project sites are.

``SiteServer(root, prefix="/some/prefix/")`` answers ``GET <prefix><path>`` from files under
``root`` (``index.html`` for folders, a redirect for a folder requested without its slash) and
404 for anything outside the prefix, so a link that forgets the prefix breaks visibly. Every
request path is logged in ``requests``.
"""

from __future__ import annotations

import contextlib
import mimetypes
import posixpath
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class SiteServer:
    """Context manager: ``with SiteServer(root, "/a/b/") as srv: srv.url("index.html")``."""

    def __init__(self, root: Path, prefix: str = "/") -> None:
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        self.root = root.resolve()
        self.prefix = prefix
        self.requests: list[str] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        """The site's root URL, ending in ``/``."""
        return self.origin + self.prefix

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def _resolve(self, request_path: str) -> tuple[int, Path | str | None]:
        """(status, file) for a request path, or (301, location) or (404, None)."""
        path = unquote(urlsplit(request_path).path)
        if not path.startswith(self.prefix):
            return 404, None
        rel = posixpath.normpath("/" + path[len(self.prefix):]).lstrip("/")
        target = (self.root / rel).resolve() if rel not in ("", ".") else self.root
        if target != self.root and self.root not in target.parents:
            return 404, None
        if target.is_dir():
            if not path.endswith("/"):
                return 301, path + "/"
            target = target / "index.html"
        if not target.is_file():
            return 404, None
        return 200, target

    def __enter__(self) -> SiteServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, found = server._resolve(self.path)
                body = b""
                ctype = "text/plain; charset=utf-8"
                if status == 200 and isinstance(found, Path):
                    body = found.read_bytes()
                    guessed = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                    ctype = guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")
                elif status == 404:
                    body = b"not found"
                self.send_response(status)
                if status == 301:
                    self.send_header("Location", str(found))
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()


mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("application/manifest+json", ".webmanifest")
