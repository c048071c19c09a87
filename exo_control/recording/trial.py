"""Trial metadata: what goes into a bag's ``custom_data`` and how bags are named."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from exo_control.recording.config import RecorderConfig

#: custom_data key telling whether a bag was closed cleanly.
STATE_KEY = "hip_exo.state"
STATE_RECORDING = "recording"  #: provisional metadata written at start; the writer has not closed (yet)
STATE_COMPLETE = "complete"  #: closed cleanly
STATE_RECOVERED = "recovered"  #: rebuilt by recover_bag after the writer died


@dataclass(frozen=True)
class TrialMetadata:
    """The trial a bag records. Stored as strings in rosbag2 custom_data (ros2 bag info shows them)."""

    subject: str = ""
    condition: str = ""
    trial: int = 0
    speed_mps: float = 0.0
    slope_deg: float = 0.0
    body_mass_kg: float = 0.0
    policy: str = ""
    started_at: str = ""  #: local wall-clock time the recording started, ISO 8601

    @classmethod
    def from_config(cls, config: RecorderConfig) -> TrialMetadata:
        return cls(
            subject=config.subject, condition=config.condition, trial=config.trial,
            speed_mps=config.speed_mps, slope_deg=config.slope_deg, body_mass_kg=config.body_mass_kg,
            policy=config.policy, started_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        )

    def to_custom_data(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_custom_data(cls, data: Mapping[str, str] | None) -> TrialMetadata:
        """Inverse of :meth:`to_custom_data`; missing or unparsable values keep their defaults."""
        data = data or {}
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            raw = str(data[f.name])
            try:
                kwargs[f.name] = int(raw) if f.type in (int, "int") else float(raw) if f.type in (float, "float") else raw
            except ValueError:
                continue
        return cls(**kwargs)  # type: ignore[arg-type]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")


def default_bag_name(meta: TrialMetadata, now: float | None = None) -> str:
    """``<subject>_<condition>_t<NN>_<YYYYmmdd-HHMMSS>``, parts left out when empty."""
    parts = [_slug(meta.subject), _slug(meta.condition), f"t{meta.trial:02d}",
             time.strftime("%Y%m%d-%H%M%S", time.localtime(now))]
    return "_".join(p for p in parts if p)


def bag_path_for(config: RecorderConfig, meta: TrialMetadata) -> Path:
    """The bag folder to create: ``config.bag`` if set, else an automatic name under ``output_dir``."""
    if config.bag:
        return Path(config.bag).expanduser()
    return Path(config.output_dir).expanduser() / default_bag_name(meta)
