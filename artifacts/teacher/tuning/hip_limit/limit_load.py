"""What the hips' extension limit carries in a reflex walker (stop 40): per start, the time walked, the speed, the
share of the time each hip is on its extension limit, and the limit's flexion moment on the hip (mean over the
walk and its 95th percentile while on the limit, Nm per kg of body mass with the exo). Sampled at the policy rate (the last
physics step of each), so means, not peaks. Then, over all starts and both hips, what holds the hip against the stop while
it is on it: each muscle's moment about the hip's flexion axis (and the exo's), mean Nm/kg, the largest extensors first.

    python artifacts/teacher/tuning/hip_limit/limit_load.py WALKER_JSON --config YAML --speed 1.4 [--slope 0] \
        [--starts 40 41 42 43] [--duration 20] [--limit-deg 20]

--limit-deg moves the limit for the probe (WalkVecEnv.set_hip_extension_limit_deg); default: the config body's.
"""

from __future__ import annotations

import argparse
import json

import mujoco
import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ReflexBase, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("walker")
    ap.add_argument("--config", required=True)
    ap.add_argument("--speed", type=float, required=True)
    ap.add_argument("--slope", type=float, default=0.0)
    ap.add_argument("--starts", type=int, nargs="+", default=[40, 41, 42, 43])
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--limit-deg", type=float, default=None)
    args = ap.parse_args()
    cfg = load_reflex_tune_config(args.config, {"popsize": 4})
    n = len(args.starts)
    env = WalkVecEnv(cfg.env, n, autoreset=False)
    if args.limit_deg is not None:
        env.set_hip_extension_limit_deg(args.limit_deg)
    for i, s in enumerate(args.starts):
        env._reset_env(i, {"speed_mps": args.speed, "slope_deg": args.slope, "start_seed": s})
    env.set_base_controller(ReflexBase(from_dict(json.loads(open(args.walker).read())["params"]), env))
    kg = env.sim.total_mass_kg
    dt, steps = env.cfg.policy_dt_s, int(round(args.duration / env.cfg.policy_dt_s))
    alive, t_alive = np.ones(n, dtype=bool), np.zeros(n)
    moment = np.zeros((steps, n, 2))  # the limit's flexion moment on each hip, Nm/kg
    model = env.physics.models[0]
    hip_dofs = [model.jnt_dofadr[model.joint(f"hip_flexion_{side}").id] for side in "lr"]
    on_stop_moment = np.zeros(model.nu)  # each actuator's moment about the hip while that hip is on its stop, summed
    on_stop_samples = 0
    x0 = env.physics.sensordata[:, env.cols.com_pos][:, 0].copy()
    x_end = x0.copy()
    for k in range(steps):
        _obs, _r, fell, _t, _ = env.step(np.zeros((n, env.act_layout.size)))
        moment[k] = env.hip_extension_limit_moment_nm() / kg
        for i, d in enumerate(env.physics.datas):
            for side in (0, 1):
                if alive[i] and moment[k, i, side] > 0.0:
                    on_stop_moment += _actuator_moments(d, hip_dofs[side], model.nu) / kg
                    on_stop_samples += 1
        t_alive += alive * dt
        x_end = np.where(alive, env.physics.sensordata[:, env.cols.com_pos][:, 0], x_end)
        alive &= ~fell
    limit = env.hip_extension_limit_deg
    print(f"{args.walker}: {args.config}, {args.speed} m/s, {args.slope:+.1f} deg, hip extension limit {limit:.1f} deg, "
          f"{args.duration:g} s")
    print("| start | walked (s) | speed (m/s) | time on the limit, left / right | limit moment: mean over the walk, "
          "left / right (Nm/kg) | 95th percentile on the limit (Nm/kg) |")
    print("|---|---|---|---|---|---|")
    for i, s in enumerate(args.starts):
        k = max(int(round(t_alive[i] / dt)), 1)
        m = moment[:k, i]
        on = m > 0.0
        p95 = np.percentile(m[on], 95) if on.any() else 0.0
        print(f"| {s} | {t_alive[i]:.2f}{'' if t_alive[i] >= args.duration - dt / 2 else ' (fell)'} | "
              f"{(x_end[i] - x0[i]) / t_alive[i]:.2f} | {on[:, 0].mean():.0%} / {on[:, 1].mean():.0%} | "
              f"{m[:, 0].mean():.3f} / {m[:, 1].mean():.3f} | {p95:.2f} |")
    if on_stop_samples:
        # A muscle acts on its own side's hip only: sum the two sides' names over all samples.
        per_name: dict[str, float] = {}
        for a in range(model.nu):
            name = model.actuator(a).name.removesuffix("_l").removesuffix("_r")
            per_name[name] = per_name.get(name, 0.0) + on_stop_moment[a] / on_stop_samples
        shown = ", ".join(f"{k} {v:+.2f}" for k, v in sorted(per_name.items(), key=lambda kv: kv[1]) if abs(v) >= 0.02)
        print(f"\nWhile a hip is on its stop ({on_stop_samples} samples), moments about its flexion axis (Nm/kg, + = flexion): "
              f"stop {np.mean(moment[moment > 0]):+.2f}; muscles and exo together {sum(per_name.values()):+.2f}: {shown}")
    env.close()


def _actuator_moments(d: mujoco.MjData, dof: int, nu: int) -> np.ndarray:
    """Each actuator's generalized force on ``dof`` (force x moment arm), from MuJoCo's sparse moment rows."""
    out = np.zeros(nu)
    for a in range(nu):
        adr, nnz = d.moment_rowadr[a], d.moment_rownnz[a]
        cols = d.moment_colind[adr:adr + nnz]
        hit = np.flatnonzero(cols == dof)
        if hit.size:
            out[a] = d.actuator_moment[adr + hit[0]] * d.actuator_force[a]
    return out


if __name__ == "__main__":
    main()
