"""Where a reflex gait's mechanical energy goes, at the physics rate (stop 26 probe).

    python artifacts/teacher/probes/energy_budget.py FILE CONFIG SPEED SLOPE [SECONDS] [SEED]

Walks FILE (a reflex person, its env from CONFIG) from start seed SEED (default 0) and, after every
physics step, adds up the power of
- the muscles (actuator force x velocity, the exo's motors apart), positive and negative;
- the ground on the body (each contact's force . the body's velocity at the contact point), split by
  foot and by load: a foot carrying at least 0.2 body weights (stance) or less (a touch or a
  scuff of the swing foot);
- every constraint kind (force . velocity of MuJoCo's constraint rows: the equality couplings, with
  the three that lose most, joint limits, joint friction, contacts: the last is the ground again,
  summed the solver's way, as a check) and the passive joint forces;
- dE/dt of the body's kinetic and potential energy, which closes the sum (gravity's share on a
  slope is printed beside it).
Prints W/kg averaged after the first 2 s. The physics is stepped one step at a time through a
replaced BatchPhysics._step_chunk, which does what the original does plus the bookkeeping.
"""

from __future__ import annotations

import os
import sys

import mujoco
import numpy as np

from exo_sim.env import physics as physics_module
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.evaluate import load_policy

STANCE_BW = 0.2


def main(path: str, config: str, speed: float, slope: float, seconds: float = 12.0, seed: int = 0) -> None:
    factory, env_cfg, _ = load_policy(reflex=path, config=config)
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    m, d = env.physics.models[0], env.physics.datas[0]
    if os.environ.get("EQ_SOLREF_S"):  # what-if: stiffer joint couplings (muscle path points, knee translations)
        m.eq_solref[:, 0] = float(os.environ["EQ_SOLREF_S"])
    mass, weight = env.sim.total_mass_kg, env.body_weight_n
    muscles = np.array([i for i in range(m.nu) if m.actuator_dyntype[i] == mujoco.mjtDyn.mjDYN_MUSCLE])
    motors = np.array([i for i in range(m.nu) if i not in set(muscles)])
    feet = {side: [b for b in range(m.nbody) if m.body(b).name.endswith(f"_{side}") and
                   any(k in m.body(b).name for k in ("calcn", "toes", "talus"))] for side in ("l", "r")}
    dt = m.opt.timestep
    m.opt.enableflags |= mujoco.mjtEnableBit.mjENBL_ENERGY
    f6, v6 = np.zeros(6), np.zeros(6)
    per_coupling = np.zeros(m.neq)  # equality constraints' power after the first 2 s, summed over steps
    t0 = [0.0]
    log: list[list[float]] = []

    def step_and_log(self, idx, nstep):  # type: ignore[no-untyped-def]
        d.ctrl[:] = self.ctrl[0]  # as BatchPhysics._step_chunk, one physics step at a time
        d.xfrc_applied[:] = self.xfrc_applied[0]
        for _ in range(nstep):
            mujoco.mj_step(m, d)
            fz_body = np.zeros(m.nbody)
            p_body = np.zeros(m.nbody)  # ground power on each body: contact force on it . its velocity there
            for c in range(d.ncon):
                con = d.contact[c]
                mujoco.mj_contactForce(m, d, c, f6)
                force = con.frame.reshape(3, 3).T @ f6[:3]  # world frame, exerted by geom1 on geom2
                for geom, sign in ((con.geom1, 1.0), (con.geom2, -1.0)):
                    b = m.geom_bodyid[geom]
                    if b == 0:
                        continue
                    mujoco.mj_objectVelocity(m, d, mujoco.mjtObj.mjOBJ_BODY, b, v6, 0)  # at the body's COM
                    v_point = v6[3:] + np.cross(v6[:3], con.pos - d.xipos[b])
                    p_body[b] += -sign * force @ v_point  # geom2 gets +force, geom1 -force
                    fz_body[b] += -sign * force[2]
            mujoco.mj_energyPos(m, d)
            mujoco.mj_energyVel(m, d)
            p_muscle = d.actuator_force[muscles] * d.actuator_velocity[muscles]
            row = [float(np.sum(np.maximum(p_muscle, 0))), float(np.sum(np.minimum(p_muscle, 0))),
                   float(np.sum(d.actuator_force[motors] * d.actuator_velocity[motors])) if len(motors) else 0.0]
            for side in ("l", "r"):
                fz = float(np.sum(fz_body[feet[side]]))
                p = float(np.sum(p_body[feet[side]]))
                row += [p if fz >= STANCE_BW * weight else 0.0, p if fz < STANCE_BW * weight else 0.0]
            row += [float(np.sum(p_body)) - sum(row[3:7])]
            # Constraint power by kind (efc force . efc velocity, both from the step's forward pass)
            # and the passive forces (joint damping, springs); the integrator's own loss is what is left.
            p_efc = d.efc_force * d.efc_vel
            t = d.efc_type
            eq = t == int(mujoco.mjtConstraint.mjCNSTR_EQUALITY)
            np.add.at(per_coupling, d.efc_id[eq], p_efc[eq] if d.time - t0[0] >= 2.0 else 0.0)
            row += [float(p_efc[eq].sum()),
                    float(p_efc[t == int(mujoco.mjtConstraint.mjCNSTR_LIMIT_JOINT)].sum()),
                    float(p_efc[t == int(mujoco.mjtConstraint.mjCNSTR_FRICTION_DOF)].sum()),
                    float(p_efc[t >= int(mujoco.mjtConstraint.mjCNSTR_CONTACT_FRICTIONLESS)].sum()),
                    float(d.qfrc_passive @ d.qvel)]
            row += [float(d.energy.sum()), float(d.subtree_com[0, 0]), float(d.time)]
            log.append(row)
        self.qpos[0], self.qvel[0], self.act[0], self.sensordata[0] = d.qpos, d.qvel, d.act, d.sensordata

    physics_module.BatchPhysics._step_chunk = step_and_log  # type: ignore[method-assign]
    policy = factory(env)
    obs, _ = env.reset(seed=seed, options={"speed_mps": speed, "slope_deg": slope, "start_seed": seed})
    t0[0] = d.time
    fell = False
    for _ in range(int(round(seconds * env.cfg.policy_hz))):
        obs, _r, term, _trunc, _info = env.step(policy(obs))
        if term[0]:
            fell = True
            break
    a = np.array(log)
    keep = a[:, -1] - a[0, -1] >= 2.0
    x = a[keep, -2]
    v = (x[-1] - x[0]) / (a[keep, -1][-1] - a[keep, -1][0])
    w = a[keep].mean(axis=0) / mass
    slope_power = -9.81 * v * np.sin(np.deg2rad(slope))  # W/kg gravity does on the body along the ground
    print(f"{path} at {speed} m/s commanded, {slope:+g} deg, start seed {seed}: fell {fell}, "
          f"{(a[-1, -1] - a[0, -1]):.1f} s, {v:.2f} m/s after 2 s (dt {dt:.5f} s)")
    print(f"  muscles: positive {w[0]:+.3f}, negative {w[1]:+.3f}, net {w[0] + w[1]:+.3f} W/kg; exo motors {w[2]:+.3f}")
    print(f"  ground on the stance feet {w[3] + w[5]:+.3f}, on touching / scuffing feet {w[4] + w[6]:+.3f}, "
          f"elsewhere {w[7]:+.3f} W/kg; gravity along the slope {slope_power:+.3f} W/kg")
    de_dt = (a[keep, -3][-1] - a[keep, -3][0]) / (a[keep, -1][-1] - a[keep, -1][0]) / mass
    print(f"  dE/dt {de_dt:+.3f} W/kg; passive joints and the rest by difference {de_dt - w[0] - w[1] - w[2] - w[3:8].sum():+.3f} W/kg")
    print(f"  constraints: equality {w[8]:+.3f}, joint limits {w[9]:+.3f}, joint friction {w[10]:+.3f}, contacts {w[11]:+.3f} W/kg; "
          f"passive forces (damping, qfrc_passive) {w[12]:+.3f} W/kg (qvel after the step)")
    worst = np.argsort(per_coupling)[:3]
    share = per_coupling[worst] / int(np.sum(keep)) / mass
    print("  largest coupling losses: " + ", ".join(f"{m.joint(m.eq_obj1id[e]).name} <- {m.joint(m.eq_obj2id[e]).name} {p:+.3f}"
                                                    for e, p in zip(worst, share, strict=True)) + " W/kg")
    print(f"  per metre: muscle net {(w[0] + w[1]) / v:+.3f}, ground {(w[3:8].sum()) / v:+.3f} J/(kg m)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), *(float(sys.argv[5]),) if len(sys.argv) > 5 else (),
         *(int(sys.argv[6]),) if len(sys.argv) > 6 else ())
