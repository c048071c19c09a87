"""The live view's HTTP server: stdlib ThreadingHTTPServer on 127.0.0.1, Server-Sent Events.

``GET /`` is the page, ``GET /stream`` an event stream: every 1/push_hz s one ``data:`` event with
all rows since the client's last one (JSON list of rows, NaN as null). Binding is to the loopback
address only; nothing on the page loads from the network.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from exo_control.liveview.config import LiveViewConfig
from exo_control.liveview.page import render_page
from exo_control.liveview.sampler import SampleBuffer

log = logging.getLogger(__name__)

HOST = "127.0.0.1"


class LiveViewError(RuntimeError):
    """The live view cannot be served (port taken, ...)."""


def _encode(rows: list[list[float]]) -> bytes:
    clean = [[None if (isinstance(v, float) and not math.isfinite(v)) else round(v, 4) for v in r] for r in rows]
    return b"data: " + json.dumps(clean, separators=(",", ":")).encode() + b"\n\n"


class LiveViewServer:
    """Serves one SampleBuffer. ``start()`` returns the URL; ``stop()`` closes every stream."""

    def __init__(self, buffer: SampleBuffer, config: LiveViewConfig, *, title: str = "") -> None:
        self.buffer = buffer
        self.config = config
        self.page = render_page({"window_s": config.window_s, "title": title})
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise LiveViewError("live view server is not started")
        return f"http://{HOST}:{self._httpd.server_address[1]}/"

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, fmt: str, *args: Any) -> None:
                log.debug("liveview %s: " + fmt, self.address_string(), *args)

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                if self.path in ("/", "/index.html"):
                    self._send(200, "text/html; charset=utf-8", server.page)
                elif self.path == "/stream":
                    self._stream()
                else:
                    self._send(404, "text/plain", b"not found")

            def _send(self, code: int, ctype: str, body: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def _stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "keep-alive")
                self.end_headers()
                period = 1.0 / server.config.push_hz
                seq = 0
                idle = 0.0
                try:
                    while not server._stop.is_set():
                        seq, rows = server.buffer.since(seq)
                        if rows:
                            self.wfile.write(_encode(rows))
                            idle = 0.0
                        elif idle >= 1.0:
                            self.wfile.write(b": keepalive\n\n")
                            idle = 0.0
                        self.wfile.flush()
                        idle += period
                        server._stop.wait(period)
                except (BrokenPipeError, ConnectionResetError):
                    log.debug("liveview client went away")

        try:
            httpd = ThreadingHTTPServer((HOST, self.config.port), Handler)
        except OSError as exc:
            raise LiveViewError(f"cannot serve the live view on {HOST}:{self.config.port}: {exc.strerror or exc}") from exc
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="liveview-http", daemon=True)
        self._thread.start()
        log.info("live view at %s", self.url)
        return self.url

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
