"""Which nodes make up each launch, read by both ``ros2 launch`` and ``hip-exo launch``.

One table, so the ROS 2 launch files and the in-process launcher compose the same nodes
from the same parameter file.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from exo_interfaces.params import ConfigError, from_mapping, read_parameter_file

PlanName = Literal["sim", "hardware"]
PACKAGE = "hip_exo"


@dataclass(frozen=True)
class NodeEntry:
    name: str  #: node name = section name in the parameter file
    target: str  #: 'module:Class' of the ExoNode
    executable: str  #: console script that runs it under ROS 2

    def load_class(self) -> Any:
        module, cls = self.target.split(":")
        return getattr(importlib.import_module(module), cls)


SIM_BRIDGE = NodeEntry("sim_bridge", "exo_sim.bridge.sim_bridge_node:SimBridgeNode", "exo_sim_bridge")
IMU_DRIVER = NodeEntry("imu_driver", "exo_control.nodes.imu_driver_node:ImuDriverNode", "exo_imu_driver")
MOTOR_DRIVER = NodeEntry("motor_driver", "exo_control.nodes.motor_driver_node:MotorDriverNode", "exo_motor_driver")
POLICY = NodeEntry("policy", "exo_control.nodes.policy_node:PolicyNode", "exo_policy")
SAFETY = NodeEntry("safety", "exo_control.nodes.safety_node:SafetyNode", "exo_safety")

PLANS: dict[str, tuple[NodeEntry, ...]] = {
    "sim": (SIM_BRIDGE, POLICY, SAFETY),
    "hardware": (IMU_DRIVER, MOTOR_DRIVER, POLICY, SAFETY),
}
#: Sections a parameter file may hold besides the plan's nodes.
EXTRA_SECTIONS = frozenset({"**", "recorder"})


def config_dir() -> Path:
    """config/ of a source checkout, else the installed share/hip_exo/config."""
    here = Path(__file__).resolve().parents[1] / "config"
    if here.is_dir():
        return here
    return Path(sys.prefix) / "share" / PACKAGE / "config"


def default_config(plan: str) -> Path:
    return config_dir() / f"{plan}.yaml"


def plan_nodes(plan: str) -> tuple[NodeEntry, ...]:
    try:
        return PLANS[plan]
    except KeyError:
        raise ValueError(f"unknown launch {plan!r}; choose one of {', '.join(PLANS)}") from None


def load_plan_configs(plan: str, path: str | Path) -> list[tuple[NodeEntry, Any, Any]]:
    """Validate the whole parameter file for ``plan``: (entry, node class, config) per node.

    Raises ConfigError naming the file, node, key and allowed values on the first problem,
    including a section for a node this launch does not have (a typo would otherwise be
    silently ignored).
    """
    entries = plan_nodes(plan)
    sections = read_parameter_file(path)
    known = {e.name for e in entries} | EXTRA_SECTIONS
    unknown = sorted(set(sections) - known)
    if unknown:
        raise ConfigError(
            f"{path}: section(s) {', '.join(unknown)} match no node of the '{plan}' launch; "
            f"nodes: {', '.join(sorted(known - {'**'}))}"
        )
    common = sections.get("**", {})
    if "recorder" in sections:  # used with --record; checked always so a typo surfaces early
        from exo_control.recording.config import RecorderConfig

        from_mapping(RecorderConfig, sections["recorder"], source=f"{path}: recorder")
    out = []
    for entry in entries:
        cls = entry.load_class()
        values = sections.get(entry.name, common)
        out.append((entry, cls, from_mapping(cls.CONFIG, values, source=f"{path}: {entry.name}")))
    return out
