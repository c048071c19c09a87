"""Parameters of the live view (127.0.0.1 only)."""

from __future__ import annotations

from dataclasses import dataclass

from exo_interfaces.params import param


@dataclass(frozen=True, kw_only=True)
class LiveViewConfig:
    """Where the live page is served and how it streams."""

    port: int = param(8765, "Local TCP port on 127.0.0.1 (0 = any free port).", ge=0, le=65535)
    push_hz: float = param(20.0, "Server-Sent Events batches per second (each carries every new sample).", gt=0.0, le=100.0)
    window_s: float = param(10.0, "Seconds of history on the page.", gt=0.5, le=120.0)
    buffer_rows: int = param(20_000, "Rows kept for clients that connect late or lag.", ge=100)
