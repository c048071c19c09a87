"""ROS 2 messages without ROS 2, and their numpy conversions.

Message classes come from the rosbags type store for ROS 2 Jazzy: the same definitions,
field names and CDR encoding as the real ones, so a bag written in-process is the bag
``ros2 bag record`` would write. Node logic only ever sees these classes; the rclpy
backend converts at its boundary.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from rosbags.typesys import Stores, get_typestore

from exo_interfaces.contract import JOINT_NAMES, SAGITTAL_GYRO_AXIS, SAGITTAL_GYRO_SIGN

TYPESTORE = get_typestore(Stores.ROS2_JAZZY)
_T = TYPESTORE.types

Time = _T["builtin_interfaces/msg/Time"]
Header = _T["std_msgs/msg/Header"]
Vector3 = _T["geometry_msgs/msg/Vector3"]
Quaternion = _T["geometry_msgs/msg/Quaternion"]
Imu = _T["sensor_msgs/msg/Imu"]
JointState = _T["sensor_msgs/msg/JointState"]
Bool = _T["std_msgs/msg/Bool"]
Clock = _T["rosgraph_msgs/msg/Clock"]
DiagnosticArray = _T["diagnostic_msgs/msg/DiagnosticArray"]
DiagnosticStatus = _T["diagnostic_msgs/msg/DiagnosticStatus"]
KeyValue = _T["diagnostic_msgs/msg/KeyValue"]

# diagnostic_msgs/DiagnosticStatus levels (bytes in ROS 2).
DIAG_OK, DIAG_WARN, DIAG_ERROR, DIAG_STALE = 0, 1, 2, 3

_NO_COVARIANCE = np.zeros(9, dtype=np.float64)
_UNKNOWN_ORIENTATION = np.array([-1.0] + [0.0] * 8)  # REP-145: orientation not provided


def stamp(ns: int) -> Any:
    """builtin_interfaces/Time from integer nanoseconds."""
    return Time(sec=int(ns // 1_000_000_000), nanosec=int(ns % 1_000_000_000))


def stamp_ns(msg_stamp: Any) -> int:
    """Integer nanoseconds from a builtin_interfaces/Time (rosbags or rclpy)."""
    return int(msg_stamp.sec) * 1_000_000_000 + int(msg_stamp.nanosec)


def header(ns: int, frame_id: str = "") -> Any:
    return Header(stamp=stamp(ns), frame_id=frame_id)


def imu_msg(ns: int, frame_id: str, gyro_rps: NDArray[np.float64], accel_mps2: NDArray[np.float64]) -> Any:
    """sensor_msgs/Imu with angular velocity (rad/s) and specific force (m/s^2), no orientation."""
    g = np.asarray(gyro_rps, dtype=np.float64)
    a = np.asarray(accel_mps2, dtype=np.float64)
    return Imu(
        header=header(ns, frame_id),
        orientation=Quaternion(x=0.0, y=0.0, z=0.0, w=1.0),
        orientation_covariance=_UNKNOWN_ORIENTATION.copy(),
        angular_velocity=Vector3(x=float(g[0]), y=float(g[1]), z=float(g[2])),
        angular_velocity_covariance=_NO_COVARIANCE.copy(),
        linear_acceleration=Vector3(x=float(a[0]), y=float(a[1]), z=float(a[2])),
        linear_acceleration_covariance=_NO_COVARIANCE.copy(),
    )


def imu_gyro(msg: Any) -> NDArray[np.float64]:
    v = msg.angular_velocity
    return np.array([v.x, v.y, v.z], dtype=np.float64)


def imu_accel(msg: Any) -> NDArray[np.float64]:
    v = msg.linear_acceleration
    return np.array([v.x, v.y, v.z], dtype=np.float64)


def sagittal_rate(msg: Any) -> float:
    """Flexion-positive thigh angular velocity (rad/s) from a thigh Imu message."""
    return SAGITTAL_GYRO_SIGN * float(getattr(msg.angular_velocity, SAGITTAL_GYRO_AXIS))


def joint_state_msg(
    ns: int,
    *,
    position_rad: NDArray[np.float64] | None = None,
    velocity_rps: NDArray[np.float64] | None = None,
    effort_nm: NDArray[np.float64] | None = None,
) -> Any:
    """sensor_msgs/JointState of the exo's two hips (JOINT_NAMES order); absent fields empty."""
    def arr(x: NDArray[np.float64] | None) -> NDArray[np.float64]:
        if x is None:
            return np.zeros(0, dtype=np.float64)
        out = np.asarray(x, dtype=np.float64).reshape(-1)
        if out.shape != (len(JOINT_NAMES),):
            raise ValueError(f"expected {len(JOINT_NAMES)} values ({', '.join(JOINT_NAMES)}), got {out.shape}")
        return out.copy()

    return JointState(
        header=header(ns),
        name=list(JOINT_NAMES),
        position=arr(position_rad),
        velocity=arr(velocity_rps),
        effort=arr(effort_nm),
    )


def joint_efforts(msg: Any) -> NDArray[np.float64]:
    """Torques (Nm) in JOINT_NAMES order; raises ValueError naming the problem otherwise."""
    names = list(msg.name)
    effort = np.asarray(msg.effort, dtype=np.float64)
    if len(effort) != len(names):
        raise ValueError(f"JointState has {len(names)} names but {len(effort)} efforts")
    try:
        return np.array([effort[names.index(j)] for j in JOINT_NAMES], dtype=np.float64)
    except ValueError:
        raise ValueError(f"JointState names {names} lack one of {list(JOINT_NAMES)}") from None


def joint_field(msg: Any, field: str) -> NDArray[np.float64]:
    """position/velocity/effort of a JointState in JOINT_NAMES order (NaN where absent)."""
    names = list(msg.name)
    values = np.asarray(getattr(msg, field), dtype=np.float64)
    out = np.full(len(JOINT_NAMES), np.nan)
    if len(values) != len(names):
        return out
    for i, j in enumerate(JOINT_NAMES):
        if j in names:
            out[i] = values[names.index(j)]
    return out


def diagnostic_status(
    name: str, level: int, message: str, values: dict[str, str] | None = None, hardware_id: str = "hip_exo"
) -> Any:
    return DiagnosticStatus(
        level=level,
        name=name,
        message=message,
        hardware_id=hardware_id,
        values=[KeyValue(key=k, value=str(v)) for k, v in (values or {}).items()],
    )


def diagnostic_array(ns: int, statuses: list[Any]) -> Any:
    return DiagnosticArray(header=header(ns), status=statuses)


def serialize(msg: Any) -> bytes:
    """CDR bytes exactly as ROS 2 would put them on the wire or in a bag."""
    return bytes(TYPESTORE.serialize_cdr(msg, msg.__msgtype__))


def deserialize(data: bytes, msgtype: str) -> Any:
    return TYPESTORE.deserialize_cdr(data, msgtype)
