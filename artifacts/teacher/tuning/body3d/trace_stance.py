"""One unaided run of a 3D walker, traced through its first stances (hand probe of stop 37): pelvis roll, the
left hip's adduction, flexion and rotation angles, the left abductor's activation and force, and the moments on the
left hip adduction axis from the muscles and from the constraints (ground contact through the leg), and where the
centre of mass is (lateral position and velocity) against the two heels, at 40 Hz.

    python artifacts/teacher/tuning/body3d/trace_stance.py BEST_JSON [--rotation 200] [--start 1] [--duration 1.0]

Angles in deg (hip adduction: + = abduction on the left), moments in Nm (+ = abduction on the left), lateral
positions in m from the start line and velocity in m/s (+ = left).
"""
from __future__ import annotations

import argparse
import dataclasses
import json

import numpy as np

from exo_sim.env.observations import pelvis_roll_rad
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ReflexBase, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("best")
    ap.add_argument("--rotation", type=float, default=200.0, help="hip rotation stiffness, Nm/rad")
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--duration", type=float, default=1.0)
    args = ap.parse_args()
    cfg = load_reflex_tune_config("config/train/reflex_160_3d_node.yaml", {"popsize": 4})
    body = dataclasses.replace(cfg.env.body, hip_rotation_stiffness_nm_per_rad=args.rotation)
    env = WalkVecEnv(dataclasses.replace(cfg.env, body=body), 1, autoreset=False)
    env._reset_env(0, {"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": args.start})
    env.set_base_controller(ReflexBase(from_dict(json.loads(open(args.best).read())["params"]), env))
    model, data = env.sim.model, env.physics.datas[0]
    abd = model.actuator("abd_l").id
    q = {k: model.joint(f"hip_{k}_l").qposadr[0] for k in ("adduction", "flexion", "rotation")}
    dof = model.joint("hip_adduction_l").dofadr[0]
    lo, hi = model.actuator_lengthrange[abd]
    heel = [env.index.sensor(f"heel_{side}_pos") for side in ("l", "r")]
    y0 = env.physics.sensordata[0, env.cols.com_pos][1]
    print(f"{args.best}: hip rotation stiffness {args.rotation:g} Nm/rad, start {args.start}, unaided")
    print("| t (s) | left GRF (BW) | pelvis roll | hip abduction | hip flexion | hip rotation | abd activation | abd force (N) "
          "| abd length (0-1 of range) | muscle moment | constraint moment | COM y | COM vy | left heel y | right heel y |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k in range(int(round(args.duration * env.cfg.policy_hz))):
        _obs, _r, fell, _t, _ = env.step(np.zeros((1, env.act_layout.size)))
        s = env.physics.sensordata[0]
        roll = np.degrees(pelvis_roll_rad(s[env.cols.pelvis_quat][None])[0])
        grf = -s[env.cols.grf][2] / env.body_weight_n
        print(f"| {(k + 1) / env.cfg.policy_hz:.3f} | {grf:.2f} | {roll:+.1f} | {np.degrees(data.qpos[q['adduction']]):+.1f} | "
              f"{np.degrees(data.qpos[q['flexion']]):+.1f} | {np.degrees(data.qpos[q['rotation']]):+.1f} | {data.act[abd]:.2f} | "
              f"{-data.actuator_force[abd]:.0f} | {(data.actuator_length[abd] - lo) / (hi - lo):.2f} | "
              f"{data.qfrc_actuator[dof]:+.0f} | {data.qfrc_constraint[dof]:+.0f} | {s[env.cols.com_pos][1] - y0:+.3f} | "
              f"{s[env.cols.com_vel][1]:+.2f} | {s[heel[0]][1] - y0:+.3f} | {s[heel[1]][1] - y0:+.3f} |")
        if fell[0]:
            print(f"fell at {(k + 1) / env.cfg.policy_hz:.3f} s")
            break
    env.close()


if __name__ == "__main__":
    main()
