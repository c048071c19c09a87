"""Read a trial bag into numpy arrays (rosbags AnyReader), times in seconds from the first message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from rosbags.highlevel import AnyReader

from exo_control.recording.trial import TrialMetadata
from exo_interfaces import contract as c
from exo_interfaces import messages as m

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Series:
    """Samples of one signal: times t (s, shape (n,)) and values (shape (n, k))."""

    t: Array
    values: Array

    @classmethod
    def empty(cls, k: int) -> Series:
        return cls(np.zeros(0), np.zeros((0, k)))

    def __len__(self) -> int:
        return len(self.t)


@dataclass(frozen=True)
class DiagEvent:
    t: float
    name: str
    level: int
    message: str


@dataclass
class TrialData:
    """The signals of one trial that the report uses."""

    path: Path
    meta: TrialMetadata
    custom: dict[str, str]
    start_ns: int
    command: Series  #: /exo/torque_command effort (Nm), left/right
    request: Series  #: /exo/torque_request effort (Nm)
    measured: Series  #: /exo/joint_states effort (Nm)
    angle: Series  #: /exo/joint_states position (rad)
    gyro: Series  #: thigh flexion rate (rad/s), left/right (each from its own IMU, zero-order held on the left's times)
    diagnostics: list[DiagEvent] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        ends = [s.t[-1] for s in (self.command, self.measured, self.gyro) if len(s)]
        return max(ends, default=0.0)


def load_trial(bag: str | Path) -> TrialData:
    """Read the signals of a trial bag (rosbag2 folder with metadata.yaml)."""
    bag = Path(bag)
    rows: dict[str, list[tuple[int, list[float]]]] = {k: [] for k in ("command", "request", "measured", "angle", "gl", "gr")}
    diags: list[tuple[int, str, int, str]] = []
    with AnyReader([bag]) as reader:
        custom = dict(reader.readers[0].storage.metadata.custom or {})  # type: ignore[union-attr]
        counts = {conn.topic: conn.msgcount for conn in reader.connections}
        start = reader.start_time
        wanted = {c.TORQUE_COMMAND.name, c.TORQUE_REQUEST.name, c.JOINT_STATES.name, c.IMU_LEFT_THIGH.name,
                  c.IMU_RIGHT_THIGH.name, c.DIAGNOSTICS.name}
        conns = [x for x in reader.connections if x.topic in wanted]
        for conn, stamp, raw in reader.messages(connections=conns):
            msg = reader.deserialize(raw, conn.msgtype)
            topic = conn.topic
            if topic == c.TORQUE_COMMAND.name:
                rows["command"].append((stamp, list(m.joint_field(msg, "effort"))))
            elif topic == c.TORQUE_REQUEST.name:
                rows["request"].append((stamp, list(m.joint_field(msg, "effort"))))
            elif topic == c.JOINT_STATES.name:
                rows["measured"].append((stamp, list(m.joint_field(msg, "effort"))))
                rows["angle"].append((stamp, list(m.joint_field(msg, "position"))))
            elif topic == c.IMU_LEFT_THIGH.name:
                rows["gl"].append((stamp, [m.sagittal_rate(msg)]))
            elif topic == c.IMU_RIGHT_THIGH.name:
                rows["gr"].append((stamp, [m.sagittal_rate(msg)]))
            else:
                diags.extend((stamp, s.name, int(s.level), s.message) for s in msg.status)  # type: ignore[attr-defined]

    def series(key: str, k: int) -> Series:
        if not rows[key]:
            return Series.empty(k)
        t = (np.array([r[0] for r in rows[key]], dtype=np.int64) - start) / 1e9
        return Series(t.astype(np.float64), np.array([r[1] for r in rows[key]], dtype=np.float64).reshape(len(t), k))

    gl, gr = series("gl", 1), series("gr", 1)
    if len(gl) and len(gr):
        right_on_left = np.interp(gl.t, gr.t, gr.values[:, 0])
        gyro = Series(gl.t, np.column_stack([gl.values[:, 0], right_on_left]))
    else:
        gyro = Series.empty(2)
    return TrialData(
        path=bag, meta=TrialMetadata.from_custom_data(custom), custom=custom, start_ns=start,
        command=series("command", 2), request=series("request", 2), measured=series("measured", 2),
        angle=series("angle", 2), gyro=gyro,
        diagnostics=[DiagEvent((t - start) / 1e9, n, lv, msg) for t, n, lv, msg in diags], counts=counts,
    )
