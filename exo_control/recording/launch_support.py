"""What ``hip-exo launch --record`` needs: the command-line options and the recorder's config."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exo_control.recording.config import RecorderConfig
from exo_interfaces.params import from_mapping, read_parameter_file


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    """--record, --bag and the trial metadata options of ``hip-exo launch``."""
    g = parser.add_argument_group("recording (rosbag2, MCAP)")
    g.add_argument("--record", action="store_true", help="record every /exo topic into one bag for this trial")
    g.add_argument("--bag", metavar="DIR", help="bag folder to create (default: recorder.output_dir/<subject>_<condition>_t<NN>_<time>)")
    g.add_argument("--subject", help="subject id (bag custom_data)")
    g.add_argument("--condition", help="trial condition, e.g. assisted, no_exo")
    g.add_argument("--trial", type=int, help="trial number")
    g.add_argument("--speed", type=float, dest="speed_mps", help="walking speed, m/s")
    g.add_argument("--slope", type=float, dest="slope_deg", help="slope, deg (uphill positive)")
    g.add_argument("--mass", type=float, dest="body_mass_kg", help="subject mass, kg (reports in Nm/kg)")


def _policy_file(nodes: Sequence[tuple[Any, Any, Any]]) -> str:
    for entry, _cls, config in nodes:
        if entry.name == "policy":
            try:
                from exo_control.policy.default_student import resolve_student_path

                return str(resolve_student_path(getattr(config, "policy_path", "")))
            except Exception:  # noqa: BLE001 - a missing student is reported by the policy node itself
                return str(getattr(config, "policy_path", ""))
    return ""


def recorder_config(args: argparse.Namespace, parameter_file: str | Path,
                    nodes: Sequence[tuple[Any, Any, Any]]) -> RecorderConfig | None:
    """The recorder's config: section ``recorder`` of the parameter file, then the command line.

    None unless ``--record`` was given. Raises ConfigError like every other section.
    """
    if not getattr(args, "record", False):
        return None
    section = read_parameter_file(parameter_file).get("recorder", {})
    config = from_mapping(RecorderConfig, section, source=f"{parameter_file}: recorder")
    overrides = {k: getattr(args, k) for k in ("subject", "condition", "trial", "speed_mps", "slope_deg", "body_mass_kg")
                 if getattr(args, k, None) is not None}
    if args.bag:
        overrides["bag"] = args.bag
    if not config.policy:
        overrides["policy"] = _policy_file(nodes)
    checked = from_mapping(RecorderConfig, {**dataclasses.asdict(config), **overrides}, source="hip-exo launch options")
    return checked
