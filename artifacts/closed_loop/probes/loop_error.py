"""Where does the student's torque miss the teacher's in the deployed loop (stop 44)? Runs the sim
launch (bridge -> policy -> safety -> bridge) with a teacher and student for DURATION s at SPEED m/s
on level ground, bridge seed SEED, and prints, for the torque the motors received against the
teacher's own torque on the same states:
  - r and RMSE per 2 s window, with the teacher torque's sd and its jumps (changes of more than
    2 Nm in one period, which its Gaussian pulses never make unless the thigh phase jumps);
  - per 4 s window, the shift of the received torque (sensor periods of 6.25 ms, + = late) that
    agrees best with the teacher's, right hip;
  - r over the whole run (as `hip-exo closed-loop` reports it), its first WALK_FROM_S and the rest,
    and the teacher's jumps in each (a fall-reset counts as one: read the windows with the falls);
  - after the first 2 s, RMSE per decile of the teacher's thigh phase (env.thigh, 0 = peak flexion).
Usage: python artifacts/closed_loop/probes/loop_error.py TEACHER STUDENT SPEED SEED [DURATION]"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from exo_control.launch_plan import load_plan_configs
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces.params import from_mapping, to_mapping

WINDOW_S, LAG_WINDOW_S, SETTLE_S, MAX_LAG, JUMP_NM, WALK_FROM_S = 2, 4, 2, 16, 2.0, 4


def run(teacher: str, student: str, speed_mps: float, seed: int, duration_s: float) -> tuple[np.ndarray, ...]:
    override: dict[str, dict[str, Any]] = {"sim_bridge": {"teacher_path": teacher, "speed_mps": speed_mps, "slope_deg": 0.0, "seed": seed},
                "policy": {"policy_path": student}}
    runtime = InProcessRuntime("sim")
    phase: list[np.ndarray] = []
    with runtime:
        for entry, cls, config in load_plan_configs("sim", "config/sim.yaml"):
            if entry.name in override:
                config = from_mapping(cls.CONFIG, {**to_mapping(config), **override[entry.name]})
            runtime.add_node(cls, config, entry.name)
        bridge: Any = next(n for n in runtime.nodes if n.handle.name == "sim_bridge")
        env, env_step = bridge.env, bridge.env.step

        def logged_step(action: np.ndarray) -> Any:  # the phase the teacher's torque of this period used
            phase.append(env.thigh.phase[0].copy())
            return env_step(action)

        env.step = logged_step
        runtime.spin(duration_s)
        print(f"{teacher} / {student}, {speed_mps} m/s, seed {seed}, {duration_s} s, falls {bridge.falls}")
        return np.array(bridge._applied_log), np.array(bridge._teacher_log), np.array(phase), bridge.config.sensor_rate_hz


def main(teacher: str, student: str, speed_mps: float, seed: int, duration_s: float = 20.0) -> None:
    applied, own, phase, hz = run(teacher, student, speed_mps, seed, duration_s)
    n = int(hz)
    jump = np.r_[False, (np.abs(np.diff(own, axis=0)) > JUMP_NM).any(axis=1)]
    print("window (s) | r | RMSE (Nm) | teacher sd (Nm) | teacher jumps")
    for w in range(0, int(duration_s), WINDOW_S):
        part = slice(w * n, (w + WINDOW_S) * n)
        a, t = applied[part].ravel(), own[part].ravel()
        print(f"{w}-{w + WINDOW_S} | {np.corrcoef(a, t)[0, 1]:.3f} | {np.sqrt(np.mean((a - t) ** 2)):.2f} | {t.std():.2f} | {jump[part].sum()}")
    print("window (s) | best shift (periods) | r at 0 | r at best")
    inner = slice(MAX_LAG, -MAX_LAG)
    for w in range(0, int(duration_s), LAG_WINDOW_S):
        a, t = applied[w * n:(w + LAG_WINDOW_S) * n, 1], own[w * n:(w + LAG_WINDOW_S) * n, 1]
        by_shift = {lag: np.corrcoef(np.roll(a, -lag)[inner], t[inner])[0, 1] for lag in range(-MAX_LAG, MAX_LAG + 1)}
        best = max(by_shift, key=by_shift.__getitem__)
        print(f"{w}-{w + LAG_WINDOW_S} | {best:+d} | {by_shift[0]:.3f} | {by_shift[best]:.3f}")
    def r(part: slice) -> float:
        return float(np.corrcoef(applied[part].ravel(), own[part].ravel())[0, 1])

    first, rest = slice(0, WALK_FROM_S * n), slice(WALK_FROM_S * n, None)
    print(f"r whole run / first {WALK_FROM_S} s / after: {r(slice(None)):.3f} / {r(first):.3f} / {r(rest):.3f}; "
          f"teacher jumps first {WALK_FROM_S} s / after: {jump[first].sum()} / {jump[rest].sum()}")
    walk = slice(SETTLE_S * n, None)
    decile = np.floor(phase[walk] * 10).astype(int)
    error = (applied[walk] - own[walk]) ** 2
    rmse = [f"{np.sqrt(error[decile == d].mean()):.2f}" if (decile == d).any() else "-" for d in range(10)]
    print(f"RMSE (Nm) per thigh-phase decile after {SETTLE_S} s: {' '.join(rmse)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), *(float(a) for a in sys.argv[5:6]))
