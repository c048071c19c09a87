"""LiveViewNode: feeds the live page from the node graph (torque command, joint states, thigh IMUs, and
in simulation the teacher's torque)."""

from __future__ import annotations

from typing import Any

from exo_control.liveview.config import LiveViewConfig
from exo_control.liveview.sampler import LiveSampler, SampleBuffer
from exo_control.liveview.server import LiveViewServer
from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c


class LiveViewNode(ExoNode):
    NAME = "liveview"
    CONFIG = LiveViewConfig
    SHUTDOWN_ORDER = 900

    def __init__(self, handle: NodeHandle, config: LiveViewConfig):
        super().__init__(handle, config)
        self.buffer = SampleBuffer(config.buffer_rows)
        self.sampler = LiveSampler(self.buffer)
        handle.create_subscription(c.JOINT_STATES, self.sampler.on_joint_states)
        handle.create_subscription(c.IMU_LEFT_THIGH, lambda msg: self.sampler.on_imu(0, msg))
        handle.create_subscription(c.IMU_RIGHT_THIGH, lambda msg: self.sampler.on_imu(1, msg))
        handle.create_subscription(c.SIM_TEACHER_TORQUE, self.sampler.on_teacher_torque)  # sim only
        handle.create_subscription(c.TORQUE_COMMAND, self._on_command)
        self.server = LiveViewServer(self.buffer, config, title=f"node graph ({handle.name})")
        self.url = self.server.start()
        self.log.info(f"live torque plots at {self.url}")

    def _on_command(self, msg: Any) -> None:
        self.sampler.on_command(msg, self.handle.now_ns())

    def shutdown(self) -> None:
        self.server.stop()


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(LiveViewNode)()
