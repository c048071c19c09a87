"""Teacher relay (simulation only): the teacher's own exo torque, requested from the policy's seat.

Republishes each /sim/teacher_torque from the sim bridge as /exo/torque_request, so the teacher's
torque reaches the simulated motors by the student's path: through the safety node (clamp, slew
limit, ramps, watchdogs). The bridge evaluates the teacher for the state its next step starts from
and publishes it with that state's sensors, so the relay's request is as fresh as the policy node's
(both from the same state; stop 24's fresh oracle walked exactly as the relay does). A closed-loop evaluation walks this as its reference ("the teacher through the nodes"):
the student is asked to keep the person walking wherever the teacher does on that same path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m


@dataclass(frozen=True, kw_only=True)
class TeacherRelayConfig:
    """The relay has no parameters."""


class TeacherRelayNode(ExoNode):
    NAME = "policy"
    CONFIG = TeacherRelayConfig
    SHUTDOWN_ORDER = 50

    def __init__(self, handle: NodeHandle, config: TeacherRelayConfig):
        super().__init__(handle, config)
        self._pub = handle.create_publisher(c.TORQUE_REQUEST)
        handle.create_subscription(c.SIM_TEACHER_TORQUE, self._on_teacher)

    def _on_teacher(self, msg: Any) -> None:
        self._pub.publish(m.joint_state_msg(self.handle.now_ns(), effort_nm=m.joint_efforts(msg)))
