"""Driver health reports in the shape of ``diagnostic_msgs/DiagnosticStatus``, without ROS.

Node wrappers copy ``level``, ``message`` and ``values`` into a DiagnosticStatus; the levels
are the message's constants. ``temperature_c`` is the key the safety node reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK = 0
WARN = 1
ERROR = 2
STALE = 3


@dataclass(frozen=True)
class DiagnosticReport:
    """One device's status: level (OK/WARN/ERROR/STALE), a one-line message, key/values."""

    name: str
    level: int
    message: str
    values: dict[str, str] = field(default_factory=dict)
