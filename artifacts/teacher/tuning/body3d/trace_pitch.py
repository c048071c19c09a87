"""The sagittal side of a 3D walker's stride (hand probe of stop 38): forward and lateral speed, pelvis lean and
roll, and each leg's hip flexion, knee, ankle and hip adduction angles with its vertical ground force, at 20 Hz,
under a frontal support or unaided; then, over starts 1-2 for 10 s each, how much of the time each hip sits at
its extension limit.

    python artifacts/teacher/tuning/body3d/trace_pitch.py BEST_JSON [--support 140] [--duration 2.5] [--config YAML]

Angles in deg (lean: + = forward; roll: + = right side down; hip adduction: + = abduction on the left, myo-sim's
signs), speeds in m/s (vy + = left), ground force in body weights. --support S sets the stance config's frontal
support to (S Nm/rad, S/10 Nm s/rad, 10 S N/m, S N s/m) as in the tuning runs; 0 = unaided.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from exo_sim.env.observations import pelvis_lean_rad, pelvis_roll_rad
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ReflexBase, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config

JOINTS = ("hip_flexion", "knee_angle", "ankle_angle", "hip_adduction")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("best")
    ap.add_argument("--support", type=float, default=0.0, help="frontal support, Nm/rad (0 = unaided)")
    ap.add_argument("--duration", type=float, default=2.5)
    ap.add_argument("--config", default="config/train/reflex_160_3d_stance.yaml")
    args = ap.parse_args()
    cfg = load_reflex_tune_config(args.config, {"popsize": 4})
    env = WalkVecEnv(cfg.env, 1, autoreset=False)
    theta = from_dict(json.loads(open(args.best).read())["params"])
    s = args.support
    if s:
        env.set_frontal_support(s, s / 10, s * 10, s)
    model, c = env.sim.model, env.cols
    names = {model.joint(i).name for i in range(model.njnt)}  # the sagittal bodies have no hip adduction
    q = {f"{j}_{side}": model.joint(f"{j}_{side}").qposadr[0] for j in JOINTS for side in "lr" if f"{j}_{side}" in names}
    hip_min = np.degrees(model.joint("hip_flexion_l").range[0])
    print(f"{args.best}: {args.config}, frontal support {s:g} Nm/rad, start 1")
    legs = " | ".join(f"{side}: hip flexion | {side}: knee | {side}: ankle | {side}: hip adduction | {side}: GRF" for side in "LR")
    print(f"| t (s) | vx | vy | lean | roll | {legs} |")
    print("|---" * 15 + "|")
    hip_at_limit: list[np.ndarray] = []
    for start in (1, 2):
        env.reset(seed=start, options={"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": start})
        env.set_base_controller(ReflexBase(theta, env))
        shown = int(round(args.duration * env.cfg.policy_hz)) if start == 1 else 0
        hips = []
        for k in range(int(round(10.0 * env.cfg.policy_hz))):
            _obs, _r, fell, _t, _ = env.step(np.zeros((1, env.act_layout.size)))
            sens, qpos = env.physics.sensordata[0], env.physics.qpos[0]
            hips.append(np.degrees(qpos[[q["hip_flexion_l"], q["hip_flexion_r"]]]))
            if k < shown and k % 2 == 1:
                quat = sens[c.pelvis_quat][None]
                grf = -sens[c.grf] / env.body_weight_n
                cells = [f"{(k + 1) / env.cfg.policy_hz:.3f}", f"{sens[c.com_vel][0]:+.2f}", f"{sens[c.com_vel][1]:+.2f}",
                         f"{np.degrees(pelvis_lean_rad(quat)[0]):+.1f}", f"{np.degrees(pelvis_roll_rad(quat)[0]):+.1f}"]
                for side, g in (("l", grf[2]), ("r", grf[5])):
                    cells += [f"{np.degrees(qpos[q[f'{j}_{side}']]):+.1f}" if f"{j}_{side}" in q else "-" for j in JOINTS]
                    cells.append(f"{g:.2f}")
                print("| " + " | ".join(cells) + " |")
            if fell[0]:
                print(f"start {start}: fell at {(k + 1) / env.cfg.policy_hz:.3f} s")
                break
        hip_at_limit.append(np.mean(np.asarray(hips) < hip_min + 1.0, axis=0))
        env.set_base_controller(None)
    for start, frac in zip((1, 2), hip_at_limit):
        print(f"start {start}: fraction of the time within 1 deg of the hip extension limit ({hip_min:.0f} deg): "
              f"left {frac[0]:.2f}, right {frac[1]:.2f}")
    env.close()


if __name__ == "__main__":
    main()
