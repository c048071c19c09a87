"""Request/response types of the stack's services, with std_srvs field names.

The rosbags type store has no service types, so the in-process backend uses these small
classes; the rclpy backend maps them to ``std_srvs/srv/SetBool`` and ``std_srvs/srv/Trigger``
field by field (the names are identical).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SetBoolRequest:
    data: bool


@dataclass(frozen=True)
class TriggerRequest:
    pass


@dataclass(frozen=True)
class ServiceResponse:
    """Response of both SetBool and Trigger."""

    success: bool
    message: str
