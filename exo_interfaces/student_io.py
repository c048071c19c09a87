"""The student policy's I/O contract, shared by training (export) and deployment (policy node).

The exported ONNX file carries this layout in its metadata; the policy node reads it from
the file instead of repeating it, and refuses a file whose layout it does not understand.

Input ``gyro_history``: float32 [batch, 2, history], channel 0 = left thigh, 1 = right thigh,
flexion-positive sagittal angular velocity in rad/s (see contract.SAGITTAL_GYRO_*), oldest
sample first, sampled at ``rate_hz``.
Output ``hip_torque``: float32 [batch, 2], left/right hip torque in Nm, flexion positive.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from exo_interfaces.contract import JOINT_NAMES

INPUT_NAME = "gyro_history"
OUTPUT_NAME = "hip_torque"
INPUT_CHANNELS: tuple[str, str] = ("left_thigh_sagittal_rate_rps", "right_thigh_sagittal_rate_rps")
METADATA_KEY = "hip_exo.student"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class StudentMetadata:
    """What a deployed student needs to be fed correctly; stored as JSON in the ONNX file."""

    rate_hz: float
    history: int
    input_channels: tuple[str, ...] = INPUT_CHANNELS
    output_joints: tuple[str, ...] = JOINT_NAMES
    input_units: str = "rad/s"
    output_units: str = "Nm"
    body_mass_kg: float = 75.0
    training_commit: str = "unknown"
    training_command: str = ""
    format_version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        if not 50.0 <= self.rate_hz <= 500.0:
            raise ValueError(f"rate_hz {self.rate_hz} outside [50, 500] Hz")
        if not 2 <= self.history <= 1000:
            raise ValueError(f"history {self.history} outside [2, 1000] samples")
        if tuple(self.input_channels) != INPUT_CHANNELS or tuple(self.output_joints) != JOINT_NAMES:
            raise ValueError(
                f"student layout {self.input_channels} -> {self.output_joints} does not match the "
                f"contract {INPUT_CHANNELS} -> {JOINT_NAMES}"
            )
        if self.format_version != FORMAT_VERSION:
            raise ValueError(f"student format version {self.format_version}, this stack reads {FORMAT_VERSION}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> StudentMetadata:
        raw = json.loads(text)
        for key in ("input_channels", "output_joints"):
            if key in raw:
                raw[key] = tuple(raw[key])
        return cls(**raw)
