"""The topic contract of the stack: names, message types, QoS, frames, units, signs.

Conventions (apply to every topic and to the simulator):
- SI units: angles in rad, angular velocity in rad/s, acceleration in m/s^2, torque in Nm,
  time stamps in the node clock (sim time under the simulator).
- Hip flexion is positive for angle, velocity and torque, on both sides.
- IMU frames follow REP-103 on each segment: x forward, y to the person's left, z up when
  standing. Hip flexion (knee moving forward) is then a rotation about -y, so the
  flexion-positive sagittal rate of a thigh is ``-angular_velocity.y`` (see
  :data:`SAGITTAL_GYRO_AXIS`, :data:`SAGITTAL_GYRO_SIGN`). Accelerometers report specific
  force (reads +9.81 on z at rest, upright).
- Joint order in every JointState of the exo: ``JOINT_NAMES`` (left, right).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Exo joints in the order of every JointState and every torque vector.
JOINT_NAMES: tuple[str, str] = ("hip_flexion_l", "hip_flexion_r")
SIDES: tuple[str, str] = ("left", "right")

#: Axis and sign that turn a thigh IMU's angular velocity into a flexion-positive rate.
SAGITTAL_GYRO_AXIS: Literal["x", "y", "z"] = "y"
SAGITTAL_GYRO_SIGN: float = -1.0

#: Frame ids.
FRAME_LEFT_THIGH = "left_thigh_imu"
FRAME_RIGHT_THIGH = "right_thigh_imu"
FRAME_PELVIS = "pelvis_imu"

QosProfileName = Literal["sensor", "command", "latched"]


@dataclass(frozen=True)
class Qos:
    """A QoS profile in ROS 2 terms. Publishers are RELIABLE so that both reliable subscribers
    (ros2 bag) and best-effort ones (rqt_plot, PlotJuggler) match; sensor subscribers ask for
    BEST_EFFORT so a slow subscriber never back-pressures a driver."""

    reliability: Literal["reliable", "best_effort"]
    durability: Literal["volatile", "transient_local"]
    depth: int


QOS: dict[QosProfileName, Qos] = {
    "sensor": Qos("reliable", "volatile", 10),
    "command": Qos("reliable", "volatile", 1),
    "latched": Qos("reliable", "transient_local", 1),
}
#: What subscribers to sensor topics request.
SENSOR_SUBSCRIPTION_QOS = Qos("best_effort", "volatile", 10)


@dataclass(frozen=True)
class Topic:
    """One topic of the contract."""

    name: str
    msgtype: str  #: ROS 2 message type, e.g. 'sensor_msgs/msg/Imu'
    qos: QosProfileName
    doc: str


@dataclass(frozen=True)
class Service:
    """One service of the contract (std_srvs types)."""

    name: str
    srvtype: Literal["std_srvs/srv/SetBool", "std_srvs/srv/Trigger"]
    doc: str


IMU_LEFT_THIGH = Topic(
    "/exo/imu/left_thigh", "sensor_msgs/msg/Imu", "sensor",
    "Left thigh cuff IMU: angular_velocity rad/s, linear_acceleration m/s^2 (includes gravity), "
    "frame left_thigh_imu.",
)
IMU_RIGHT_THIGH = Topic(
    "/exo/imu/right_thigh", "sensor_msgs/msg/Imu", "sensor",
    "Right thigh cuff IMU, as the left one.",
)
IMU_PELVIS = Topic(
    "/exo/imu/pelvis", "sensor_msgs/msg/Imu", "sensor",
    "Pelvis (back) IMU, as the thigh ones.",
)
JOINT_STATES = Topic(
    "/exo/joint_states", "sensor_msgs/msg/JointState", "sensor",
    "Hip encoders as the motors see them: position rad, velocity rad/s, effort = measured "
    "torque Nm; flexion positive; names JOINT_NAMES.",
)
TORQUE_REQUEST = Topic(
    "/exo/torque_request", "sensor_msgs/msg/JointState", "command",
    "What the policy asks for: effort Nm per JOINT_NAMES (position/velocity empty). Never "
    "reaches a motor without passing the safety node.",
)
TORQUE_COMMAND = Topic(
    "/exo/torque_command", "sensor_msgs/msg/JointState", "command",
    "What the safety node lets through to the motors: effort Nm per JOINT_NAMES.",
)
ESTOP = Topic(
    "/exo/estop", "std_msgs/msg/Bool", "command",
    "data=true latches an emergency stop: torque ramps to zero until faults are cleared.",
)
POLICY_RESET = Topic(
    "/exo/policy/reset", "std_msgs/msg/Bool", "command",
    "data=true: the wearer's motion restarted (in sim, the bridge reset the person after a fall); "
    "the policy discards its gyro history and starts over as at launch.",
)
DIAGNOSTICS = Topic(
    "/diagnostics", "diagnostic_msgs/msg/DiagnosticArray", "command",
    "Node health, faults (latched until cleared), overruns.",
)
SIM_TEACHER_TORQUE = Topic(
    "/sim/teacher_torque", "sensor_msgs/msg/JointState", "command",
    "Simulation only (the sim bridge): the teacher's own exo torque, effort Nm per JOINT_NAMES, for "
    "the state the bridge's next step starts from; what the student was distilled to reproduce.",
)
CLOCK = Topic(
    "/clock", "rosgraph_msgs/msg/Clock", "sensor",
    "Simulated time, published by the sim runtime/bridge.",
)

SAFETY_ENABLE = Service(
    "/exo/safety/enable", "std_srvs/srv/SetBool",
    "data=true ramps assistance in (soft start); false ramps it out (soft stop).",
)
SAFETY_CLEAR_FAULTS = Service(
    "/exo/safety/clear_faults", "std_srvs/srv/Trigger",
    "Clears latched faults whose cause is gone; assistance stays disabled until enabled.",
)

IMU_THIGH_TOPICS: tuple[Topic, Topic] = (IMU_LEFT_THIGH, IMU_RIGHT_THIGH)

#: Every topic of the stack, for recording and contract tests.
ALL_TOPICS: tuple[Topic, ...] = (
    IMU_LEFT_THIGH, IMU_RIGHT_THIGH, IMU_PELVIS, JOINT_STATES,
    TORQUE_REQUEST, TORQUE_COMMAND, ESTOP, POLICY_RESET, DIAGNOSTICS, SIM_TEACHER_TORQUE, CLOCK,
)
ALL_SERVICES: tuple[Service, ...] = (SAFETY_ENABLE, SAFETY_CLEAR_FAULTS)
