"""Where in the thigh's phase the biological hip moment and the exo torque act (stop 20 probe).

    python artifacts/teacher/tuning/probes/hip_moment.py FILE CONFIG [--unpowered] [--speed 1.2] [--slope 0]

Walks one reflex person (commanded speed m/s, slope deg; start seeds 0-3, 20 s, the first 4 s dropped; falls cut short)
and bins both hips' biological moment (actuator moment minus the exo's), exo torque and hip
flexor / extensor activation by the leg's thigh phase (exo_sim.env.thigh_phase: 0 at peak thigh
flexion), 20 bins. Moments in Nm, flexion positive. With --unpowered the person walks with the exo
worn and no torque (as compare --no-exo-unpowered). The torque can replace muscle only where it has
the sign of the biological moment.
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.evaluate import load_policy

BINS, SEEDS, SECONDS, DROP_S = 20, (0, 1, 2, 3), 20.0, 4.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("config")
    ap.add_argument("--unpowered", action="store_true")
    ap.add_argument("--speed", type=float, default=1.2)
    ap.add_argument("--slope", type=float, default=0.0)
    args = ap.parse_args()
    factory, env_cfg, label = load_policy(reflex=args.file, config=args.config)
    env_cfg = dataclasses.replace(env_cfg, assist_clock="thigh")
    if args.unpowered:
        env_cfg = dataclasses.replace(env_cfg, exo_mode="no_exo")
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    policy = factory(env)
    muscles = list(env.index.muscles)
    flex = [[muscles.index(f"{m}_{s}") for m in ("iliopsoas", "rectfem")] for s in ("l", "r")]
    ext = [[muscles.index(f"{m}_{s}") for m in ("glutmax", "hamstrings")] for s in ("l", "r")]
    phase, bio, exo, act_f, act_e = [], [], [], [], []
    for seed in SEEDS:
        obs, _ = env.reset(seed=seed, options={"speed_mps": args.speed, "slope_deg": args.slope})
        for k in range(int(SECONDS * env_cfg.policy_hz)):
            obs, _, fell, _, _ = env.step(policy(obs))
            if fell[0]:
                break
            if k * env_cfg.policy_dt_s < DROP_S:
                continue
            g = env.gait_signals()
            a = env.physics.act[0]
            for leg in (0, 1):
                phase.append(env.thigh.phase[0, leg])
                bio.append(g["moment_bio_nm"][0, 3 * leg])
                exo.append(g["exo_torque_nm"][0, leg])
                act_f.append(a[flex[leg]].mean())
                act_e.append(a[ext[leg]].mean())
    ph, b, e, af, ae = map(np.asarray, (phase, bio, exo, act_f, act_e))
    idx = np.minimum((ph * BINS).astype(int), BINS - 1)
    print(f"{label}{' (exo unpowered)' if args.unpowered else ''}, {args.speed} m/s, {args.slope:+g} deg, {len(ph) // 2} samples per leg")
    print("thigh phase | bio hip moment (Nm) | exo torque (Nm) | hip flexor act | hip extensor act")
    for i in range(BINS):
        m = idx == i
        print(f"{(i + 0.5) / BINS:.3f} | {b[m].mean():+7.2f} | {e[m].mean():+6.2f} | {af[m].mean():.3f} | {ae[m].mean():.3f}")
    print(f"mean | {b.mean():+7.2f} | {e.mean():+6.2f} | {af.mean():.3f} | {ae.mean():.3f}")
    aligned = np.mean(np.where(np.sign(e) == np.sign(b), np.abs(e), -np.abs(e)))
    print(f"mean |exo| {np.abs(e).mean():.2f} Nm; mean signed agreement with the biological moment {aligned:+.2f} Nm")


if __name__ == "__main__":
    main()
