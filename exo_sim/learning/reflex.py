"""A reflex walking controller (Geyer & Herr 2010 style) for the myolegs26 muscles, vectorised.

Each leg is in stance when its vertical GRF exceeds ``contact_bw``, in swing otherwise (a trailing
leg in double support switches to swing once its share of the load drops below ``swing_share``). Muscle
excitations are pre-stimulations plus reflexes on the teacher's observation: force feedback
(soleus, gastrocnemius, vasti in stance; hamstrings, gluteus in late swing), length feedback
(tibialis anterior, iliopsoas in swing, with hamstring-length inhibition of iliopsoas), trunk
balance of the stance hip (PD on the pelvis pitch, shared by the legs' load), swing initiation of
the trailing leg in double support, and a swing-hip PD toward a speed-dependent target angle
(Song & Geyer 2015's foot placement idea), and hip drive that yields to the exo's torque
(``hip_yield_*``). No reference trajectory anywhere.

Every env can have its own parameter vector (one CMA-ES candidate per env). The controller is
left/right symmetric and stateless, so it is consistent with the env's phase mirroring. The
excitations are turned into the env's action (synergies + residual) by :class:`ExcitationProjector`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import mujoco
import numpy as np

from exo_sim.env.observations import (
    GRF_Z,
    heel_lateral_m,
    pelvis_lean_rad,
    pelvis_pitch_rad,
    pelvis_roll_rad,
    pelvis_yaw_rad,
)
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile
from exo_sim.learning.param_space import ParamSpace

if TYPE_CHECKING:
    from exo_sim.learning.reflex_schedule import ReflexSchedule

#: name -> (initial value, CMA scale, lower bound, upper bound)
PARAMS: dict[str, tuple[float, float, float, float]] = {
    # stance
    "sol_p0": (0.02, 0.05, 0.0, 0.5), "sol_gf": (1.2, 0.5, 0.0, 5.0),
    "gas_p0": (0.02, 0.05, 0.0, 0.5), "gas_gf": (1.1, 0.5, 0.0, 5.0),
    "vas_p0": (0.10, 0.1, 0.0, 0.8), "vas_gf": (1.15, 0.5, 0.0, 5.0),
    "vas_knee_inhib": (2.0, 1.0, 0.0, 10.0), "knee_off": (0.15, 0.1, 0.0, 0.6),
    "ta_p0": (0.02, 0.05, 0.0, 0.5), "ta_gl": (1.1, 0.5, 0.0, 10.0), "ta_loff": (1.0, 0.05, 0.7, 1.3),
    "ta_sol_inhib": (0.3, 0.3, 0.0, 3.0),
    "bal_kp": (1.5, 0.7, 0.0, 8.0), "bal_kd": (0.25, 0.15, 0.0, 2.0), "lean_ref": (0.05, 0.05, -0.3, 0.4),
    "glu_p0": (0.05, 0.05, 0.0, 0.5), "ham_p0": (0.05, 0.05, 0.0, 0.5), "hfl_p0": (0.05, 0.05, 0.0, 0.5),
    "ham_bal": (0.7, 0.3, 0.0, 3.0), "swing_init": (0.25, 0.15, 0.0, 1.0),
    "swing_share": (0.35, 0.15, 0.0, 0.9),
    # swing
    "hfl_gl": (0.4, 0.3, 0.0, 5.0), "hfl_loff": (1.0, 0.05, 0.7, 1.3), "hfl_lean": (0.5, 0.3, -2.0, 3.0),
    "ham_hfl_inhib": (2.0, 1.0, 0.0, 10.0), "ham_loff": (1.0, 0.05, 0.7, 1.3),
    "ham_gf": (0.65, 0.3, 0.0, 5.0), "glu_gf": (0.4, 0.3, 0.0, 5.0),
    "sw_hip_target": (0.45, 0.15, -0.2, 1.2), "sw_speed_gain": (0.3, 0.2, -3.0, 2.0),
    "sw_kp": (1.5, 0.7, 0.0, 8.0), "sw_kd": (0.15, 0.1, 0.0, 2.0),
    "bfsh_swing": (0.2, 0.1, 0.0, 1.0), "rf_swing": (0.05, 0.05, 0.0, 1.0), "ta_swing_p0": (0.1, 0.1, 0.0, 1.0),
    # tonic
    "abd_add_p0": (0.02, 0.03, 0.0, 0.5), "toe_p0": (0.02, 0.03, 0.0, 0.5),
    # Condition adaptation (Song & Geyer 2015 style modulation by commanded speed and slope) and a
    # global-frame swing target; all start neutral (0) so earlier parameter files behave as before.
    "sw_lean_comp": (0.0, 0.3, -1.5, 1.5),  # 1 = swing-hip target on the thigh's angle to vertical
    "sw_target_speed": (0.0, 0.2, -3.0, 1.5),  # swing target per m/s of (v* - 1.2)
    "sw_target_slope": (0.0, 0.5, -3.0, 3.0),  # swing target per rad of slope
    "lean_ref_speed": (0.0, 0.1, -0.5, 0.5),  # trunk lean reference per m/s of (v* - 1.2)
    "lean_ref_slope": (0.0, 0.3, -2.0, 2.0),  # trunk lean reference per rad of slope
    "lean_vfb": (0.0, 0.1, -1.0, 1.0),  # trunk lean reference per m/s of (v* - v): lean to speed up
    "sol_slope": (0.0, 0.5, -3.0, 3.0),  # stance plantarflexor pre-stimulation per rad of slope
    "vas_slope": (0.0, 0.5, -3.0, 3.0),  # stance vasti pre-stimulation per rad of slope
    "glu_slope": (0.0, 0.5, -3.0, 3.0),  # stance gluteus pre-stimulation per rad of slope
    # Propulsion on demand: the tuned gaits walk at a speed set by the slope (0.9 m/s level, 1.2 at
    # -5 deg, stalling at +2.5 deg) whatever is commanded, so stance push-off (plantarflexors) and hip
    # extension get a feedforward term on the speed deficit.
    "sol_speed": (0.0, 0.3, -2.0, 4.0),  # stance plantarflexor pre-stimulation per m/s of (v* - v)
    "glu_speed": (0.0, 0.3, -2.0, 4.0),  # stance gluteus maximus pre-stimulation per m/s of (v* - v)
    # Knee and foot in the gait transitions (Geyer & Herr 2010: vasti off in trailing double
    # support; Song & Geyer 2015: knee flexion in early swing, extension before landing).
    "vas_dsup": (0.0, 0.3, 0.0, 1.0),  # fraction of stance vasti removed in trailing double support
    "bfsh_dsup": (0.0, 0.2, 0.0, 1.0),  # biceps femoris short head in trailing double support
    "bfsh_early": (0.0, 0.2, 0.0, 1.0),  # knee flexion while the thigh is far behind its swing target
    "sw_knee_ext": (0.0, 0.2, 0.0, 1.0),  # vasti once the thigh nears its swing target
    "edl_ta": (0.0, 0.3, 0.0, 1.5),  # toe extensors follow tibialis anterior (dorsiflexion in swing)
    # Ankle push-off: the tuned gaits are hip-driven, with a peak ankle power of 0.5 W/kg in early
    # stance where people push off with 3-4 W/kg at the end of stance (Winter). A plantarflexor burst
    # while the leg trails in double support (the other foot down, as a contralateral-contact reflex)
    # does the push-off before the leading leg's collision (Kuo's pre-emptive push-off).
    "sol_dsup": (0.0, 0.2, 0.0, 1.0),  # soleus and gastrocnemius in trailing double support
    # Yielding to the exo: the force and length reflexes barely change when a hip torque helps them
    # (artifacts/teacher/README.md, stop 20), where people lower the drive of the muscles an exo
    # assists (e.g. soleus under a powered ankle exo, Sawicki & Ferris 2008). Each hip's extensor
    # (gluteus maximus, hamstrings) and flexor (iliopsoas, rectus femoris) drive is lowered by these
    # gains times the exo torque that acts in its direction, as a fraction of env.reward.torque_norm_nm
    # (the exo-torque observation), in stance and swing. Zero without an exo, so a no-exo person's
    # gait does not depend on them; 0 keeps earlier parameter files as they were.
    "hip_yield_ext": (0.0, 0.5, 0.0, 3.0),  # extensor drive per unit of extension torque
    "hip_yield_flex": (0.0, 0.5, 0.0, 3.0),  # flexor drive per unit of flexion torque
    # Frontal plane, for the 3D body (hip adduction free, pelvis free to roll; inert on the sagittal
    # bodies, which have neither): Song & Geyer 2015's 3D balance with myolegs26's hip abductors and
    # adductors. In stance they hold the pelvis level (PD on the pelvis dropping toward the other
    # side, shared by the load like the pitch balance); in swing they place the foot laterally, a PD
    # of the thigh's angle to vertical in the frontal plane toward a target that widens the step with
    # the body's lateral velocity toward the swing side (SIMBICON-style foot placement). 0 = tonic
    # abd/add drive only, as before.
    "fr_bal_kp": (0.0, 1.0, 0.0, 10.0),  # stance abd/add per rad of pelvis drop
    "fr_bal_kd": (0.0, 0.2, 0.0, 3.0),  # stance abd/add per rad/s of pelvis drop rate
    "sw_abd_target": (0.0, 0.05, -0.2, 0.3),  # swing thigh abduction from vertical, rad
    "sw_abd_vel": (0.0, 0.2, -2.0, 3.0),  # swing abduction target per m/s of lateral velocity toward the swing side
    "sw_abd_kp": (0.0, 1.0, 0.0, 10.0),  # swing abd/add per rad of abduction error
    "sw_abd_kd": (0.0, 0.2, 0.0, 3.0),  # swing abd/add per rad/s of abduction rate
    # Stance drives of their own (stop 37): with one tonic abd_add_p0 for both, the stance adductor
    # (7.6 cm hip moment arm against the abductor's 4.4) stays co-active and the pelvis drops toward
    # the swing side. 0 = the shared tonic drive only, as before.
    "fr_abd_st": (0.0, 0.05, 0.0, 0.5),  # stance abductor pre-stimulation
    "fr_add_inhib": (0.0, 0.3, 0.0, 1.0),  # fraction of the tonic adductor drive removed in stance
    # Lateral push-off (stop 37): the supported walkers begin single stance with the centre of mass
    # 8 cm inside the stance foot and barely moving toward it. The trailing leg's abductors in double
    # support push the body toward the leading leg, as the sagittal push-off (sol_dsup) pushes it on.
    "fr_push_dsup": (0.0, 0.1, 0.0, 1.0),  # trailing leg's abductor drive in double support
    # Foot placement by where the body is (stop 38): the swing target above moves with the lateral
    # velocity only. SIMBICON and Song & Geyer's 3D model also move it with the body's lateral distance
    # from the stance foot (their c_d): a body drifting over toward the swing side steps wider. The
    # pelvis stands in for the centre of mass. The supported walkers carry it within 3 cm of the
    # stance heel in single stance, so the term hardly moves their mean target.
    "sw_abd_pos": (0.0, 0.5, -2.0, 5.0),  # swing abduction target per m of pelvis offset from the stance heel
    # Heading (stop 39): unaided walkers turn (heading -37 to +75 deg at their falls), and the lateral
    # velocity above is the ground frame's, so walking straight on a turned heading reads as a sideways
    # fall. A term on the pelvis's heading both turns that velocity toward the heading's frame (a gain
    # of -sw_abd_vel x speed does so to first order) and lets the placement steer; CMA-ES picks the sign.
    "sw_abd_yaw": (0.0, 0.3, -3.0, 3.0),  # swing abduction target per rad of heading turned toward the swing side
    # Hip extension gate (stop 40): the tuned gaits hold the stance hip on myolegs26's 20 deg extension stop for a
    # third of the stride, the stop holding 0.6 Nm/kg on average and about 3 Nm/kg in late stance, while gluteus
    # maximus pushes into it (0.9 Nm/kg): the trunk-balance drive knows nothing of the hip angle. In cats, hip
    # extension is the afferent signal that ends stance (Grillner & Rossignol 1978). Past an onset angle, the
    # stance hip's extensor drive (gluteus maximus, hamstrings) falls and its flexor drive (iliopsoas) rises, per
    # rad beyond the onset. 0 = off, as before.
    "hipext_onset": (-0.25, 0.05, -0.35, 0.0),  # stance hip angle (rad, extension negative) where the gate starts
    "hipext_inhib": (0.0, 1.0, 0.0, 10.0),  # stance extensor drive removed per rad of extension beyond the onset
    "hipext_flex": (0.0, 1.0, 0.0, 10.0),  # stance iliopsoas drive added per rad of extension beyond the onset
    # Speed command offset (stop 41): the laws above read the commanded speed v* through speed_err and dv only, so
    # with an offset they act at v* exactly as without it at v* + offset (up to the observation's float32 rounding).
    # A node that walks at one command can so start a search at another: the +5 deg node climbs 0.65 m/s only when
    # 1.6 m/s is commanded, its speed-deficit push doing the climbing, and falls back within 1 s at 0.8. The env's
    # start speed (init_speed_fraction x v*) does not move with it. 0 = the command as given, as before.
    "speed_cmd_offset": (0.0, 0.1, -1.0, 1.0),  # m/s added to the commanded speed the laws see
}
#: The frontal-plane parameters: searched only on a body whose hips can adduct (not the sagittal ones).
FRONTAL_NAMES = ("fr_bal_kp", "fr_bal_kd", "sw_abd_target", "sw_abd_vel", "sw_abd_kp", "sw_abd_kd")
#: The separate stance abductor and adductor drives: searched on such a body only where the tuning
#: config asks (ReflexTuneConfig.frontal_drives), so the runs that searched without them resume as they were.
FRONTAL_DRIVE_NAMES = ("fr_abd_st", "fr_add_inhib")
#: The lateral push-off, likewise searched only where the tuning config asks (ReflexTuneConfig.frontal_push).
FRONTAL_PUSH_NAMES = ("fr_push_dsup",)
#: Foot placement by the body's offset from the stance foot, likewise (ReflexTuneConfig.frontal_place).
FRONTAL_PLACE_NAMES = ("sw_abd_pos",)
#: Foot placement by the pelvis's heading, likewise (ReflexTuneConfig.frontal_heading).
FRONTAL_HEADING_NAMES = ("sw_abd_yaw",)
#: The hip extension gate: searched on any body only where the tuning config asks (ReflexTuneConfig.hip_ext_gate).
HIP_EXT_GATE_NAMES = ("hipext_onset", "hipext_inhib", "hipext_flex")
#: The speed command offset, likewise (ReflexTuneConfig.speed_cmd_offset).
SPEED_OFFSET_NAMES = ("speed_cmd_offset",)
#: Speed the condition terms are centred on, m/s.
V_NOMINAL = 1.2
SPACE = ParamSpace(PARAMS, "reflex parameter")
NAMES, INITIAL, SCALE, LOWER, UPPER = SPACE.names, SPACE.initial, SPACE.scale, SPACE.lower, SPACE.upper
from_unit, to_dict, from_dict = SPACE.from_unit, SPACE.to_dict, SPACE.from_dict

_MUSCLES = ("abd", "add", "hamstrings", "bifemsh", "edl", "fdl", "glutmax", "iliopsoas", "rectfem", "vasti",
            "gastroc", "soleus", "tibant")


@dataclass(frozen=True)
class _Leg:
    muscle: dict[str, int]  # base name -> index in the muscle vector
    hip: int  # index in joint_pos
    knee: int
    grf_z: int  # index in grf_per_bw
    heel_x: int  # index in feet_rel_pelvis (calcn x, pelvis frame)
    adduction: int | None  # index in joint_pos of hip adduction (None on the sagittal bodies)
    adduction_sign: float  # +1 where that joint's positive angle is adduction (toward the midline), -1 where abduction
    side_sign: float  # +1 left, -1 right: turns the pelvis roll and lateral velocity into this side's terms


class ReflexController:
    """Observation (N, obs) -> muscle excitations (N, n_muscles), parameters (N, P) or (P,)."""

    def __init__(self, env: WalkVecEnv, contact_bw: float = 0.05) -> None:
        ix = env.index
        self.slices = env.obs_layout.slices()
        self.n_muscles = len(ix.muscles)
        self.contact_bw = contact_bw
        model, data = env.sim.model, mujoco.MjData(env.sim.model)
        mujoco.mj_forward(model, data)
        self.l_ref = np.asarray(data.actuator_length[ix.muscle_ctrl], dtype=float)  # lengths at the standing pose
        joints = list(ix.bio_joints)
        self.legs: list[_Leg] = []
        for side, grf_z, heel_x, sign in (("l", GRF_Z[0], 0, 1.0), ("r", GRF_Z[1], 6, -1.0)):
            adduction = f"hip_adduction_{side}"
            # A positive turn about the joint axis a swings a foot below the hip sideways (+y) by a_x:
            # adduction where that is toward the midline (myolegs26's two axes point the same way).
            axis_x = data.xaxis[model.joint(adduction).id][0] if adduction in joints else 0.0
            self.legs.append(_Leg(
                muscle={m: ix.muscles.index(f"{m}_{side}") for m in _MUSCLES},
                hip=joints.index(f"hip_flexion_{side}"), knee=joints.index(f"knee_angle_{side}"),
                grf_z=grf_z, heel_x=heel_x, adduction=joints.index(adduction) if adduction in joints else None,
                adduction_sign=-float(np.sign(axis_x)) * sign, side_sign=sign,
            ))
        #: Whether the hips can adduct: the frontal-plane laws act (and are worth searching) only then.
        self.frontal = all(leg.adduction is not None for leg in self.legs)

    def lean(self, quat: np.ndarray) -> np.ndarray:
        """The trunk angle the balance laws hold, rad, forward positive: the pelvis pitch, or on the 3D
        body its lean in the ground's sagittal plane (unaffected by its roll and heading)."""
        return pelvis_lean_rad(quat) if self.frontal else pelvis_pitch_rad(quat)

    def __call__(self, obs: np.ndarray, params: np.ndarray) -> np.ndarray:
        s, o = self.slices, np.asarray(obs, dtype=float)
        p = {n: np.broadcast_to(np.asarray(params, dtype=float)[..., i], (len(o),)) for i, n in enumerate(NAMES)}
        lnorm = o[:, s["muscle_length_m"]] / self.l_ref
        force = np.maximum(o[:, s["muscle_force_norm"]], 0.0)
        lean = self.lean(o[:, s["pelvis_quat"]])
        lean_rate = o[:, s["pelvis_angvel_rps"]][:, 1]
        roll, roll_rate = pelvis_roll_rad(o[:, s["pelvis_quat"]]), o[:, s["pelvis_angvel_rps"]][:, 0]
        lateral_vel = o[:, s["com_vel_mps"]][:, 1]  # + = toward the left
        jp, jv = o[:, s["joint_pos_rad"]], o[:, s["joint_vel_rps"]]
        grf, feet = o[:, s["grf_per_bw"]], o[:, s["feet_rel_pelvis_m"]]
        # (N, 2) heels left of the pelvis, m, and the heading, rad (+ = left); only the frontal laws use them
        heel_y = heel_lateral_m(feet, roll) if self.frontal else np.zeros((len(o), 2))
        yaw = pelvis_yaw_rad(o[:, s["pelvis_quat"]]) if self.frontal else np.zeros(len(o))
        exo = o[:, s["exo_torque_norm"]]  # (N, 2) left, right; + = flexion
        v_target = o[:, s["target_speed_mps"]][:, 0] + p["speed_cmd_offset"]
        speed_err = o[:, s["com_vel_mps"]][:, 0] - v_target
        slope = o[:, s["slope_rad"]][:, 0]
        dv = v_target - V_NOMINAL
        contact = [grf[:, leg.grf_z] > self.contact_bw for leg in self.legs]
        load = [np.maximum(grf[:, leg.grf_z], 0.0) for leg in self.legs]
        total = np.maximum(load[0] + load[1], 1e-6)
        lean_ref = p["lean_ref"] + p["lean_ref_speed"] * dv + p["lean_ref_slope"] * slope - p["lean_vfb"] * speed_err
        bal = p["bal_kp"] * (lean - lean_ref) + p["bal_kd"] * lean_rate
        u = np.zeros((len(o), self.n_muscles))
        for k, leg in enumerate(self.legs):
            other = self.legs[1 - k]
            m = leg.muscle
            share = load[k] / total
            behind = feet[:, leg.heel_x] < feet[:, other.heel_x]
            trailing = contact[k] & contact[1 - k] & behind
            # An unloading trailing leg switches to the swing laws before its toe leaves the ground.
            stance = contact[k] & ~(trailing & (share < p["swing_share"]))
            f = {name: force[:, i] for name, i in m.items()}
            ln = {name: lnorm[:, i] for name, i in m.items()}
            knee_ext = np.maximum(jp[:, leg.knee] + p["knee_off"], 0.0)  # knee angle is <= 0 (flexion negative)
            hip, hip_vel = jp[:, leg.hip], jv[:, leg.hip]
            # ---- stance
            push = p["sol_slope"] * slope - p["sol_speed"] * speed_err
            beyond = np.maximum(p["hipext_onset"] - hip, 0.0)  # rad of extension past the gate's onset
            push_off = p["sol_dsup"] * trailing  # in both laws: the trailing leg may already swing while its toe is down
            st = {
                "soleus": p["sol_p0"] + push + p["sol_gf"] * f["soleus"] + push_off,
                "gastroc": p["gas_p0"] + push + p["gas_gf"] * f["gastroc"] + push_off,
                "vasti": (p["vas_p0"] + p["vas_slope"] * slope + p["vas_gf"] * f["vasti"] - p["vas_knee_inhib"] * knee_ext)
                * (1.0 - p["vas_dsup"] * trailing),
                "tibant": p["ta_p0"] + p["ta_gl"] * np.maximum(ln["tibant"] - p["ta_loff"], 0.0)
                - p["ta_sol_inhib"] * f["soleus"],
                "glutmax": p["glu_p0"] + p["glu_slope"] * slope - p["glu_speed"] * speed_err + np.maximum(bal, 0.0) * share
                - p["swing_init"] * trailing - p["hipext_inhib"] * beyond,
                "hamstrings": p["ham_p0"] + p["ham_bal"] * np.maximum(bal, 0.0) * share - p["hipext_inhib"] * beyond,
                "iliopsoas": p["hfl_p0"] + np.maximum(-bal, 0.0) * share + p["swing_init"] * trailing + p["hipext_flex"] * beyond,
                "bifemsh": p["vas_knee_inhib"] * 0.25 * knee_ext + p["bfsh_dsup"] * trailing,
                "rectfem": p["hfl_p0"] * 0.5 + p["swing_init"] * 0.5 * trailing,
                "fdl": p["toe_p0"], "edl": p["toe_p0"],
            }
            # ---- swing
            target = (p["sw_hip_target"] + p["sw_speed_gain"] * speed_err + p["sw_target_speed"] * dv
                      + p["sw_target_slope"] * slope)
            thigh = hip - p["sw_lean_comp"] * lean  # 1: thigh angle to vertical (forward lean rotates it back)
            pd = p["sw_kp"] * (target - thigh) - p["sw_kd"] * (hip_vel - p["sw_lean_comp"] * lean_rate)
            early = np.clip((target - thigh) / 0.3, 0.0, 1.0)  # 1 = thigh 0.3 rad or more behind target
            near = np.clip(1.0 - (target - thigh) / 0.15, 0.0, 1.0)  # 1 = at or past the target
            ta_sw = p["ta_swing_p0"] + p["ta_gl"] * np.maximum(ln["tibant"] - p["ta_loff"], 0.0)
            sw = {
                "iliopsoas": p["hfl_p0"] + p["hfl_gl"] * np.maximum(ln["iliopsoas"] - p["hfl_loff"], 0.0)
                - p["ham_hfl_inhib"] * np.maximum(ln["hamstrings"] - p["ham_loff"], 0.0)
                + p["hfl_lean"] * (lean - lean_ref) + np.maximum(pd, 0.0),
                "glutmax": p["glu_p0"] + p["glu_gf"] * f["glutmax"] + np.maximum(-pd, 0.0),
                "hamstrings": p["ham_p0"] + p["ham_gf"] * f["hamstrings"] + 0.5 * np.maximum(-pd, 0.0),
                "tibant": ta_sw,
                "bifemsh": p["bfsh_swing"] + p["bfsh_early"] * early, "rectfem": p["rf_swing"],
                "soleus": p["sol_p0"] + push_off, "gastroc": p["gas_p0"] + push_off,
                "vasti": p["vas_p0"] * 0.5 + p["sw_knee_ext"] * near,
                "fdl": p["toe_p0"], "edl": p["toe_p0"] + p["edl_ta"] * ta_sw,
            }
            ext_help = p["hip_yield_ext"] * np.maximum(-exo[:, k], 0.0)
            flex_help = p["hip_yield_flex"] * np.maximum(exo[:, k], 0.0)
            yield_by = {"glutmax": ext_help, "hamstrings": ext_help, "iliopsoas": flex_help, "rectfem": flex_help}
            # The pelvis's offset from the other (stance) heel toward this leg's side (SIMBICON's d).
            offset = other.side_sign * heel_y[:, 1 - k]
            abd, add = self._frontal(p, leg, jp, jv, roll, roll_rate, lateral_vel, offset, yaw, stance, share, trailing)
            st["abd"], sw["abd"], st["add"], sw["add"] = abd, abd, add, add
            for name, i in m.items():
                if name in ("abd", "add"):
                    u[:, i] = st[name]
                else:
                    u[:, i] = np.where(stance, st[name], sw[name]) - yield_by.get(name, 0.0)
        return np.clip(u, 0.0, 1.0)

    def _frontal(self, p: dict[str, np.ndarray], leg: _Leg, jp: np.ndarray, jv: np.ndarray, roll: np.ndarray,
                 roll_rate: np.ndarray, lateral_vel: np.ndarray, offset: np.ndarray, yaw: np.ndarray,
                 stance: np.ndarray, share: np.ndarray, trailing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(abductor, adductor) excitation of one leg: tonic drive, plus the stance pelvis balance, the
        swing foot placement and the lateral push-off where the hip can adduct."""
        if leg.adduction is None:
            return p["abd_add_p0"], p["abd_add_p0"]
        sign = leg.side_sign
        # Stance: the pelvis dropping toward the other side (the swing side) is resisted by this hip's abductors.
        drop = p["fr_bal_kp"] * sign * roll + p["fr_bal_kd"] * sign * roll_rate
        # Swing: the thigh's angle out from vertical toward its own side (adduction moves it in; a pelvis
        # rolling toward the other side carries it out), driven toward a target that widens with the
        # body's lateral velocity toward this side, with its offset that way from the stance heel, and
        # with the heading turned that way.
        thigh_abd = -leg.adduction_sign * jp[:, leg.adduction] + sign * roll
        thigh_abd_rate = -leg.adduction_sign * jv[:, leg.adduction] + sign * roll_rate
        target = (p["sw_abd_target"] + p["sw_abd_vel"] * sign * lateral_vel + p["sw_abd_pos"] * offset
                  + p["sw_abd_yaw"] * sign * yaw)
        pd = p["sw_abd_kp"] * (target - thigh_abd) - p["sw_abd_kd"] * thigh_abd_rate
        drive = np.where(stance, drop * share, pd)
        abd = p["abd_add_p0"] + p["fr_abd_st"] * stance + p["fr_push_dsup"] * trailing + np.maximum(drive, 0.0)
        add = p["abd_add_p0"] * (1.0 - p["fr_add_inhib"] * stance) + np.maximum(-drive, 0.0)
        return abd, add


class ExcitationProjector:
    """Muscle excitations -> the env's action: least-squares synergy coefficients in [0, 1], the
    rest through the residual channel (clipped to its range), exo commands zero."""

    def __init__(self, env: WalkVecEnv) -> None:
        sl = env.act_layout.slices()
        self.size = env.act_layout.size
        self.syn, self.res = sl["synergy"], sl.get("residual")
        self.w = env.synergy  # (n_muscles, 2k)
        self.pinv = np.linalg.pinv(self.w)
        self.scale = env.cfg.action.residual_scale

    def __call__(self, excitation: np.ndarray) -> np.ndarray:
        e = np.asarray(excitation, dtype=float)
        a = np.zeros((len(e), self.size))
        coef = np.clip(e @ self.pinv.T, 0.0, 1.0)
        a[:, self.syn] = coef
        if self.res is not None and self.scale > 0.0:
            a[:, self.res] = np.clip((e - coef @ self.w.T) / self.scale, -1.0, 1.0)
        return a

    def excitation(self, action: np.ndarray) -> np.ndarray:
        """What the env makes of an action (for checks)."""
        a = np.asarray(action, dtype=float)
        e = a[:, self.syn] @ self.w.T
        if self.res is not None:
            e = e + self.scale * a[:, self.res]
        return np.clip(e, 0.0, 1.0)


class ReflexBase:
    """The reflex controller's env action for an observation, plus the exo command of an assistance
    profile when one is given; installed as the env's base controller, so it runs at
    ``env.cfg.base_hz`` under the policy. ``theta``: (P,), one row per env (N, P), or a
    :class:`~exo_sim.learning.reflex_schedule.ReflexSchedule` (parameters, and profile if it carries
    profiles, at each env's commanded speed and current slope); ``ctrl`` and ``proj`` may be shared
    with other bases on the same env."""

    def __init__(self, theta: np.ndarray | ReflexSchedule, env: WalkVecEnv, profile: np.ndarray | None = None, *,
                 ctrl: ReflexController | None = None, proj: ExcitationProjector | None = None) -> None:
        if profile is not None and not isinstance(theta, np.ndarray) and theta.profiles is not None:
            raise ValueError("ReflexBase: the schedule carries its own assistance profiles; give no separate profile")
        self.theta, self.profile, self.env = theta, profile, env
        self.ctrl = ctrl or ReflexController(env)
        self.proj = proj or ExcitationProjector(env)

    @classmethod
    def from_file(cls, path: str | Path, env: WalkVecEnv) -> ReflexBase:
        """The reflexes of a parameter file (reflex-tune's best.json), as a teacher's base: its ONNX
        carries the reflex parameters only, so a file with an assistance profile is refused."""
        best = json.loads(Path(path).read_text())
        if "assist" in best:
            raise ValueError(f"{path} has an assistance profile; a teacher's reflex base carries the reflexes only")
        if "schedule" in best:
            raise ValueError(f"{path} is a reflex schedule; a teacher's reflex base (and its ONNX) carries one parameter vector")
        return cls(from_dict(best["params"]), env)

    def __call__(self, obs: np.ndarray) -> np.ndarray:
        theta, profile = self.theta, self.profile
        if not isinstance(theta, np.ndarray):  # a schedule: the parameters (and profile) of each env's condition
            sl = self.ctrl.slices
            speed, slope = obs[:, sl["target_speed_mps"]][:, 0], obs[:, sl["slope_rad"]][:, 0]
            schedule = theta
            theta = schedule(speed, slope)
            profile = schedule.profile(speed, slope) if schedule.profiles is not None else None
        action = self.proj(self.ctrl(obs, theta))
        if profile is not None:
            action += assist_profile.exo_action(self.env, profile)
        return action

    @staticmethod
    def hold(base: Callable[[np.ndarray], np.ndarray], every: int) -> HeldBase:
        """``base`` recomputed on every ``every``-th call and held in between (an env stepped faster
        than the rate the base was trained at)."""
        return HeldBase(base, every)


class HeldBase:
    """A base controller evaluated on every ``every``-th call; the calls in between repeat its action."""

    def __init__(self, base: Callable[[np.ndarray], np.ndarray], every: int) -> None:
        self.base, self.every, self.calls = base, every, 0
        self.action: np.ndarray | None = None

    def __call__(self, obs: np.ndarray) -> np.ndarray:
        if self.action is None or self.calls % self.every == 0:
            self.action = self.base(obs)
        self.calls += 1
        return self.action
