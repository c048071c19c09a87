"""Is the student's torque late in the deployed loop? Runs the sim launch (bridge -> policy ->
safety -> bridge) with a teacher and student for DURATION s at SPEED m/s (bridge seed 0), drops the
first 2 s, and prints the agreement of the torque the motors received with the teacher's own
torque on the same states, with the received torque shifted by 0-4 sensor periods (6.25 ms each).
Usage: python artifacts/closed_loop/probes/torque_lag.py TEACHER STUDENT [SPEED] [DURATION]"""

from __future__ import annotations

import sys

import numpy as np

from exo_control.launch_plan import load_plan_configs
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces.params import from_mapping, to_mapping


def main(teacher: str, student: str, speed_mps: float = 1.0, duration_s: float = 12.0) -> None:
    override = {"sim_bridge": {"teacher_path": teacher, "speed_mps": speed_mps, "seed": 0}, "policy": {"policy_path": student}}
    runtime = InProcessRuntime("sim")
    with runtime:
        for entry, cls, config in load_plan_configs("sim", "config/sim.yaml"):
            if entry.name in override:
                config = from_mapping(cls.CONFIG, {**to_mapping(config), **override[entry.name]})
            runtime.add_node(cls, config, entry.name)
        runtime.spin(duration_s)
        bridge = next(n for n in runtime.nodes if n.handle.name == "sim_bridge")
        settle = int(2.0 * bridge.config.sensor_rate_hz)
        applied = np.array(bridge._applied_log)[settle:]  # type: ignore[attr-defined]
        own = np.array(bridge._teacher_log)[settle:]  # type: ignore[attr-defined]
        print(f"{teacher} / {student}, {speed_mps} m/s, {duration_s} s, falls {bridge.falls}")  # type: ignore[attr-defined]
    print("lag (periods) | r | RMSE (Nm)")
    for lag in range(5):
        x, y = applied[lag:].ravel(), own[:len(own) - lag].ravel()
        print(f"{lag} | {np.corrcoef(x, y)[0, 1]:.4f} | {np.sqrt(np.mean((x - y) ** 2)):.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(float(a) for a in sys.argv[3:5]))
