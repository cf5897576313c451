"""Small helpers for tests that start a real server on 127.0.0.1 (serve commands)."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_text(url: str, timeout: float = 10.0) -> str | None:
    """The body of a loopback URL as text, or ``None`` while the server is not answering."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # loopback only
            return str(resp.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
