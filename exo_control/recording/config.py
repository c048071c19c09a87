"""Parameters of the recorder (section ``recorder`` of config/*.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from exo_interfaces.params import param


@dataclass(frozen=True, kw_only=True)
class RecorderConfig:
    """Where and how the in-process recorder writes its rosbag2 (MCAP) bag, and the trial it records."""

    output_dir: str = param("trials", "Folder for bags named automatically (when 'bag' is empty).")
    bag: str = param("", "Bag folder to create (must not exist); empty = <output_dir>/<subject>_<condition>_t<trial>_<time>.")
    subject: str = param("", "Subject id stored in the bag's custom_data.")
    condition: str = param("", "Trial condition (e.g. 'assisted', 'no_exo', 'transparent').")
    trial: int = param(0, "Trial number.", ge=0)
    speed_mps: float = param(0.0, "Treadmill / commanded walking speed (m/s); 0 = not given.", ge=0.0, le=5.0)
    slope_deg: float = param(0.0, "Walking slope (deg, uphill positive).", ge=-30.0, le=30.0)
    body_mass_kg: float = param(0.0, "Subject mass for Nm/kg in reports; 0 = unknown (reports stay in Nm).", ge=0.0, le=300.0)
    policy: str = param("", "Policy (student ONNX) file used in the trial; filled in by the launcher.")
    chunk_size_bytes: int = param(262_144, "MCAP chunk size: a chunk is closed and flushed at this size.", ge=4096, le=1_048_576)
    flush_period_s: float = param(0.5, "Longest time a message waits in memory before its chunk is flushed (s).", gt=0.0, le=10.0)
    fsync: bool = param(True, "fsync after each flush so a power cut loses at most one flush period.")
    queue_size: int = param(100_000, "Messages buffered between the executor and the writer thread; beyond, drops are counted.", ge=100)
    min_free_mb: float = param(100.0, "Refuse to start with less free space than this on the bag's disk (MB).", ge=0.0)
    diagnostics_rate_hz: float = param(1.0, "Rate of the recorder's status on /diagnostics (Hz).", gt=0.0, le=50.0)
