"""Small nodes used by runtime tests (not part of the stack)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import param


@dataclass(frozen=True, kw_only=True)
class TalkerConfig:
    rate_hz: float = param(200.0, "Publish rate.", gt=0.0)
    seed: int = param(0, "Noise seed.")
    topic: str = param("/exo/torque_request", "Where to publish.")


class Talker(ExoNode):
    """Publishes seeded random torques on a JointState topic at a fixed rate."""

    NAME = "talker"
    CONFIG = TalkerConfig

    def __init__(self, handle: NodeHandle, config: TalkerConfig):
        super().__init__(handle, config)
        self.rng = np.random.default_rng(config.seed)
        self.sent = 0
        topic = c.Topic(config.topic, "sensor_msgs/msg/JointState", "command", "test")
        self.pub = handle.create_publisher(topic)
        handle.create_timer(1.0 / config.rate_hz, self.tick)

    def tick(self) -> None:
        self.sent += 1
        self.pub.publish(m.joint_state_msg(self.handle.now_ns(), effort_nm=self.rng.normal(size=2)))


@dataclass(frozen=True, kw_only=True)
class RelayConfig:
    source: str = param("/exo/torque_request", "Input topic.")
    sink: str = param("/exo/torque_command", "Output topic.")
    gain: float = param(0.5, "Scale.")


class Relay(ExoNode):
    """Scales JointState efforts from one topic to another, stamped with its own clock."""

    NAME = "relay"
    CONFIG = RelayConfig

    def __init__(self, handle: NodeHandle, config: RelayConfig):
        super().__init__(handle, config)
        self.pub = handle.create_publisher(c.Topic(config.sink, "sensor_msgs/msg/JointState", "command", "t"))
        handle.create_subscription(c.Topic(config.source, "sensor_msgs/msg/JointState", "command", "t"), self.on_msg)

    def on_msg(self, msg: Any) -> None:
        self.pub.publish(m.joint_state_msg(self.handle.now_ns(), effort_nm=self.config.gain * m.joint_efforts(msg)))


def record(runtime: Any, topics: list[str]) -> list[tuple[str, int, bytes]]:
    """Subscribe a recorder to ``topics``; the returned list fills as the runtime spins."""
    out: list[tuple[str, int, bytes]] = []
    handle = runtime.handle("test_recorder")
    for name in topics:
        topic = c.Topic(name, runtime.topic_types()[name], "sensor", "t")

        def on_msg(msg: Any, name: str = name) -> None:
            out.append((name, handle.now_ns(), m.serialize(msg)))

        handle.create_subscription(topic, on_msg)
    return out


def export_offset_student(path: Path, *, rate_hz: float = 100.0, history: int = 20) -> Path:
    """A real exported student (seeded weights) whose output bias makes it always ask for
    torque (about +8 / -8 Nm), so fault tests have assistance to take away."""
    import warnings

    import torch

    from exo_sim.learning.export import export_student
    from exo_sim.learning.student import StudentConfig, StudentTCN

    torch.manual_seed(0)
    model = StudentTCN(StudentConfig(history=history, rate_hz=rate_hz))
    with torch.no_grad():
        model.head.bias[:] = torch.tensor([0.6, -0.6])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        export_student(model, path)
    return path
