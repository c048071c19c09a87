"""What the live view plots: one row per torque command, with the latest measured torque and gyro.

A row is ``[t_s, cmd_l, cmd_r, meas_l, meas_r, gyro_l, gyro_r, teacher_l, teacher_r]`` (Nm, Nm,
rad/s flexion positive, Nm), emitted on each /exo/torque_command (the safety node's control rate),
other signals zero-order held. The teacher's torque comes from the sim bridge (/sim/teacher_torque)
and stays NaN on hardware. :class:`SampleBuffer` hands rows from the executor thread to the HTTP server's threads.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import Any

from exo_interfaces import messages as m

COLUMNS = ("t", "cmd_l", "cmd_r", "meas_l", "meas_r", "gyro_l", "gyro_r", "teacher_l", "teacher_r")


class SampleBuffer:
    """Thread-safe ring of rows with a sequence number, so each reader gets only what is new."""

    def __init__(self, maxlen: int = 20_000) -> None:
        self._rows: deque[list[float]] = deque(maxlen=maxlen)
        self._seq = 0  # number of rows ever appended
        self._lock = threading.Lock()

    def append(self, row: list[float]) -> None:
        with self._lock:
            self._rows.append(row)
            self._seq += 1

    def since(self, seq: int) -> tuple[int, list[list[float]]]:
        """Rows appended after ``seq`` (at most the ring's length), and the new sequence number."""
        with self._lock:
            n = min(self._seq - seq, len(self._rows))
            rows = list(self._rows)[len(self._rows) - n:] if n > 0 else []
            return self._seq, rows

    @property
    def seq(self) -> int:
        return self._seq


class LiveSampler:
    """Keeps the latest value of each plotted signal and appends a row per torque command."""

    def __init__(self, buffer: SampleBuffer, start_ns: int | None = None) -> None:
        self.buffer = buffer
        self._start_ns = start_ns
        self._meas = [math.nan, math.nan]
        self._gyro = [math.nan, math.nan]
        self._teacher = [math.nan, math.nan]

    def on_joint_states(self, msg: Any) -> None:
        self._meas = [float(x) for x in m.joint_field(msg, "effort")]

    def on_imu(self, side: int, msg: Any) -> None:
        self._gyro[side] = m.sagittal_rate(msg)

    def on_teacher_torque(self, msg: Any) -> None:
        self._teacher = [float(x) for x in m.joint_field(msg, "effort")]

    def on_command(self, msg: Any, now_ns: int) -> None:
        if self._start_ns is None:
            self._start_ns = now_ns
        cmd = [float(x) for x in m.joint_field(msg, "effort")]
        self.buffer.append([(now_ns - self._start_ns) / 1e9, *cmd, *self._meas, *self._gyro, *self._teacher])
