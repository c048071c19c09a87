"""Frontal-plane look at a 3D reflex walker (with a frontal support, or none): per start, time walked, speed, and what the
sagittal evaluation does not show: step width, pelvis roll and heading, drift off the start line.

    python artifacts/teacher/tuning/body3d/probe_frontal.py BEST_JSON [--speed 1.0] [--slope 0] \
        [--duration 20] [--starts 0 7 8 9 ...] [--support 200,20,2000,200] [--config config/train/reflex_160_3d_node.yaml]

Step width: lateral distance between the two heels at each weight-bearing heel strike (people walk
with about 0.08-0.15 m; Donelan, Kram & Kuo 2001). Roll and heading: pelvis, ground frame.
Support: the mean magnitude of the support's roll moment and lateral force on the pelvis while it walks
(what the walker leans on; 0 without --support).
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from exo_sim import metrics
from exo_sim.env.observations import pelvis_roll_rad, pelvis_yaw_rad
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ReflexBase, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("best")
    ap.add_argument("--config", default="config/train/reflex_160_3d_node.yaml")
    ap.add_argument("--speed", type=float, default=1.0)
    ap.add_argument("--slope", type=float, default=0.0)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--starts", type=int, nargs="+", default=[0, 7])
    ap.add_argument("--support", default="0,0,0,0", help="frontal support: roll/yaw Nm/rad, Nm s/rad, lateral N/m, N s/m")
    args = ap.parse_args()
    cfg = load_reflex_tune_config(args.config, {"popsize": 4})
    theta = from_dict(json.loads(open(args.best).read())["params"])
    n = len(args.starts)
    env = WalkVecEnv(cfg.env, n, autoreset=False)
    # One env per start: reset each with its own start seed.
    for i, s in enumerate(args.starts):
        env._reset_env(i, {"speed_mps": args.speed, "slope_deg": args.slope, "start_seed": s})
    env.set_base_controller(ReflexBase(theta, env))
    support = [float(v) for v in args.support.split(",")]
    env.set_frontal_support(*support)
    c, dt = env.cols, env.cfg.policy_dt_s
    heel = [env.index.sensor(f"heel_{side}_pos") for side in ("l", "r")]
    steps = int(round(args.duration / dt))
    alive = np.ones(n, dtype=bool)
    t_alive = np.zeros(n)
    rec: dict[str, list[np.ndarray]] = {k: [] for k in ("x", "y", "roll", "yaw", "grf", "heel_y", "roll_nm", "lateral_n")}
    pelvis = env._pelvis_body
    for _ in range(steps):
        _obs, _r, fell, _trunc, _ = env.step(np.zeros((n, env.act_layout.size)))
        s = env.physics.sensordata
        rec["x"].append(s[:, c.com_pos][:, 0].copy())
        rec["y"].append(s[:, c.com_pos][:, 1].copy())
        rec["roll"].append(pelvis_roll_rad(s[:, c.pelvis_quat]))
        rec["yaw"].append(pelvis_yaw_rad(s[:, c.pelvis_quat]))
        rec["grf"].append(-s[:, c.grf][:, [2, 5]].copy())
        # What the walker leans on: the support's roll moment and lateral force on the pelvis (last substep).
        rec["roll_nm"].append(np.abs(env.physics.xfrc_applied[:, pelvis, 3]))
        rec["lateral_n"].append(np.abs(env.physics.xfrc_applied[:, pelvis, 1]))
        rec["heel_y"].append(np.stack([s[:, heel[0]][:, 1], s[:, heel[1]][:, 1]], axis=1))
        t_alive += alive * dt
        alive &= ~fell
    arr = {k: np.stack(v) for k, v in rec.items()}
    w = env.body_weight_n
    print(f"{args.best}: {args.speed} m/s, {args.slope:+.1f} deg, {args.duration:.0f} s, "
          f"frontal support {support[0]:g} Nm/rad, {support[1]:g} Nm s/rad, {support[2]:g} N/m, {support[3]:g} N s/m")
    print("| start | walked (s) | speed (m/s) | step width (m) | pelvis roll range per stride (deg) | heading at end (deg) | lateral drift (m) | support: mean roll moment (Nm), lateral force (N) |")
    print("|---|---|---|---|---|---|---|---|")
    for i, s in enumerate(args.starts):
        k = max(int(round(t_alive[i] / dt)), 2)
        x, y = arr["x"][:k, i], arr["y"][:k, i]
        widths, rolls = [], []
        for foot in range(2):
            hs = metrics.heel_strikes(arr["grf"][:k, i, foot], 0.05 * w, 0.5 * w, int(round(0.4 / dt)))
            widths += [abs(arr["heel_y"][h, i, 0] - arr["heel_y"][h, i, 1]) for h in hs[1:]]
            rolls += [np.rad2deg(np.ptp(arr["roll"][a:b + 1, i])) for a, b in metrics.strides(hs)[1:]]
        mean = lambda v: f"{np.mean(v):.3f}" if v else "-"  # noqa: E731
        print(f"| {s} | {t_alive[i]:.2f}{'' if t_alive[i] >= args.duration - dt / 2 else ' (fell)'} | "
              f"{(x[-1] - x[0]) / t_alive[i]:.2f} | {mean(widths)} | {mean(rolls)} | "
              f"{np.rad2deg(arr['yaw'][k - 1, i]):+.1f} | {y[-1] - y[0]:+.2f} | "
              f"{arr['roll_nm'][:k, i].mean():.1f}, {arr['lateral_n'][:k, i].mean():.1f} |")
    env.close()


if __name__ == "__main__":
    main()
