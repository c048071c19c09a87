"""In-process backend: every node of a launch in one process, one deterministic executor.

Scheduling is a priority queue of timers keyed by (due time, creation order); messages
published during a callback are queued FIFO and delivered before the next timer fires.
In ``sim`` mode the clock jumps to the next due time (runs as fast as the nodes allow, and two
runs with the same inputs give the same message streams); in ``wall`` mode the executor sleeps
until each due time, holds a steady rate without catching up in bursts, and counts overruns
(a timer that fires a full period or more late).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from exo_control.runtime.node import ExoNode
from exo_interfaces.contract import Service, Topic
from exo_interfaces.services import ServiceResponse

log = logging.getLogger(__name__)

ClockMode = Literal["sim", "wall"]


@dataclass
class TimerStats:
    """Timing of one wall-clock timer: lateness of each firing and callback durations (ns)."""

    name: str
    period_ns: int
    fires: int = 0
    overruns: int = 0
    lateness_ns: list[int] = field(default_factory=list)
    duration_ns: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        late = np.asarray(self.lateness_ns or [0], dtype=np.float64) / 1e6
        dur = np.asarray(self.duration_ns or [0], dtype=np.float64) / 1e6
        return {
            "fires": self.fires,
            "overruns": self.overruns,
            "lateness_p50_ms": float(np.percentile(late, 50)),
            "lateness_p99_ms": float(np.percentile(late, 99)),
            "callback_p50_ms": float(np.percentile(dur, 50)),
            "callback_p99_ms": float(np.percentile(dur, 99)),
        }


class _Timer:
    def __init__(self, runtime: InProcessRuntime, period_ns: int, callback: Callable[[], None], name: str):
        self.runtime = runtime
        self.period_ns = period_ns
        self.callback = callback
        self.cancelled = False
        self.stats = TimerStats(name, period_ns)

    def cancel(self) -> None:
        self.cancelled = True


class _Publisher:
    def __init__(self, runtime: InProcessRuntime, topic: Topic):
        self.runtime = runtime
        self.topic = topic

    def publish(self, msg: Any) -> None:
        if msg.__msgtype__ != self.topic.msgtype:
            raise TypeError(f"{self.topic.name} carries {self.topic.msgtype}, not {msg.__msgtype__}")
        self.runtime._publish(self.topic.name, msg)


class InProcessHandle:
    """The NodeHandle of one node on the in-process runtime."""

    def __init__(self, runtime: InProcessRuntime, name: str):
        self.runtime = runtime
        self.name = name
        self.logger = logging.getLogger(f"hip_exo.{name}")

    def create_publisher(self, topic: Topic) -> _Publisher:
        self.runtime._register_type(topic)
        return _Publisher(self.runtime, topic)

    def create_subscription(self, topic: Topic, callback: Callable[[Any], None]) -> None:
        self.runtime._register_type(topic)
        self.runtime._subscribers.setdefault(topic.name, []).append(callback)

    def create_timer(self, period_s: float, callback: Callable[[], None]) -> _Timer:
        if not period_s > 0:
            raise ValueError(f"{self.name}: timer period must be > 0 s, got {period_s}")
        timer = _Timer(self.runtime, round(period_s * 1e9), callback, f"{self.name}/{callback.__name__}")
        self.runtime._schedule(timer, self.runtime.now_ns() + timer.period_ns)
        return timer

    def create_service(self, service: Service, callback: Callable[[Any], ServiceResponse]) -> None:
        if service.name in self.runtime._services:
            raise ValueError(f"service {service.name} is already provided")
        self.runtime._services[service.name] = callback

    def now_ns(self) -> int:
        return self.runtime.now_ns()


class InProcessRuntime:
    """Runs nodes in this process. Use as a context manager or call :meth:`shutdown`."""

    def __init__(self, clock: ClockMode = "sim", *, start_ns: int = 0):
        if clock not in ("sim", "wall"):
            raise ValueError(f"clock must be 'sim' or 'wall', got {clock!r}")
        self.clock = clock
        self._sim_ns = start_ns
        # Wall mode: ROS-style epoch stamps advancing with the monotonic clock.
        self._wall_epoch_ns = time.time_ns()
        self._wall_mono_ns = time.monotonic_ns()
        self._heap: list[tuple[int, int, _Timer]] = []
        self._seq = itertools.count()
        self._queue: deque[tuple[Callable[[Any], None], Any]] = deque()
        self._subscribers: dict[str, list[Callable[[Any], None]]] = {}
        self._types: dict[str, str] = {}
        self._services: dict[str, Callable[[Any], ServiceResponse]] = {}
        self.nodes: list[ExoNode] = []
        self.timers: list[_Timer] = []
        self._stop_requested = False
        self._shut_down = False
        self.messages_delivered = 0

    # -- clock -------------------------------------------------------------------------
    def now_ns(self) -> int:
        if self.clock == "sim":
            return self._sim_ns
        return self._wall_epoch_ns + (time.monotonic_ns() - self._wall_mono_ns)

    # -- graph -------------------------------------------------------------------------
    def add_node(self, node_cls: type[ExoNode], config: Any, name: str | None = None) -> ExoNode:
        """Construct ``node_cls`` on this runtime with its (already validated) config."""
        node_name = name or node_cls.NAME
        if any(n.handle.name == node_name for n in self.nodes):
            raise ValueError(f"a node named {node_name!r} already exists")
        node = node_cls(InProcessHandle(self, node_name), config)
        self.nodes.append(node)
        return node

    def handle(self, name: str) -> InProcessHandle:
        """A bare handle for code that is not a node (tests, tools) to publish and subscribe."""
        return InProcessHandle(self, name)

    def call_service(self, name: str, request: Any) -> ServiceResponse:
        try:
            callback = self._services[name]
        except KeyError:
            raise KeyError(f"no service {name!r}; provided: {sorted(self._services)}") from None
        response = callback(request)
        self._drain()
        return response

    def topic_types(self) -> dict[str, str]:
        return dict(self._types)

    def _register_type(self, topic: Topic) -> None:
        known = self._types.setdefault(topic.name, topic.msgtype)
        if known != topic.msgtype:
            raise TypeError(f"topic {topic.name} used with {known} and {topic.msgtype}")

    def _publish(self, topic: str, msg: Any) -> None:
        for callback in self._subscribers.get(topic, ()):
            self._queue.append((callback, msg))

    def _schedule(self, timer: _Timer, due_ns: int) -> None:
        if timer not in self.timers:
            self.timers.append(timer)
        heapq.heappush(self._heap, (due_ns, next(self._seq), timer))

    def _drain(self) -> None:
        while self._queue:
            callback, msg = self._queue.popleft()
            callback(msg)
            self.messages_delivered += 1

    # -- executor ----------------------------------------------------------------------
    def request_stop(self) -> None:
        """Ask the executor to stop after the current callback (signal-safe)."""
        self._stop_requested = True

    def spin(self, duration_s: float | None = None, *, until: Callable[[], bool] | None = None) -> None:
        """Run timers and deliveries for ``duration_s`` of the runtime clock (None: until stopped)."""
        self._stop_requested = False
        self._drain()
        if self.clock == "wall":
            # Time spent outside spin (node construction, calibration) is not an overrun.
            now = self.now_ns()
            self._heap = [(max(due, now + t.period_ns) if due < now else due, seq, t) for due, seq, t in self._heap]
            heapq.heapify(self._heap)
        end_ns = None if duration_s is None else self.now_ns() + round(duration_s * 1e9)
        while self._heap and not self._stop_requested:
            due_ns, _, timer = self._heap[0]
            if end_ns is not None and due_ns > end_ns:
                if self.clock == "sim":
                    self._sim_ns = end_ns
                else:
                    self._sleep_until(end_ns)
                break
            heapq.heappop(self._heap)
            if timer.cancelled:
                continue
            if self.clock == "sim":
                self._sim_ns = due_ns
                timer.callback()
                timer.stats.fires += 1
                next_due = due_ns + timer.period_ns
            else:
                next_due = self._fire_wall(timer, due_ns)
            self._drain()
            heapq.heappush(self._heap, (next_due, next(self._seq), timer))
            if until is not None and until():
                break

    def _sleep_until(self, due_ns: int) -> None:
        while True:
            remaining = due_ns - self.now_ns()
            if remaining <= 0:
                return
            # Sleep most of the way, then yield in short naps: time.sleep overshoots by ~0.1 ms.
            time.sleep(remaining / 1e9 - 2e-4 if remaining > 1_000_000 else 0)

    def _fire_wall(self, timer: _Timer, due_ns: int) -> int:
        self._sleep_until(due_ns)
        start = self.now_ns()
        timer.callback()
        end = self.now_ns()
        st = timer.stats
        st.fires += 1
        st.lateness_ns.append(start - due_ns)
        st.duration_ns.append(end - start)
        next_due = due_ns + timer.period_ns
        if end >= next_due:
            # Missed one or more periods: count them and resume on the grid, no burst catch-up.
            missed = (end - due_ns) // timer.period_ns
            if st.overruns % 100 == 0:  # counted always, logged sparingly
                log.warning("%s overran: %.2f ms callback, %d period(s) missed (%d overruns so far)",
                            st.name, (end - start) / 1e6, missed, st.overruns + missed)
            st.overruns += int(missed)
            next_due = due_ns + (missed + 1) * timer.period_ns
        return next_due

    def timer_stats(self) -> dict[str, dict[str, float]]:
        return {t.stats.name: t.stats.summary() for t in self.timers}

    # -- shutdown ----------------------------------------------------------------------
    def shutdown(self) -> None:
        """Shut nodes down in SHUTDOWN_ORDER (motor paths first), delivering what each publishes."""
        if self._shut_down:
            return
        self._shut_down = True
        for node in sorted(self.nodes, key=lambda n: n.SHUTDOWN_ORDER):
            try:
                node.shutdown()
                self._drain()
            except Exception:
                log.exception("shutdown of node %s failed", node.handle.name)
        self._heap.clear()

    def __enter__(self) -> InProcessRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


@contextmanager
def stop_on_signals(runtime: InProcessRuntime) -> Iterator[None]:
    """SIGINT and SIGTERM stop the executor; shutdown (torque to zero first) then follows."""
    def handler(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping", signal.Signals(signum).name)
        runtime.request_stop()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
