"""The node API every hip_exo node is written against; it never imports rclpy.

A node is a class that receives a :class:`NodeHandle` (from either backend) and its typed
config, creates its publishers, subscriptions, timers and services in ``__init__``, and keeps
its logic in callbacks. ``shutdown()`` runs before the runtime stops; nodes that can move a
motor use it to bring torque to zero, in ``SHUTDOWN_ORDER`` (lowest first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from exo_interfaces.contract import Service, Topic
from exo_interfaces.services import ServiceResponse


class Logger(Protocol):
    def debug(self, msg: str) -> Any: ...
    def info(self, msg: str) -> Any: ...
    def warning(self, msg: str) -> Any: ...
    def error(self, msg: str) -> Any: ...


class Publisher(Protocol):
    def publish(self, msg: Any) -> None: ...


class Timer(Protocol):
    def cancel(self) -> None: ...


class NodeHandle(Protocol):
    """What a backend gives a node."""

    @property
    def name(self) -> str: ...

    @property
    def logger(self) -> Logger: ...

    def create_publisher(self, topic: Topic) -> Publisher: ...

    def create_subscription(self, topic: Topic, callback: Callable[[Any], None]) -> None: ...

    def create_timer(self, period_s: float, callback: Callable[[], None]) -> Timer: ...

    def create_service(self, service: Service, callback: Callable[[Any], ServiceResponse]) -> None: ...

    def now_ns(self) -> int:
        """Node clock in integer nanoseconds (sim time under the simulator)."""
        ...


class ExoNode:
    """Base class of hip_exo nodes."""

    #: Default node name (also the section name in config/*.yaml).
    NAME: ClassVar[str] = ""
    #: The dataclass of this node's parameters.
    CONFIG: ClassVar[type[Any]]
    #: Nodes that can move a motor shut down first (lower first).
    SHUTDOWN_ORDER: ClassVar[int] = 100

    def __init__(self, handle: NodeHandle, config: Any) -> None:
        self.handle = handle
        self.config = config
        self.log = handle.logger

    def shutdown(self) -> None:
        """Bring the node to a safe state; called once before the runtime stops."""
