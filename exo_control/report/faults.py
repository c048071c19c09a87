"""Faults of a trial: the ERROR statuses on /diagnostics, grouped by status name and message."""

from __future__ import annotations

from dataclasses import dataclass

from exo_control.report.load import DiagEvent
from exo_interfaces.messages import DIAG_ERROR


@dataclass(frozen=True)
class Fault:
    name: str
    message: str
    first_s: float
    last_s: float
    reports: int


def faults(events: list[DiagEvent]) -> list[Fault]:
    """One entry per distinct (name, message) reported at ERROR level, in order of first report."""
    seen: dict[tuple[str, str], list[float]] = {}
    for e in events:
        if e.level == DIAG_ERROR:
            seen.setdefault((e.name, e.message), []).append(e.t)
    return [Fault(n, msg, ts[0], ts[-1], len(ts)) for (n, msg), ts in sorted(seen.items(), key=lambda kv: kv[1][0])]
